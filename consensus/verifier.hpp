#pragma once
/// Signature verification for consensus messages. In one process that runs many validators
/// (the simulation), every distinct signed message needs verifying once: CachingVerifier keeps
/// (digest, signature) -> signer so that the other validators' checks are look-ups.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "consensus/validator_set.hpp"

namespace mfd::consensus {

/// Checks that `signature` over `digest` was made by `key`. Implementations are thread-safe.
class SignatureVerifier {
public:
    virtual ~SignatureVerifier() = default;
    /// True when the signature recovers to `key`; false for any other key or a bad signature.
    [[nodiscard]] virtual bool verify(const core::Hash& digest, const core::Signature& signature,
                                      const core::PublicKey& key) = 0;
};

/// Recovers the public key every time (libsecp256k1 through core::recover).
class DirectVerifier final : public SignatureVerifier {
public:
    [[nodiscard]] bool verify(const core::Hash& digest, const core::Signature& signature,
                              const core::PublicKey& key) override;
};

/// Counters of a CachingVerifier.
struct VerifierStats {
    std::uint64_t hits = 0;
    std::uint64_t recoveries = 0;
};

/// Remembers the signer recovered for each (digest, signature), in two generations of at most
/// `capacity` entries each (the older generation is dropped when the newer fills). A hit needs
/// the exact digest and signature, so a different signature over a known digest is recovered
/// anew. Thread-safe (one mutex).
class CachingVerifier final : public SignatureVerifier {
public:
    explicit CachingVerifier(std::size_t capacity = 1 << 13) : capacity_(capacity) {}

    [[nodiscard]] bool verify(const core::Hash& digest, const core::Signature& signature,
                              const core::PublicKey& key) override;
    [[nodiscard]] VerifierStats stats() const;

private:
    struct Entry {
        core::Signature signature;
        core::PublicKey signer;
        bool valid = false;
    };
    using Map = std::unordered_map<core::Hash, Entry, PrefixHash, SameBytes>;

    [[nodiscard]] const Entry* find(const core::Hash& digest, const core::Signature& sig) const;

    std::size_t capacity_;
    mutable std::mutex mutex_;
    Map current_;
    Map previous_;
    VerifierStats stats_;
};

}  // namespace mfd::consensus
