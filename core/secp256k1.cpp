#include "core/secp256k1.hpp"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <cstring>

#include "core/keccak.hpp"
#include "core/sha256.hpp"
#include "core/uint256.hpp"

namespace mfd::core {

const Hash kSecp256k1Order = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                               0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                               0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41}};
const Hash kSecp256k1HalfOrder = {{0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73,
                                   0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b,
                                   0x20, 0xa0}};

namespace {

// One context for the process, randomised once against side channels; libsecp256k1 allows
// concurrent use of a context through const pointers.
const secp256k1_context* context() noexcept {
    static const secp256k1_context* const ctx = [] {
        secp256k1_context* c =
            secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
        std::uint8_t seed[32];
        if (secure_random(seed)) {
            [[maybe_unused]] const int randomised = secp256k1_context_randomize(c, seed);
        }
        return c;
    }();
    return ctx;
}

// A nonce function that hands back the caller's k (passed through `data`) on the first attempt.
int fixed_nonce(unsigned char* nonce32, const unsigned char*, const unsigned char*,
                const unsigned char*, void* data, unsigned int attempt) {
    if (attempt != 0) return 0;
    std::memcpy(nonce32, data, 32);
    return 1;
}

Result<Signature> sign_impl(const PrivateKey& key, const Hash& digest,
                            secp256k1_nonce_function noncefp, const void* ndata) {
    secp256k1_ecdsa_recoverable_signature rsig;
    if (secp256k1_ecdsa_sign_recoverable(context(), &rsig, digest.data(), key.secret().data(),
                                         noncefp, ndata) != 1) {
        return fail(Errc::kBadKey, "signing failed (invalid nonce)");
    }
    std::uint8_t compact[64];
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), compact, &recid, &rsig);
    Signature sig;
    std::memcpy(sig.r.data(), compact, 32);
    std::memcpy(sig.s.data(), compact + 32, 32);
    sig.y_parity = static_cast<std::uint8_t>(recid);
    return sig;
}

}  // namespace

Result<PrivateKey> PrivateKey::from_bytes(ByteView secret) {
    if (secret.size() != 32) {
        return fail(Errc::kBadKey, "a private key is 32 bytes, got " + std::to_string(secret.size()));
    }
    if (secp256k1_ec_seckey_verify(context(), secret.data()) != 1) {
        return fail(Errc::kBadKey, "private key is zero or not below the group order");
    }
    return PrivateKey(*Hash::from(secret));
}

Result<PrivateKey> PrivateKey::random() {
    for (int attempt = 0; attempt < 16; ++attempt) {
        Hash secret;
        if (auto r = secure_random(secret.bytes); !r) return fail(r.error());
        if (auto key = from_bytes(secret.view())) return key;
    }
    return fail(Errc::kUnavailable, "random generator produced no valid key");
}

PrivateKey PrivateKey::derive(ByteView material) noexcept {
    Hash secret = keccak256(material);
    while (secp256k1_ec_seckey_verify(context(), secret.data()) != 1) {
        secret = keccak256(secret.view());
    }
    return PrivateKey(secret);
}

PublicKey PrivateKey::public_key() const noexcept {
    secp256k1_pubkey pk;
    PublicKey out;
    if (secp256k1_ec_pubkey_create(context(), &pk, secret_.data()) != 1) return out;
    std::uint8_t ser[65];
    std::size_t len = sizeof(ser);
    secp256k1_ec_pubkey_serialize(context(), ser, &len, &pk, SECP256K1_EC_UNCOMPRESSED);
    std::memcpy(out.xy.data(), ser + 1, 64);
    return out;
}

Address PrivateKey::address() const noexcept { return address_of(public_key()); }

Address address_of(const PublicKey& key) noexcept {
    const Hash h = keccak256(ByteView(key.xy.data(), key.xy.size()));
    return Address::right_aligned(h.view());
}

Signature sign(const PrivateKey& key, const Hash& digest) noexcept {
    // With RFC 6979 and a valid key, signing cannot fail.
    return *sign_impl(key, digest, secp256k1_nonce_function_rfc6979, nullptr);
}

Result<Signature> sign_with_nonce(const PrivateKey& key, const Hash& digest, const Hash& k) {
    if (!is_valid_scalar(k)) return fail(Errc::kBadKey, "nonce must be in [1, n-1]");
    return sign_impl(key, digest, fixed_nonce, k.data());
}

Result<PublicKey> recover(const Hash& digest, const Signature& sig) {
    if (!is_valid_scalar(sig.r) || !is_valid_scalar(sig.s)) {
        return fail(Errc::kTxInvalidSignature, "r and s must be in [1, n-1]");
    }
    if (sig.y_parity > 1) return fail(Errc::kTxInvalidSignature, "recovery id must be 0 or 1");
    // libsecp256k1 recovers only from low s; a high-s signature recovers the same key as its
    // twin (r, n - s) with the parity flipped.
    const Signature low = is_high_s(sig.s) ? malleate(sig) : sig;
    std::uint8_t compact[64];
    std::memcpy(compact, low.r.data(), 32);
    std::memcpy(compact + 32, low.s.data(), 32);
    secp256k1_ecdsa_recoverable_signature rsig;
    if (secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &rsig, compact,
                                                            low.y_parity) != 1) {
        return fail(Errc::kTxInvalidSignature, "signature does not parse");
    }
    secp256k1_pubkey pk;
    if (secp256k1_ecdsa_recover(context(), &pk, &rsig, digest.data()) != 1) {
        return fail(Errc::kTxRecoveryFailed, "no public key recovers from this signature");
    }
    std::uint8_t ser[65];
    std::size_t len = sizeof(ser);
    secp256k1_ec_pubkey_serialize(context(), ser, &len, &pk, SECP256K1_EC_UNCOMPRESSED);
    PublicKey out;
    std::memcpy(out.xy.data(), ser + 1, 64);
    return out;
}

bool is_high_s(const Hash& s) noexcept { return s > kSecp256k1HalfOrder; }

bool is_valid_scalar(const Hash& v) noexcept { return !v.is_zero() && v < kSecp256k1Order; }

Signature malleate(const Signature& sig) noexcept {
    const U256 n = *U256::from_be(kSecp256k1Order.view());
    const U256 s = *U256::from_be(sig.s.view());
    return Signature{sig.r, (n - s).to_be32(), static_cast<std::uint8_t>(sig.y_parity ^ 1U)};
}

}  // namespace mfd::core
