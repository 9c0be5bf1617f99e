#include "consensus/verifier.hpp"

#include <cstring>

namespace mfd::consensus {

namespace {

// Recovers the signer; `valid` is false when no key recovers.
bool recover_signer(const core::Hash& digest, const core::Signature& sig, core::PublicKey& out) {
    auto key = core::recover(digest, sig);
    if (!key) return false;
    out = *key;
    return true;
}

}  // namespace

bool DirectVerifier::verify(const core::Hash& digest, const core::Signature& signature,
                            const core::PublicKey& key) {
    core::PublicKey signer;
    return recover_signer(digest, signature, signer) && signer == key;
}

const CachingVerifier::Entry* CachingVerifier::find(const core::Hash& digest,
                                                    const core::Signature& sig) const {
    for (const Map* map : {&current_, &previous_}) {
        const auto it = map->find(digest);
        if (it != map->end() && same_bytes(it->second.signature.r, sig.r) &&
            same_bytes(it->second.signature.s, sig.s) &&
            it->second.signature.y_parity == sig.y_parity) {
            return &it->second;
        }
    }
    return nullptr;
}

bool CachingVerifier::verify(const core::Hash& digest, const core::Signature& signature,
                             const core::PublicKey& key) {
    {
        const std::lock_guard lock(mutex_);
        if (const Entry* e = find(digest, signature)) {
            ++stats_.hits;
            return e->valid && std::memcmp(e->signer.xy.data(), key.xy.data(), 64) == 0;
        }
    }
    // Recover outside the lock: two threads may both recover one signature, which is harmless.
    Entry entry{signature, {}, false};
    entry.valid = recover_signer(digest, signature, entry.signer);
    const std::lock_guard lock(mutex_);
    ++stats_.recoveries;
    if (current_.size() >= capacity_) {
        previous_ = std::move(current_);
        current_ = Map{};
    }
    current_.insert_or_assign(digest, entry);
    return entry.valid && entry.signer == key;
}

VerifierStats CachingVerifier::stats() const {
    const std::lock_guard lock(mutex_);
    return stats_;
}

}  // namespace mfd::consensus
