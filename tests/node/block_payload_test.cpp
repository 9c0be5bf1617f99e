#include <gtest/gtest.h>

#include "chain_sim/node/block_payload.hpp"

namespace mfd::chain::node {
namespace {

TEST(BlockPayload, RoundTrips) {
    ProposalPayload p;
    p.timestamp_ms = 1'700'000'000'123ULL;
    p.txs = {core::Bytes{0x01, 0x02}, core::Bytes{}, core::Bytes(300, 0xab)};
    auto decoded = decode_payload(encode_payload(p));
    ASSERT_TRUE(decoded) << decoded.error().to_string();
    EXPECT_EQ(*decoded, p);
}

TEST(BlockPayload, EmptyPayloadRoundTrips) {
    auto decoded = decode_payload(encode_payload(ProposalPayload{}));
    ASSERT_TRUE(decoded);
    EXPECT_TRUE(decoded->txs.empty());
}

TEST(BlockPayload, RefusesMalformedBytes) {
    EXPECT_FALSE(decode_payload(core::Bytes{}));
    EXPECT_FALSE(decode_payload(core::Bytes{0xc1, 0x80}));        // one item, not two
    EXPECT_FALSE(decode_payload(core::Bytes{0xc2, 0x01, 0x01}));  // second item not a list
    auto good = encode_payload(ProposalPayload{5, {core::Bytes{1, 2, 3}}});
    good.pop_back();
    EXPECT_FALSE(decode_payload(good));  // truncated
}

}  // namespace
}  // namespace mfd::chain::node
