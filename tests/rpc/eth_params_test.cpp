#include "plugin/rpc/eth_params.hpp"

#include <gtest/gtest.h>

namespace mfd::rpc {
namespace {

using json = nlohmann::json;

TEST(EthParams, QuantitiesFollowTheHexRules) {
    EXPECT_EQ(*read_quantity_u64(json("0x0"), "q"), 0u);
    EXPECT_EQ(*read_quantity_u64(json("0x1f"), "q"), 31u);
    EXPECT_EQ(*read_quantity_u64(json("0X1F"), "q"), 31u);
    EXPECT_EQ(*read_quantity_u64(json("0xffffffffffffffff"), "q"), 0xffffffffffffffffULL);
    EXPECT_EQ(*read_quantity(json("0x" + std::string(64, 'f')), "q"), core::U256::max());
    for (const json& bad :
         {json("0x"), json("0x01"), json("0x00"), json("1f"), json("0xg"),
          json("0x" + std::string(65, 'f')), json(31), json(nullptr), json("-0x1"), json(" 0x1")}) {
        auto r = read_quantity(bad, "param 0 (blockNumber)");
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument);
        EXPECT_TRUE(r.error().message.starts_with("param 0 (blockNumber): ")) << r.error().message;
    }
    auto r = read_quantity_u64(json("0x10000000000000000"), "q");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("exceeds 64 bits"), std::string::npos);
    EXPECT_EQ(read_quantity(json("0x01"), "q").error().message,
              "q: hex quantity has leading zeros, got \"0x01\"");
}

TEST(EthParams, QuantityOutput) {
    EXPECT_EQ(to_quantity(std::uint64_t{0}), "0x0");
    EXPECT_EQ(to_quantity(std::uint64_t{31}), "0x1f");
    EXPECT_EQ(to_quantity(core::U256::max()), "0x" + std::string(64, 'f'));
    for (std::uint64_t v : {0ULL, 1ULL, 255ULL, 4096ULL, 0xffffffffffffffffULL}) {
        EXPECT_EQ(*read_quantity_u64(json(to_quantity(v)), "q"), v);
    }
}

TEST(EthParams, Data) {
    EXPECT_TRUE(read_data(json("0x"), "d")->empty());
    EXPECT_EQ(*read_data(json("0x00ff"), "d"), (core::Bytes{0x00, 0xff}));
    EXPECT_EQ(*read_data(json("0xABcd"), "d"), (core::Bytes{0xab, 0xcd}));
    for (const json& bad : {json("00ff"), json("0x0"), json("0xzz"), json(1), json("")}) {
        EXPECT_FALSE(read_data(bad, "d")) << bad;
    }
    EXPECT_FALSE(read_data(json("0x" + std::string(10, 'a')), "d", 4));
    EXPECT_TRUE(read_data(json("0x" + std::string(8, 'a')), "d", 4));
    EXPECT_EQ(to_data(core::Bytes{0x0a, 0xbc}), "0x0abc");
    EXPECT_EQ(to_data({}), "0x");
}

TEST(EthParams, AddressesCheckEip55WhenMixedCase) {
    // The EIP-55 specification's examples.
    for (const char* good : {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                             "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                             "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
                             "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"}) {
        auto a = read_address(json(good), "to");
        ASSERT_TRUE(a) << good << ": " << a.error().message;
        EXPECT_EQ(to_checksum_address(*a), good);
    }
    EXPECT_TRUE(read_address(json("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"), "to"));
    EXPECT_TRUE(read_address(json("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED"), "to"));
    auto bad = read_address(json("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"), "param 1 (to)");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("EIP-55"), std::string::npos);
    EXPECT_FALSE(read_address(json("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea"), "to"));
    EXPECT_FALSE(read_address(json("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"), "to"));
}

TEST(EthParams, Hashes) {
    const std::string h = "0x" + std::string(64, 'a');
    EXPECT_EQ(read_hash(json(h), "hash")->hex(), h);
    EXPECT_FALSE(read_hash(json("0x" + std::string(62, 'a')), "hash"));
    EXPECT_FALSE(read_hash(json("0x" + std::string(63, 'a') + "g"), "hash"));
}

TEST(EthParams, BlockTags) {
    using Kind = BlockTag::Kind;
    EXPECT_EQ(*read_block_tag(json("latest"), "b"), (BlockTag{Kind::kLatest, 0}));
    EXPECT_EQ(*read_block_tag(json("earliest"), "b"), (BlockTag{Kind::kEarliest, 0}));
    EXPECT_EQ(*read_block_tag(json("pending"), "b"), (BlockTag{Kind::kPending, 0}));
    EXPECT_EQ(*read_block_tag(json("safe"), "b"), (BlockTag{Kind::kSafe, 0}));
    EXPECT_EQ(*read_block_tag(json("finalized"), "b"), (BlockTag{Kind::kFinalized, 0}));
    EXPECT_EQ(*read_block_tag(json("0x10"), "b"), (BlockTag{Kind::kNumber, 16}));
    for (const json& bad : {json("Latest"), json("0x010"), json(16), json("16"), json(nullptr)}) {
        auto r = read_block_tag(bad, "param 0 (block)");
        ASSERT_FALSE(r) << bad;
        EXPECT_TRUE(r.error().message.starts_with("param 0 (block): "));
    }
}

}  // namespace
}  // namespace mfd::rpc
