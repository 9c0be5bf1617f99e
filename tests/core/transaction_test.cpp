#include "core/transaction.hpp"

#include <gtest/gtest.h>

#include "core/keccak.hpp"
#include "core/rlp.hpp"
#include "core/transaction_rules.hpp"
#include "tests/core/errc_testing.hpp"

namespace mfd::core {
namespace {

const PrivateKey& alice() {
    static const PrivateKey key = PrivateKey::derive(as_bytes("alice"));
    return key;
}

Address addr(std::uint8_t fill) {
    Address a;
    a.bytes.fill(fill);
    return a;
}

Transaction transfer(TxType type) {
    Transaction tx;
    tx.type = type;
    tx.nonce = 7;
    tx.gas_limit = 100000;
    tx.to = addr(0x35);
    tx.value = U256(1000);
    tx.data = {0x00, 0x01, 0x02};
    if (type == TxType::kDynamicFee) {
        tx.max_priority_fee_per_gas = U256(2);
        tx.max_fee_per_gas = U256(100);
    } else {
        tx.gas_price = U256(50);
    }
    if (type != TxType::kLegacy) tx.access_list = {{addr(0x11), {Hash{}, keccak256("k")}}};
    return tx;
}

Transaction signed_tx(Transaction tx, std::optional<std::uint64_t> chain = 1) {
    auto s = sign_transaction(std::move(tx), alice(), chain);
    EXPECT_TRUE(s);
    return *s;
}

Errc validate_error(const Transaction& tx, const TxRules& rules = {}) {
    return error_code(validate_transaction(tx, rules));
}

Errc decode_error(ByteView raw) {
    return error_code(decode_transaction(raw));
}

TEST(Transaction, EveryTypeSignsEncodesDecodesAndRecovers) {
    const std::vector<std::pair<TxType, std::optional<std::uint64_t>>> kinds = {
        {TxType::kLegacy, std::nullopt},
        {TxType::kLegacy, 1},
        {TxType::kAccessList, 1},
        {TxType::kDynamicFee, 1}};
    for (const auto& [type, chain] : kinds) {
        SCOPED_TRACE(static_cast<int>(type));
        const Transaction tx = signed_tx(transfer(type), chain);
        const Bytes raw = encode_transaction(tx);
        EXPECT_EQ(raw[0] >= 0xc0, type == TxType::kLegacy);
        auto decoded = decode_transaction(raw);
        ASSERT_TRUE(decoded) << decoded.error().to_string();
        EXPECT_EQ(*decoded, tx);
        EXPECT_EQ(encode_transaction(*decoded), raw);
        EXPECT_EQ(*recover_sender(*decoded), alice().address());
        auto checked = check_transaction(raw, TxRules{1});
        ASSERT_TRUE(checked) << checked.error().to_string();
        EXPECT_EQ(checked->hash, keccak256(raw));
        EXPECT_EQ(checked->hash, transaction_hash(tx));
        EXPECT_EQ(checked->sender, alice().address());
    }
}

TEST(Transaction, LegacyVCarriesChainIdAndParity) {
    const Transaction pre155 = signed_tx(transfer(TxType::kLegacy), std::nullopt);
    EXPECT_EQ(pre155.v, U256(27U + pre155.y_parity));
    EXPECT_FALSE(pre155.chain_id);
    const Transaction eip155 = signed_tx(transfer(TxType::kLegacy), 1337);
    EXPECT_EQ(eip155.v, U256(35U + 2 * 1337 + eip155.y_parity));
    EXPECT_EQ(legacy_v(1337, 1), U256(35 + 2 * 1337 + 1));
    EXPECT_NE(signing_hash(pre155), signing_hash(eip155));
}

TEST(Transaction, HighSTwinRecoversTheSameSenderButFailsValidation) {
    const Transaction tx = signed_tx(transfer(TxType::kDynamicFee));
    const Signature twin = malleate(Signature{tx.r.to_be32(), tx.s.to_be32(), tx.y_parity});
    Transaction high = tx;
    high.s = *U256::from_be(twin.s.view());
    high.y_parity = twin.y_parity;
    high.v = U256(twin.y_parity);
    auto decoded = decode_transaction(encode_transaction(high));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*recover_sender(*decoded), alice().address());
    EXPECT_NE(transaction_hash(*decoded), transaction_hash(tx));
    EXPECT_EQ(validate_error(*decoded), Errc::kTxSignatureHighS);
    EXPECT_EQ(error_code(check_transaction(encode_transaction(high), TxRules{})),
              Errc::kTxSignatureHighS);
}

TEST(Transaction, ReplayFromAnotherChainRecoversButIsInvalidHere) {
    for (TxType type : {TxType::kLegacy, TxType::kDynamicFee}) {
        const Transaction tx = signed_tx(transfer(type), 5);
        auto decoded = decode_transaction(encode_transaction(tx));
        ASSERT_TRUE(decoded);
        EXPECT_EQ(decoded->chain_id, 5u);
        EXPECT_EQ(*recover_sender(*decoded), alice().address());
        EXPECT_EQ(validate_error(*decoded, TxRules{1}), Errc::kTxInvalidChainId);
        EXPECT_EQ(validate_error(*decoded, TxRules{5}), Errc::kOk);
    }
}

TEST(Transaction, UnprotectedLegacyCanBeRefused) {
    const Transaction tx = signed_tx(transfer(TxType::kLegacy), std::nullopt);
    EXPECT_EQ(validate_error(tx, TxRules{1, true}), Errc::kOk);
    EXPECT_EQ(validate_error(tx, TxRules{1, false}), Errc::kTxInvalidChainId);
}

TEST(Transaction, TypedTransactionsNeedAChainIdToBeSigned) {
    auto r = sign_transaction(transfer(TxType::kAccessList), alice(), std::nullopt);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
}

TEST(Transaction, MalformedVIsKeptByDecodeAndRejectedLater) {
    Transaction tx = signed_tx(transfer(TxType::kLegacy), 1);
    tx.v = (U256(1) << 100) + U256(27);  // its EIP-155 chain id would not fit 64 bits
    auto decoded = decode_transaction(encode_transaction(tx));
    ASSERT_TRUE(decoded);
    EXPECT_FALSE(decoded->chain_id);
    EXPECT_EQ(validate_error(*decoded), Errc::kTxInvalidChainId);
    EXPECT_EQ(error_code(recover_sender(*decoded)), Errc::kTxInvalidSignature);
    tx.v = U256(1);
    EXPECT_EQ(validate_error(*decode_transaction(encode_transaction(tx))),
              Errc::kTxInvalidSignature);
    // A hand-built transaction whose v disagrees with its chain id does not recover.
    Transaction mixed = signed_tx(transfer(TxType::kLegacy), 1);
    mixed.chain_id = 2;
    EXPECT_EQ(error_code(recover_sender(mixed)), Errc::kTxInvalidSignature);
}

TEST(Transaction, StatelessRulesInTheirOrder) {
    Transaction tx = signed_tx(transfer(TxType::kDynamicFee));
    Transaction zero_r = tx;
    zero_r.r = U256(0);
    EXPECT_EQ(validate_error(zero_r), Errc::kTxInvalidSignature);
    Transaction nonce = signed_tx([] {
        Transaction t = transfer(TxType::kDynamicFee);
        t.nonce = ~std::uint64_t{0};
        return t;
    }());
    EXPECT_EQ(validate_error(nonce), Errc::kTxNonceTooBig);
    Transaction tip = tx;
    tip.max_priority_fee_per_gas = U256(101);
    EXPECT_EQ(validate_error(tip), Errc::kTxPriorityGreaterThanMaxFee);
    Transaction product = tx;
    product.max_fee_per_gas = U256::max() / U256(50000);
    product.max_priority_fee_per_gas = U256(0);
    EXPECT_EQ(validate_error(product), Errc::kTxGasPriceProductOverflow);
    Transaction low_gas = tx;
    low_gas.gas_limit = intrinsic_gas(tx) - 1;
    EXPECT_EQ(validate_error(low_gas), Errc::kTxIntrinsicGasTooLow);
    low_gas.gas_limit = intrinsic_gas(tx);
    EXPECT_EQ(validate_error(low_gas), Errc::kOk);
}

TEST(Transaction, IntrinsicGasCountsEveryComponent) {
    Transaction tx = transfer(TxType::kAccessList);
    // 21000 + 1 zero byte (4) + 2 non-zero bytes (32) + 1 address (2400) + 2 keys (3800).
    EXPECT_EQ(intrinsic_gas(tx), 21000u + 4 + 32 + 2400 + 3800);
    tx.to.reset();
    tx.access_list.clear();
    tx.data.assign(33, 0xff);  // create: +32000, 33 * 16, and 2 initcode words
    EXPECT_EQ(intrinsic_gas(tx), 21000u + 32000 + 33 * 16 + 2 * 2);
}

TEST(Transaction, InitCodeSizeIsLimitedForCreatesOnly) {
    Transaction tx = transfer(TxType::kDynamicFee);
    tx.to.reset();
    tx.data.assign(kMaxInitCodeSize, 0x60);
    tx.gas_limit = 10'000'000;
    EXPECT_EQ(validate_error(signed_tx(tx)), Errc::kOk);
    tx.data.push_back(0x00);
    EXPECT_EQ(validate_error(signed_tx(tx)), Errc::kTxInitCodeTooLarge);
    tx.to = addr(1);
    EXPECT_EQ(validate_error(signed_tx(tx)), Errc::kOk);
}

// A type-2 envelope whose access list is `access_list` (already encoded) and whose other
// fields are those of `transfer`.
Bytes dynamic_fee_with(ByteView access_list, std::uint64_t y_parity = 0) {
    RlpEncoder enc;
    enc.begin_list().add_uint(std::uint64_t{1}).add_uint(std::uint64_t{7});
    enc.add_uint(std::uint64_t{2}).add_uint(std::uint64_t{100}).add_uint(std::uint64_t{100000});
    enc.add_bytes(addr(0x35).view()).add_uint(std::uint64_t{1000}).add_bytes(Bytes{});
    enc.add_raw(access_list).add_uint(y_parity).add_uint(std::uint64_t{1});
    enc.add_uint(std::uint64_t{1}).end_list();
    Bytes out{0x02};
    append(out, *enc.take());
    return out;
}

Bytes access_list_of(ByteView address, ByteView key) {
    RlpEncoder enc;
    enc.begin_list().begin_list().add_bytes(address).begin_list().add_bytes(key);
    enc.end_list().end_list().end_list();
    return *enc.take();
}

TEST(TransactionDecode, ChecksAccessListShapes) {
    const Bytes a20(20, 0xaa), k32(32, 0xbb);
    EXPECT_EQ(decode_error(dynamic_fee_with(access_list_of(a20, k32))), Errc::kOk);
    EXPECT_EQ(decode_error(dynamic_fee_with(access_list_of(Bytes(19, 1), k32))),
              Errc::kTxAccessListAddressTooShort);
    EXPECT_EQ(decode_error(dynamic_fee_with(access_list_of(Bytes(21, 1), k32))),
              Errc::kTxAccessListAddressTooLong);
    EXPECT_EQ(decode_error(dynamic_fee_with(access_list_of(a20, Bytes(31, 1)))),
              Errc::kTxAccessListStorageTooShort);
    EXPECT_EQ(decode_error(dynamic_fee_with(access_list_of(a20, Bytes(33, 1)))),
              Errc::kTxAccessListStorageTooLong);
    EXPECT_EQ(decode_error(dynamic_fee_with(*from_hex("0xc180"))), Errc::kTxAccessListShape);
    EXPECT_EQ(decode_error(dynamic_fee_with(*from_hex("0x80"))), Errc::kTxAccessListShape);
    EXPECT_EQ(decode_error(dynamic_fee_with(*from_hex("0xc2c180"))), Errc::kTxAccessListShape);
    EXPECT_EQ(decode_error(dynamic_fee_with(*from_hex("0xc3c2c0c0"))), Errc::kTxAccessListAddress);
    EXPECT_EQ(decode_error(dynamic_fee_with(*from_hex("0xc3c28080"))),
              Errc::kTxAccessListAddressTooShort);
    EXPECT_EQ(decode_error(dynamic_fee_with(access_list_of(a20, k32), 2)),
              Errc::kTxInvalidSignature);
}

TEST(TransactionDecode, RejectsBadEnvelopes) {
    const Bytes good = encode_transaction(signed_tx(transfer(TxType::kDynamicFee)));
    EXPECT_EQ(decode_error(Bytes{}), Errc::kRlpEof);
    Bytes type3 = good;
    type3[0] = 0x03;
    EXPECT_EQ(decode_error(type3), Errc::kTxTypeNotSupported);
    EXPECT_EQ(decode_error(Bytes{0x02}), Errc::kRlpEof);
    EXPECT_EQ(decode_error(*from_hex("0x0280")), Errc::kRlpExpectedList);
    Bytes trailing = good;
    trailing.push_back(0x80);
    EXPECT_EQ(decode_error(trailing), Errc::kRlpSizeOverflow);
    Bytes truncated(good.begin(), good.end() - 1);
    EXPECT_EQ(decode_error(truncated), Errc::kRlpSizeOverflow);
    EXPECT_EQ(decode_error(rlp_encode_bytes(good)), Errc::kTxTypeNotSupported);
    EXPECT_EQ(decode_error(*from_hex("0xc0")), Errc::kTxRlpTooFewElements);
}

TEST(TransactionDecode, NamesTheFieldThatIsWrong) {
    auto legacy = [](auto&& edit) {
        RlpEncoder enc;
        enc.begin_list();
        edit(enc);
        enc.end_list();
        return *enc.take();
    };
    RlpEncoder enc;  // a typed transaction whose chain id is 9 bytes wide
    enc.begin_list().add_bytes(Bytes(9, 0x01));
    for (int i = 0; i < 10; ++i) enc.add_uint(std::uint64_t{0});
    enc.end_list();
    Bytes wide_chain{0x02};
    append(wide_chain, *enc.take());
    EXPECT_EQ(decode_error(wide_chain), Errc::kTxInvalidChainId);
    const Bytes as_list = legacy([](RlpEncoder& e) {
        e.add_uint(std::uint64_t{0}).add_uint(std::uint64_t{1}).add_uint(std::uint64_t{21000});
        e.begin_list().end_list();
    });
    EXPECT_EQ(decode_error(as_list), Errc::kTxInvalidTo);
    const Bytes too_many = legacy([](RlpEncoder& e) {
        e.add_uint(std::uint64_t{0}).add_uint(std::uint64_t{1}).add_uint(std::uint64_t{21000});
        e.add_bytes(Bytes{}).add_uint(std::uint64_t{0}).add_bytes(Bytes{});
        e.add_uint(std::uint64_t{27}).add_uint(std::uint64_t{1}).add_uint(std::uint64_t{1});
        e.add_uint(std::uint64_t{0});
    });
    EXPECT_EQ(decode_error(too_many), Errc::kTxRlpTooManyElements);
}

}  // namespace
}  // namespace mfd::core
