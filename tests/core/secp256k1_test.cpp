#include "core/secp256k1.hpp"

#include <gtest/gtest.h>

#include "core/keccak.hpp"
#include "core/uint256.hpp"

namespace mfd::core {
namespace {

PrivateKey key46() {
    return *PrivateKey::from_bytes(
        *from_hex("0x4646464646464646464646464646464646464646464646464646464646464646"));
}

TEST(Secp256k1, Eip155ExampleKeyHasKnownAddress) {
    EXPECT_EQ(key46().address().hex(), "0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f");
}

TEST(Secp256k1, Eip155ExampleSignatureIsReproduced) {
    // RFC 6979 is deterministic, so the EIP-155 worked example's r and s come out exactly.
    const Hash digest = *fixed_from_hex<32>(
        "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    const Signature sig = sign(key46(), digest);
    EXPECT_EQ(sig.r.hex(), "0x28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276");
    EXPECT_EQ(sig.s.hex(), "0x67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
    EXPECT_EQ(sig.y_parity, 0);  // v = 37 = 0 + 35 + 2 * 1
    auto pk = recover(digest, sig);
    ASSERT_TRUE(pk);
    EXPECT_EQ(address_of(*pk), key46().address());
}

TEST(Secp256k1, RejectsKeysOutsideTheGroup) {
    EXPECT_EQ(PrivateKey::from_bytes(Hash{}.view()).error().code, Errc::kBadKey);
    EXPECT_FALSE(PrivateKey::from_bytes(kSecp256k1Order.view()));
    EXPECT_FALSE(PrivateKey::from_bytes(Bytes(31, 1)));
    EXPECT_TRUE(PrivateKey::random());
}

TEST(Secp256k1, SignaturesAreLowSAndMalleatedTwinRecoversSameKey) {
    for (int i = 0; i < 50; ++i) {
        const auto key = PrivateKey::derive(as_bytes("k" + std::to_string(i)));
        const Hash digest = keccak256("msg" + std::to_string(i));
        const Signature sig = sign(key, digest);
        EXPECT_FALSE(is_high_s(sig.s));
        const Signature twin = malleate(sig);
        EXPECT_TRUE(is_high_s(twin.s));
        EXPECT_EQ(twin.r, sig.r);
        auto pk = recover(digest, twin);
        ASSERT_TRUE(pk);
        EXPECT_EQ(address_of(*pk), key.address());
    }
}

TEST(Secp256k1, ReusedNonceGivesSameR) {
    const auto key = PrivateKey::derive(as_bytes("victim"));
    const Hash k = keccak256("fixed nonce");
    auto a = sign_with_nonce(key, keccak256("one"), k);
    auto b = sign_with_nonce(key, keccak256("two"), k);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->r, b->r);
    EXPECT_NE(a->s, b->s);
    EXPECT_EQ(address_of(*recover(keccak256("two"), *b)), key.address());
    EXPECT_FALSE(sign_with_nonce(key, keccak256("one"), Hash{}));
}

TEST(Secp256k1, RecoverRejectsOutOfRangeScalars) {
    const Hash digest = keccak256("x");
    Signature sig = sign(key46(), digest);
    Signature zero_r = sig;
    zero_r.r = Hash{};
    EXPECT_EQ(recover(digest, zero_r).error().code, Errc::kTxInvalidSignature);
    Signature big_s = sig;
    big_s.s = kSecp256k1Order;
    EXPECT_EQ(recover(digest, big_s).error().code, Errc::kTxInvalidSignature);
    Signature bad_v = sig;
    bad_v.y_parity = 2;
    EXPECT_FALSE(recover(digest, bad_v));
    // A different digest recovers some other key, never the signer's.
    auto other = recover(keccak256("y"), sig);
    if (other) {
        EXPECT_NE(address_of(*other), key46().address());
    }
}

TEST(Secp256k1, DeriveIsDeterministic) {
    EXPECT_EQ(PrivateKey::derive(as_bytes("seed")).secret(), PrivateKey::derive(as_bytes("seed")).secret());
    EXPECT_NE(PrivateKey::derive(as_bytes("seed")).secret(), PrivateKey::derive(as_bytes("seed2")).secret());
}

}  // namespace
}  // namespace mfd::core
