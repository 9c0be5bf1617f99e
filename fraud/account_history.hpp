#pragma once
/// The detector's memory of the past: per-account statistics in the `account_history` column
/// family with an in-memory cache, the r values of every observed signature, and the recent
/// level of fee caps. Changes stay in memory (dirty) until `flush` puts them into the caller's
/// WriteBatch at block commit, so history only ever holds committed transactions.
///
/// Keys in core::Column::kAccountHistory: a 20-byte address → an AccountStats record;
/// "r" || 32-byte r → empty (one per observed signature); "g:fee" → the fee level (8 bytes).
///
/// Not thread-safe: the Detector serialises access.

#include <array>
#include <cstddef>
#include <deque>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/kv_store.hpp"
#include "core/uint256.hpp"
#include "fraud/account_stats.hpp"

namespace mfd::fraud {

class AccountHistory {
public:
    /// A history over `store` (may be null: memory only) keeping up to `cache_accounts` clean
    /// records cached. Nothing is read until `load` or the first lookup.
    AccountHistory(core::KvStore* store, std::size_t cache_accounts);

    /// Reads the r values and the fee level from the store. Fails with the store's error or
    /// kCorruption for a malformed record.
    [[nodiscard]] core::Result<void> load();

    /// The statistics of `a` (a default, unseen record when it has none). Fails with the
    /// store's error or kCorruption; the cache keeps what it read. The pointer stays valid
    /// until flush(), discard() or trim_cache().
    [[nodiscard]] core::Result<const AccountStats*> find(const core::Address& a);

    /// The record of `a` for changing; marks it dirty. Errors as find().
    [[nodiscard]] core::Result<AccountStats*> modify(const core::Address& a);

    /// True when a signature with this r but a different s was observed before (ECDSA nonce
    /// reuse); the same signature seen again (a re-broadcast transaction) is not reuse.
    [[nodiscard]] bool r_seen(const core::U256& r, const core::U256& s) const;
    /// Remembers the r and s of an observed signature (dirty until flushed); the first
    /// signature seen with an r is the one kept.
    void add_r(const core::U256& r, const core::U256& s);
    /// Remembers the r and s of a signature seen but not committed (a mempool's or a block
    /// candidate's): two signatures with one r expose the key whether or not either is ever
    /// executed. In memory only, the most recent kMaxSeenR values; never flushed.
    void note_seen_r(const core::U256& r, const core::U256& s);
    static constexpr std::size_t kMaxSeenR = 1u << 18;

    /// The recent level of fee caps: an exponential moving average of log(fee cap in gwei)
    /// over about the last 100 observed transactions; std::nullopt before the first.
    [[nodiscard]] std::optional<double> fee_level() const noexcept { return fee_level_; }
    /// Moves the fee level towards log(`fee_cap_gwei`).
    void observe_fee(double fee_cap_gwei);

    /// While `on`, modify() and add_r() change an overlay of transactions seen but not committed
    /// (the mempool's, in arrival order) instead of the pending changes: find() then reads the
    /// overlay first, so that a transaction is scored with what arrived before it. The overlay
    /// is never flushed; the fee level ignores it.
    void set_seen_mode(bool on) noexcept { seen_mode_ = on; }
    /// Drops the overlay (after a block commits, to be rebuilt from what is still pending).
    void clear_seen() { seen_.clear(); }
    /// The overlay's record of `a`, nullptr when the overlay has none: for a change that must
    /// reach both the pending record and the overlay's copy of it (a refusal between blocks).
    [[nodiscard]] AccountStats* seen_record(const core::Address& a) {
        const auto it = seen_.find(a);
        return it == seen_.end() ? nullptr : &it->second;
    }
    /// Accounts in the overlay.
    [[nodiscard]] std::size_t seen_count() const noexcept { return seen_.size(); }

    /// Puts every dirty record into `batch` and marks them clean; trims the cache afterwards.
    void flush(core::WriteBatch& batch);

    /// Forgets every change not yet flushed (e.g. transactions of a block that was not
    /// committed); what was flushed stays.
    void discard();

    /// Drops clean records beyond the cache capacity (only with a store). Invalidates pointers
    /// from find().
    void trim_cache();

    /// Records changed since the last flush.
    [[nodiscard]] std::size_t dirty_count() const noexcept { return pending_.size(); }

private:
    [[nodiscard]] core::Result<const AccountStats*> committed(const core::Address& a);

    core::KvStore* store_;
    std::size_t capacity_;
    std::unordered_map<core::Address, AccountStats> cache_;    ///< as committed
    std::unordered_map<core::Address, AccountStats> pending_;  ///< changed since the flush
    std::unordered_map<core::Address, AccountStats> seen_;     ///< the uncommitted overlay
    bool seen_mode_ = false;
    struct RecordedR {
        core::U256 r;
        core::U256 s;
    };
    std::unordered_map<std::uint64_t, std::uint64_t> r_committed_;  ///< r → s fingerprints
    std::unordered_map<std::uint64_t, RecordedR> r_pending_;
    /// r → up to two s fingerprints seen uncommitted, and their order of arrival (bounded).
    std::unordered_map<std::uint64_t, std::array<std::uint64_t, 2>> r_seen_;
    std::deque<std::uint64_t> r_seen_order_;
    std::optional<double> fee_level_;
    std::optional<double> fee_committed_;
};

}  // namespace mfd::fraud
