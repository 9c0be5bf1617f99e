#include "core/block.hpp"

#include <gtest/gtest.h>

#include "core/keccak.hpp"
#include "core/rlp.hpp"
#include "core/transaction.hpp"
#include "tests/core/errc_testing.hpp"

namespace mfd::core {
namespace {

Bytes signed_raw(TxType type, std::uint64_t nonce) {
    Transaction tx;
    tx.type = type;
    tx.nonce = nonce;
    tx.gas_limit = 21000;
    tx.gas_price = U256(10);
    tx.max_fee_per_gas = U256(10);
    tx.to = Address{};
    tx.value = U256(nonce);
    return encode_transaction(*sign_transaction(tx, PrivateKey::derive(as_bytes("block-test")), 1));
}

Block sample_block() {
    Block b;
    b.header.parent_hash = keccak256("parent");
    b.header.number = 42;
    b.header.timestamp_ms = 1'700'000'000'123ULL;
    b.header.proposer = PrivateKey::derive(as_bytes("proposer")).address();
    b.header.state_root = keccak256("state");
    b.header.receipts_root = keccak256("receipts");
    b.header.gas_limit = 30'000'000;
    b.header.gas_used = 63000;
    b.header.base_fee = U256(7);
    b.transactions = {signed_raw(TxType::kLegacy, 0), signed_raw(TxType::kAccessList, 1),
                      signed_raw(TxType::kDynamicFee, 2)};
    b.consensus_payload = {0xde, 0xad, 0xbe, 0xef};
    seal_block_body(b);
    return b;
}

TEST(Block, RoundTripsCanonically) {
    const Block b = sample_block();
    EXPECT_TRUE(check_block_body(b));
    const Bytes encoded = encode_block(b);
    auto decoded = decode_block(encoded);
    ASSERT_TRUE(decoded) << decoded.error().to_string();
    EXPECT_EQ(*decoded, b);
    EXPECT_EQ(encode_block(*decoded), encoded);
    EXPECT_EQ(block_hash(decoded->header), keccak256(encode_block_header(b.header)));
}

TEST(Block, HeaderRoundTripsExtremeValues) {
    BlockHeader h;
    h.number = h.timestamp_ms = h.gas_limit = h.gas_used = ~std::uint64_t{0};
    h.base_fee = U256::max();
    auto decoded = decode_block_header(encode_block_header(h));
    ASSERT_TRUE(decoded) << decoded.error().to_string();
    EXPECT_EQ(*decoded, h);
    EXPECT_EQ(*decode_block_header(encode_block_header(BlockHeader{})), BlockHeader{});
}

TEST(Block, HashCommitsToEveryHeaderField) {
    const BlockHeader base = sample_block().header;
    std::vector<BlockHeader> variants(11, base);
    variants[0].parent_hash.bytes[0] ^= 1;
    variants[1].number += 1;
    variants[2].timestamp_ms += 1;
    variants[3].proposer.bytes[19] ^= 1;
    variants[4].state_root.bytes[5] ^= 1;
    variants[5].transactions_root.bytes[5] ^= 1;
    variants[6].receipts_root.bytes[5] ^= 1;
    variants[7].consensus_root.bytes[5] ^= 1;
    variants[8].gas_limit += 1;
    variants[9].gas_used += 1;
    variants[10].base_fee += U256(1);
    for (const BlockHeader& v : variants) EXPECT_NE(block_hash(v), block_hash(base));
}

TEST(Block, DecodeRejectsABodyTheHeaderDoesNotCommitTo) {
    Block txs = sample_block();
    txs.transactions.pop_back();
    EXPECT_EQ(error_code(decode_block(encode_block(txs))), Errc::kBlockTxRootMismatch);
    Block payload = sample_block();
    payload.consensus_payload.push_back(0);
    EXPECT_EQ(error_code(decode_block(encode_block(payload))), Errc::kBlockConsensusRootMismatch);
    EXPECT_EQ(transactions_root({}), keccak256(*from_hex("0xc0")));
}

TEST(Block, DecodeRejectsInvalidTransactions) {
    Block b = sample_block();
    b.transactions.push_back(*from_hex("0xc0"));
    seal_block_body(b);
    auto r = decode_block(encode_block(b));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kTxRlpTooFewElements);
    EXPECT_NE(r.error().message.find("transaction 3"), std::string::npos) << r.error().message;
}

TEST(Block, DecodeRejectsMalformedParts) {
    const Bytes good = encode_block(sample_block());
    Bytes trailing = good;
    trailing.push_back(0x00);
    EXPECT_EQ(error_code(decode_block(trailing)), Errc::kRlpTrailingBytes);
    EXPECT_EQ(error_code(decode_block(*from_hex("0xc2c0c0"))), Errc::kRlpWrongFieldCount);
    EXPECT_EQ(error_code(decode_block(*from_hex("0xc3c0c080"))), Errc::kRlpWrongFieldCount);
    // A header whose proposer is 19 bytes, or whose number has a leading zero.
    auto header_with = [](std::size_t index, ByteView replacement) {
        const Bytes enc = encode_block_header(BlockHeader{});
        auto items = *rlp_list_items(*rlp_decode(enc));
        std::vector<Bytes> parts;
        for (const RlpItem& it : items) parts.emplace_back(it.encoded.begin(), it.encoded.end());
        parts[index] = Bytes(replacement.begin(), replacement.end());
        return rlp_encode_list(parts);
    };
    EXPECT_EQ(error_code(decode_block_header(header_with(3, rlp_encode_bytes(Bytes(19, 1))))),
              Errc::kCorruption);
    EXPECT_EQ(error_code(decode_block_header(header_with(1, *from_hex("0x820001")))),
              Errc::kRlpLeadingZeros);
    EXPECT_EQ(error_code(decode_block_header(header_with(8, rlp_encode_bytes(Bytes(9, 1))))),
              Errc::kOutOfRange);
    EXPECT_EQ(error_code(decode_block_header(header_with(0, *from_hex("0xc0")))),
              Errc::kCorruption);
    // A transaction given as a list instead of a string.
    Block b = sample_block();
    const Bytes header = encode_block_header(b.header);
    const Bytes as_list = rlp_encode_list(
        {header, rlp_encode_list({*from_hex("0xc0")}), rlp_encode_bytes(b.consensus_payload)});
    EXPECT_EQ(error_code(decode_block(as_list)), Errc::kRlpExpectedString);
}

}  // namespace
}  // namespace mfd::core
