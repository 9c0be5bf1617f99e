#include "chain_sim/node/checked_tx_cache.hpp"

#include <algorithm>

#include "chain_sim/parallel.hpp"
#include "core/keccak.hpp"

namespace mfd::chain::node {

CheckedTxCache::CheckedTxCache(core::TxRules rules, std::size_t capacity)
    : rules_(rules), shard_capacity_(std::max<std::size_t>(capacity / kShards, 16)) {}

CheckedTxCache::Shard& CheckedTxCache::shard_of(const core::Hash& hash) const noexcept {
    return shards_[hash.bytes[0] % kShards];
}

std::optional<core::Result<core::CheckedTransaction>> CheckedTxCache::find(
    const core::Hash& hash) const {
    Shard& s = shard_of(hash);
    std::lock_guard lock(s.mu);
    if (auto it = s.current.find(hash); it != s.current.end()) {
        ++s.hits;
        return it->second;
    }
    if (auto it = s.previous.find(hash); it != s.previous.end()) {
        ++s.hits;
        return it->second;
    }
    return std::nullopt;
}

void CheckedTxCache::insert(Shard& s, const core::Hash& hash, Verdict verdict) {
    std::lock_guard lock(s.mu);
    if (s.current.size() >= shard_capacity_) {
        s.previous = std::move(s.current);
        s.current.clear();
    }
    s.current.insert_or_assign(hash, std::move(verdict));
}

void CheckedTxCache::put(const core::Hash& hash, core::Result<core::CheckedTransaction> verdict) {
    insert(shard_of(hash), hash, std::move(verdict));
}

core::Result<core::CheckedTransaction> CheckedTxCache::check(core::ByteView raw) {
    const core::Hash hash = core::keccak256(raw);
    if (auto hit = find(hash)) return std::move(*hit);
    Verdict verdict = core::check_transaction(raw, rules_);
    Shard& s = shard_of(hash);
    {
        std::lock_guard lock(s.mu);
        ++s.misses;
    }
    insert(s, hash, verdict);
    return verdict;
}

std::vector<core::Result<core::CheckedTransaction>> CheckedTxCache::check_all(
    std::span<const core::ByteView> raws) {
    std::vector<Verdict> out(raws.size(), core::fail(core::Errc::kInternal, "not checked"));
    parallel_for(raws.size(), [&](std::size_t i) { out[i] = check(raws[i]); });
    return out;
}

CheckedTxCacheStats CheckedTxCache::stats() const {
    CheckedTxCacheStats out;
    for (const Shard& s : shards_) {
        std::lock_guard lock(s.mu);
        out.hits += s.hits;
        out.misses += s.misses;
    }
    return out;
}

}  // namespace mfd::chain::node
