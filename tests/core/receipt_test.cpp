#include "core/receipt.hpp"

#include <gtest/gtest.h>

#include "core/keccak.hpp"
#include "core/rlp.hpp"
#include "tests/core/errc_testing.hpp"

namespace mfd::core {
namespace {

const Hash kTransferTopic = keccak256("Transfer(address,address,uint256)");

Receipt sample_receipt() {
    Receipt r;
    r.gas_used = 51234;
    r.cumulative_gas_used = 120000;
    r.effective_gas_price = U256(30'000'000'000ULL);
    Log log;
    log.address = *fixed_from_hex<20>("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48");
    log.topics = {kTransferTopic, Hash{}, keccak256("to")};
    log.data = Bytes(32, 0x01);
    r.logs = {log, Log{*fixed_from_hex<20>("0x00000000000000000000000000000000000000ff"), {}, {}}};
    make_receipt_bloom(r);
    return r;
}

Errc decode_error(const Receipt& r) {
    return error_code(decode_receipt(encode_receipt(r)));
}

TEST(Bloom, MatchesGoEthereumForTheTransferTopic) {
    // Known answer: go-ethereum's bloom of the ERC-20 Transfer topic sets byte 75 = 0x08,
    // byte 123 = 0x10 and byte 195 = 0x02 (as asserted against geth in Horizen's BloomTest).
    EXPECT_EQ(kTransferTopic.hex(),
              "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
    Bloom bloom;
    bloom_add(bloom, kTransferTopic.view());
    Bloom expected;
    expected.bytes[75] = 0x08;
    expected.bytes[123] = 0x10;
    expected.bytes[195] = 0x02;
    EXPECT_EQ(bloom, expected);
    EXPECT_TRUE(bloom_may_contain(bloom, kTransferTopic.view()));
    EXPECT_FALSE(bloom_may_contain(bloom, keccak256("Approval(address,address,uint256)").view()));
}

TEST(Bloom, LogsBloomCoversAddressesAndTopicsButNotData) {
    const Receipt r = sample_receipt();
    for (const Log& log : r.logs) {
        EXPECT_TRUE(bloom_may_contain(r.logs_bloom, log.address.view()));
        for (const Hash& t : log.topics) EXPECT_TRUE(bloom_may_contain(r.logs_bloom, t.view()));
    }
    EXPECT_FALSE(bloom_may_contain(r.logs_bloom, Bytes(32, 0x01)));
    EXPECT_TRUE(logs_bloom({}).is_zero());
}

TEST(Receipt, RoundTripsCanonically) {
    Receipt r = sample_receipt();
    r.contract_address = *fixed_from_hex<20>("0x00000000000000000000000000000000000000aa");
    const Bytes encoded = encode_receipt(r);
    auto decoded = decode_receipt(encoded);
    ASSERT_TRUE(decoded) << decoded.error().to_string();
    EXPECT_EQ(*decoded, r);
    EXPECT_EQ(encode_receipt(*decoded), encoded);

    Receipt failed;
    failed.success = false;
    failed.failure = Errc::kRevert;
    failed.message = "insufficient allowance";
    failed.gas_used = failed.cumulative_gas_used = 23000;
    auto back = decode_receipt(encode_receipt(failed));
    ASSERT_TRUE(back) << back.error().to_string();
    EXPECT_EQ(*back, failed);
}

TEST(Receipt, DecodeChecksEveryField) {
    Receipt bloom = sample_receipt();
    bloom.logs_bloom.bytes[0] ^= 1;
    EXPECT_EQ(decode_error(bloom), Errc::kReceiptBloomMismatch);
    Receipt contradicts = sample_receipt();
    contradicts.failure = Errc::kRevert;  // success with a failure reason
    EXPECT_EQ(decode_error(contradicts), Errc::kCorruption);
    Receipt silent = sample_receipt();
    silent.success = false;  // failure without a reason
    EXPECT_EQ(decode_error(silent), Errc::kCorruption);
    Receipt unknown = sample_receipt();
    unknown.success = false;
    unknown.failure = static_cast<Errc>(60000);
    EXPECT_EQ(decode_error(unknown), Errc::kCorruption);
    Receipt topics = sample_receipt();
    topics.logs[0].topics.assign(5, Hash{});
    make_receipt_bloom(topics);
    EXPECT_EQ(decode_error(topics), Errc::kCorruption);
    Receipt chatty = sample_receipt();
    chatty.message.assign(kMaxReceiptMessage + 1, 'x');
    EXPECT_EQ(decode_error(chatty), Errc::kLimitExceeded);
    Receipt gas = sample_receipt();
    gas.cumulative_gas_used = gas.gas_used - 1;
    EXPECT_EQ(decode_error(gas), Errc::kCorruption);
}

TEST(Receipt, DecodeRejectsMalformedRlp) {
    const Bytes good = encode_receipt(sample_receipt());
    Bytes trailing = good;
    trailing.push_back(0x80);
    EXPECT_EQ(error_code(decode_receipt(trailing)), Errc::kRlpTrailingBytes);
    EXPECT_EQ(error_code(decode_receipt(Bytes(good.begin(), good.end() - 1))),
              Errc::kRlpSizeOverflow);
    EXPECT_EQ(error_code(decode_receipt(*from_hex("0xc3010203"))), Errc::kRlpWrongFieldCount);
    EXPECT_EQ(error_code(decode_receipt(*from_hex("0x80"))), Errc::kRlpExpectedList);
    RlpEncoder enc;  // success flag 2
    enc.begin_list().add_uint(std::uint64_t{2});
    for (int i = 0; i < 8; ++i) enc.add_bytes(Bytes{});
    enc.end_list();
    EXPECT_EQ(error_code(decode_receipt(*enc.take())), Errc::kCorruption);
}

TEST(Receipt, RootDependsOnEveryReceiptAndTheirOrder) {
    Receipt a = sample_receipt();
    Receipt b = a;
    b.gas_used = 1;
    const std::vector<Receipt> ab{a, b}, ba{b, a};
    EXPECT_NE(receipts_root(ab), receipts_root(ba));
    EXPECT_NE(receipts_root(ab), receipts_root(std::vector<Receipt>{a}));
    EXPECT_EQ(receipts_root({}), keccak256(*from_hex("0xc0")));
}

}  // namespace
}  // namespace mfd::core
