#pragma once
/// The mempool: transactions admitted through the stateless checks (core::check_transaction)
/// and the chain's stateful admission checks, kept per sender by nonce, offered to the block
/// builder by fee priority without breaking any sender's nonce order, replaced by the same
/// sender's transaction of the same nonce paying enough more, bounded in count (per sender and
/// in all, evicting the cheapest tail transaction when full), and pruned after each committed
/// block. Not thread-safe: the node serialises calls. Reads the chain's committed state.

#include <cstddef>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include "chain_sim/chain.hpp"

namespace mfd::chain {

/// Bounds and the replacement rule.
struct MempoolConfig {
    std::size_t max_transactions = 10'000;
    /// How many transactions one sender may have pooled (geth's pool bounds executable ones by
    /// its global slots only; this keeps one sender from filling the pool).
    std::size_t max_per_sender = 1024;
    /// How far beyond its pending nonce (the account nonce plus the pooled run that follows it
    /// without a gap) a sender's transaction may be: the queued, not yet executable ones
    /// (geth's accountqueue).
    std::size_t max_queued = 64;
    std::uint64_t replacement_bump_percent = 10;  ///< both fee cap and tip must rise this much
};

class Mempool {
public:
    /// A pool feeding blocks of `chain`, which must outlive it.
    Mempool(const Chain& chain, MempoolConfig config) : chain_(&chain), config_(config) {}

    /// Decodes, validates and recovers `raw` (core::check_transaction with the chain's rules),
    /// then admits it as `add` does. Returns the transaction hash.
    [[nodiscard]] core::Result<core::Hash> add_raw(core::ByteView raw);

    /// Admits a checked transaction: the chain's admission check (kTxNonceTooLow,
    /// kTxInsufficientFunds, kTxFeeCapBelowBaseFee, ...), check_window's errors,
    /// kTxAlreadyKnown for a known hash or a same-nonce transaction
    /// that does not pay the replacement bump, kLimitExceeded when the pool is full of
    /// transactions paying at least as much. A replacement
    /// takes the old one's place; when the pool is full the cheapest tail transaction (the
    /// highest nonce of its sender) is evicted. Returns the transaction hash.
    [[nodiscard]] core::Result<core::Hash> add(const core::CheckedTransaction& tx);

    /// The bounds on one sender: kTxNonceTooHigh for a nonce max_queued or more beyond the
    /// sender's pending nonce, kLimitExceeded when the sender already has max_per_sender pooled
    /// (a same-nonce replacement passes both). Fails with the store's error.
    [[nodiscard]] core::Result<void> check_window(const core::CheckedTransaction& tx) const;

    /// The nonce the sender's next transaction should carry: its account nonce, past the pooled
    /// transactions that follow it without a gap. Fails with the store's error.
    [[nodiscard]] core::Result<std::uint64_t> pending_nonce(const core::Address& sender) const;

    /// Up to `max` transactions for the next block: each sender's run of consecutive nonces
    /// from its account nonce, senders interleaved by the tip each next transaction pays at the
    /// next base fee (higher first, then earlier arrival). Fails with the store's error.
    [[nodiscard]] core::Result<std::vector<core::CheckedTransaction>> candidates(
        std::size_t max) const;

    /// Removes the transactions of a committed block and every pooled transaction whose nonce
    /// its sender has passed. Fails with the store's error (having removed the included ones).
    [[nodiscard]] core::Result<void> on_committed(const ExecutedBlock& block);

    /// How many transactions are pooled.
    [[nodiscard]] std::size_t size() const noexcept { return by_hash_.size(); }
    /// Whether the transaction with `hash` is pooled.
    [[nodiscard]] bool contains(const core::Hash& hash) const { return by_hash_.contains(hash); }

private:
    struct Entry {
        core::CheckedTransaction tx;
        std::uint64_t arrival = 0;
    };

    [[nodiscard]] core::U256 tip(const core::Transaction& tx) const;
    [[nodiscard]] bool pays_replacement(const core::Transaction& old_tx,
                                        const core::Transaction& new_tx) const;
    [[nodiscard]] core::Result<void> make_room(const core::Transaction& incoming);
    void remove(core::Hash hash);

    const Chain* chain_;
    MempoolConfig config_;
    std::uint64_t arrivals_ = 0;
    std::unordered_map<core::Hash, Entry> by_hash_;
    std::unordered_map<core::Address, std::map<std::uint64_t, core::Hash>> by_sender_;
};

}  // namespace mfd::chain
