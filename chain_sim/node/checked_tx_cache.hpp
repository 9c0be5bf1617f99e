#pragma once
/// Stateless transaction checks (decode, Shanghai rules, sender recovery) remembered by
/// transaction hash for a whole process: the validators of a simulation share one cache, so a
/// transaction's signature is recovered once however many validators see it. Misses of a batch
/// are recovered in parallel.

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/transaction_rules.hpp"

namespace mfd::chain::node {

/// Counters of a cache.
struct CheckedTxCacheStats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;  ///< checks computed here (each one sender recovery)
};

/// Thread-safe: sharded by hash, one mutex per shard. Each shard keeps two generations of at most
/// capacity / shards entries; the older one is dropped when the newer fills.
class CheckedTxCache {
public:
    /// A cache for transactions of a chain with `rules`, holding about `capacity` entries.
    explicit CheckedTxCache(core::TxRules rules, std::size_t capacity = std::size_t{1} << 20);

    /// core::check_transaction of `raw` (its stateless error, or the checked transaction),
    /// computed on a miss and remembered either way.
    [[nodiscard]] core::Result<core::CheckedTransaction> check(core::ByteView raw);
    /// The remembered verdict for `hash`, if any.
    [[nodiscard]] std::optional<core::Result<core::CheckedTransaction>> find(
        const core::Hash& hash) const;
    /// check() of every raw transaction, the misses recovered on two threads; in input order.
    [[nodiscard]] std::vector<core::Result<core::CheckedTransaction>> check_all(
        std::span<const core::ByteView> raws);
    /// Remembers a verdict known from elsewhere (a generator that signed the transaction).
    void put(const core::Hash& hash, core::Result<core::CheckedTransaction> verdict);

    /// The rules transactions are checked against.
    [[nodiscard]] const core::TxRules& rules() const noexcept { return rules_; }
    [[nodiscard]] CheckedTxCacheStats stats() const;

private:
    using Verdict = core::Result<core::CheckedTransaction>;
    struct Shard {
        mutable std::mutex mu;
        std::unordered_map<core::Hash, Verdict> current;
        std::unordered_map<core::Hash, Verdict> previous;
        std::uint64_t hits = 0;
        std::uint64_t misses = 0;
    };
    static constexpr std::size_t kShards = 16;

    [[nodiscard]] Shard& shard_of(const core::Hash& hash) const noexcept;
    void insert(Shard& shard, const core::Hash& hash, Verdict verdict);

    core::TxRules rules_;
    std::size_t shard_capacity_;
    mutable std::array<Shard, kShards> shards_;
};

}  // namespace mfd::chain::node
