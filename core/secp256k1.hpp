#pragma once
/// secp256k1 keys, recoverable ECDSA signatures and Ethereum addresses, through libsecp256k1.
/// All functions are thread-safe (one immutable, randomised context is shared).

#include <array>
#include <cstdint>

#include "core/bytes.hpp"

namespace mfd::core {

/// The group order n of secp256k1, big-endian.
extern const Hash kSecp256k1Order;
/// n / 2: an s above it is "high" and malleable (EIP-2 rejects it in transactions).
extern const Hash kSecp256k1HalfOrder;

/// An uncompressed public key: X || Y, 64 bytes (without the 0x04 prefix).
struct PublicKey {
    std::array<std::uint8_t, 64> xy{};
    friend bool operator==(const PublicKey&, const PublicKey&) = default;
};

/// A recoverable signature: r, s (big-endian, 32 bytes each) and the recovery id (0 or 1: the
/// parity of the nonce point's Y coordinate, Ethereum's yParity).
struct Signature {
    Hash r;
    Hash s;
    std::uint8_t y_parity = 0;
    friend bool operator==(const Signature&, const Signature&) = default;
};

/// A secret key in [1, n-1]. Copyable; the bytes are not wiped on destruction.
class PrivateKey {
public:
    /// Fails with kBadKey unless 0 < secret < n.
    [[nodiscard]] static Result<PrivateKey> from_bytes(ByteView secret);
    /// A fresh key from OpenSSL's CSPRNG.
    [[nodiscard]] static Result<PrivateKey> random();
    /// A key derived deterministically from `material` (Keccak-256, re-hashed until valid): the
    /// workload generator uses it so that a seed fixes every account.
    [[nodiscard]] static PrivateKey derive(ByteView material) noexcept;

    [[nodiscard]] const Hash& secret() const noexcept { return secret_; }
    [[nodiscard]] PublicKey public_key() const noexcept;
    [[nodiscard]] Address address() const noexcept;

private:
    explicit PrivateKey(const Hash& secret) noexcept : secret_(secret) {}
    Hash secret_;
};

/// Ethereum address of a public key: the last 20 bytes of Keccak-256(X || Y).
[[nodiscard]] Address address_of(const PublicKey& key) noexcept;

/// Signs a 32-byte digest with RFC 6979 nonces; s is always low (EIP-2).
[[nodiscard]] Signature sign(const PrivateKey& key, const Hash& digest) noexcept;

/// Signs with the caller's nonce `k` (0 < k < n), s normalised low. Two digests signed with one k
/// share r, which exposes the key: only the workload generator uses this, to plant nonce reuse.
[[nodiscard]] Result<Signature> sign_with_nonce(const PrivateKey& key, const Hash& digest,
                                                const Hash& k);

/// Recovers the signer's public key. Accepts high s (the caller enforces EIP-2); fails with
/// kTxInvalidSignature when r or s is zero or >= n, kTxRecoveryFailed when no key recovers.
[[nodiscard]] Result<PublicKey> recover(const Hash& digest, const Signature& sig);

/// True when s > n/2.
[[nodiscard]] bool is_high_s(const Hash& s) noexcept;

/// True when 0 < v < n (a valid r or s scalar).
[[nodiscard]] bool is_valid_scalar(const Hash& v) noexcept;

/// The malleated twin (r, n - s, parity flipped): recovers to the same key, with high s when the
/// input's s was low.
[[nodiscard]] Signature malleate(const Signature& sig) noexcept;

}  // namespace mfd::core
