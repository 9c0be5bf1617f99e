#pragma once
/// What became of each transaction of the traffic, from one validator's view (the report's
/// detection figures): rejected at admission, left out by the flag rule, found invalid when its
/// block executed, executed, or still pending; why each one kept out was kept out (the
/// detector, an earlier transaction it needed that was kept out, its timing, or the chain's
/// rules alone); and the time from sending to execution. Not thread-safe: the driving thread
/// feeds it.

#include <cstddef>
#include <array>
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
    kStuck,    ///< behind an earlier nonce that was kept out and never filled (pooled or held)
};

/// Why a transaction was kept out.
enum class Cause : std::uint8_t {
    kDetector,    ///< left out by the flag rule, or refused by the plugin at admission
    kCollateral,  ///< it needed an earlier transaction that was kept out (funds, a contract,
                  ///< an allowance, or its signer's earlier nonce left unused)
    kTiming,      ///< refused for a nonce or funds not there yet, although they came later
    kRules,       ///< the chain's rules on their own
};
inline constexpr std::size_t kCauseCount = 4;

/// "detector", "collateral", "timing", "rules".
[[nodiscard]] std::string_view cause_name(Cause cause) noexcept;

/// Counts of one class of transactions.
struct FateCounts {
    std::uint64_t sent = 0;
    std::uint64_t executed = 0;
    std::uint64_t pending = 0;
    std::uint64_t rejected = 0;
    std::uint64_t excluded = 0;
    std::uint64_t skipped = 0;
    std::uint64_t stuck = 0;    ///< pooled behind a kept-out nonce its wallet could not fill
    std::uint64_t waiting = 0;  ///< due but not sent: its wallet still waits on what it needs
    std::array<std::uint64_t, kCauseCount> kept_out_by_cause{};
    std::uint64_t executed_unflagged = 0;  ///< executed, flagged by no validator
    std::uint64_t executed_outvoted = 0;   ///< executed, flagged by less stake than the rule
    /// Never executed: rejected, excluded, skipped or stuck.
    [[nodiscard]] std::uint64_t kept_out() const noexcept {
        return rejected + excluded + skipped + stuck;
    }
    /// Decided: executed or kept out.
    [[nodiscard]] std::uint64_t resolved() const noexcept { return executed + kept_out(); }
};

/// The detection figures of a run.
struct Detection {
    /// Fraud kept out, counting only what the past can show: the first use of a reused ECDSA
    /// nonce is left out (nothing before it reveals the reuse; docs/typologies.md).
    FateCounts fraud_detectable;
    FateCounts fraud;           ///< label 1
    FateCounts honest_valid;    ///< label 0, valid in stream order: every kept-out one is wrong
    FateCounts honest_invalid;  ///< label 0, invalid by design (the chain must refuse them)
    std::map<std::string, FateCounts> by_typology;
    std::map<std::string, std::uint64_t> rejection_reasons;  ///< admission refusals by reason
    std::map<std::string, std::uint64_t> skip_reasons;       ///< invalid at execution, by reason
    std::map<std::string, FateCounts> detectable_by_typology;  ///< as fraud_detectable
    std::uint64_t pending_at_end = 0;  ///< traffic sent or due and not decided at the end
};

/// What the run knows beyond the tracker's own records, for the causes.
struct CauseContext {
    /// True when transaction `i`'s signer left an earlier nonce unused (a kept-out transaction
    /// its wallet could not fill).
    std::function<bool(std::size_t)> blocked_by_gap;
    /// True when transaction `i` is due and its wallet has not sent it yet.
    std::function<bool(std::size_t)> waiting;
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
    /// index), may yet execute, so it counts as pending; a pending or unsent one behind a nonce
    /// that will never be filled (`stuck`, by index) is kept out.
    void settle(const std::function<bool(const core::Hash&)>& pooled,
                const std::function<bool(std::size_t)>& resending,
                const std::function<bool(std::size_t)>& stuck = {});

    [[nodiscard]] Detection detection(const CauseContext& context = {}) const;
    /// Why kept-out transaction `index` was kept out (its fate must be a kept-out one).
    [[nodiscard]] Cause cause_of(std::size_t index, const CauseContext& context) const;
    /// How many transactions of the traffic are pending (sent, not decided).
    [[nodiscard]] std::size_t pending() const;
    /// Sending-to-execution times (simulated µs) of the transactions executed in this run.
    [[nodiscard]] const std::vector<std::int64_t>& finality_us() const noexcept {
        return finality_us_;
    }
    [[nodiscard]] Fate fate(std::size_t index) const { return entries_[index].fate; }
    /// index,hash,label,typology,sender_role,fate,cause,reason,flagged_power,sent_ms,height per
    /// transaction
    /// of the traffic (cause empty unless kept out), for analysis outside.
    [[nodiscard]] std::string outcomes_csv(const CauseContext& context) const;

private:
    struct Entry {
        Fate fate = Fate::kUnsent;
        std::int64_t sent_us = -1;
        std::string reason;
        core::Errc code = core::Errc::kOk;  ///< the refusal's or the skip's reason
        bool by_plugin = false;             ///< refused by the plugin (its check_tx)
        std::int64_t flagged_power = 0;     ///< the most stake that flagged it in a block
        std::uint64_t height = 0;           ///< the block that executed or excluded it
    };
    void count(FateCounts& c, std::size_t index, const CauseContext& context) const;
    const Traffic& traffic_;
    std::vector<Entry> entries_;
    std::unordered_map<core::Hash, std::size_t> index_;
    /// The signer's previous transaction valid in stream order (npos for the first).
    std::vector<std::size_t> previous_;
    std::vector<std::int64_t> finality_us_;
    /// True when `i` or an earlier transaction of its signer needed one that was kept out.
    [[nodiscard]] bool lost_dependency(std::size_t i) const;
};

/// "unsent", "pending", "rejected", ...
[[nodiscard]] std::string_view fate_name(Fate fate) noexcept;

}  // namespace mfd::chain::sim
