#pragma once
/// What became of each transaction of the traffic, from one validator's view (the report's
/// detection figures): rejected at admission, left out by the flag rule, found invalid when its
/// block executed, executed, or still pending; and the time from sending to execution.
/// Not thread-safe: the driving thread feeds it.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "chain_sim/node/node_app.hpp"
#include "chain_sim/sim/traffic.hpp"

namespace mfd::chain::sim {

/// Where a transaction stands.
enum class Fate : std::uint8_t {
    kUnsent,    ///< not sent yet (the run ended first)
    kPending,   ///< admitted, not executed yet
    kRejected,  ///< refused at admission
    kExcluded,  ///< left out by the flag rule (flagged by >= the flag share of stake)
    kSkipped,   ///< announced, then invalid when its block executed
    kExecuted,
    kEarlier,  ///< executed by an earlier run of this data directory (resume)
};

/// Counts of one class of transactions.
struct FateCounts {
    std::uint64_t sent = 0;
    std::uint64_t executed = 0;
    std::uint64_t pending = 0;
    std::uint64_t rejected = 0;
    std::uint64_t excluded = 0;
    std::uint64_t skipped = 0;
    /// Never executed: rejected, excluded or skipped.
    [[nodiscard]] std::uint64_t kept_out() const noexcept { return rejected + excluded + skipped; }
    /// Decided: executed or kept out.
    [[nodiscard]] std::uint64_t resolved() const noexcept { return executed + kept_out(); }
};

/// The detection figures of a run.
struct Detection {
    FateCounts fraud;           ///< label 1
    FateCounts honest_valid;    ///< label 0, valid in stream order: every kept-out one is wrong
    FateCounts honest_invalid;  ///< label 0, invalid by design (the chain must refuse them)
    std::map<std::string, FateCounts> by_typology;
    std::map<std::string, std::uint64_t> rejection_reasons;  ///< admission refusals by reason
    std::map<std::string, std::uint64_t> skip_reasons;       ///< invalid at execution, by reason
};

class OutcomeTracker {
public:
    /// Tracks the transactions of `traffic`, which must outlive it.
    explicit OutcomeTracker(const Traffic& traffic);

    /// The index of the traffic transaction with `hash`, or npos.
    [[nodiscard]] std::size_t index_of(const core::Hash& hash) const;
    /// Marks transaction `index` as executed before this run.
    void mark_earlier(std::size_t index);
    /// Transaction `index` was sent at simulated time `now_us`.
    void on_sent(std::size_t index, std::int64_t now_us);
    /// The tracked validator's admission verdict (a resend admitted after a refusal makes the
    /// transaction pending again).
    void on_admission(const node::Admission& admission);
    /// A block the tracked validator committed at simulated time `now_us`.
    void on_block(const node::BlockOutcome& block, std::int64_t now_us);

    /// At the end of a run: a transaction found invalid at execution that is still pooled
    /// (`pooled`), or refused at admission but still being sent again (`resending`, by
    /// index), may yet execute, so it counts as pending.
    void settle(const std::function<bool(const core::Hash&)>& pooled,
                const std::function<bool(std::size_t)>& resending);

    [[nodiscard]] Detection detection() const;
    /// Sending-to-execution times (simulated µs) of the transactions executed in this run.
    [[nodiscard]] const std::vector<std::int64_t>& finality_us() const noexcept {
        return finality_us_;
    }
    [[nodiscard]] Fate fate(std::size_t index) const { return entries_[index].fate; }

private:
    struct Entry {
        Fate fate = Fate::kUnsent;
        std::int64_t sent_us = -1;
        std::string reason;
    };
    const Traffic& traffic_;
    std::vector<Entry> entries_;
    std::unordered_map<core::Hash, std::size_t> index_;
    std::vector<std::int64_t> finality_us_;
};

/// "unsent", "pending", "rejected", ...
[[nodiscard]] std::string_view fate_name(Fate fate) noexcept;

}  // namespace mfd::chain::sim
