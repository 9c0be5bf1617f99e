#pragma once
/// Where a node spends its time, by phase of a transaction's and a block's life, and what it
/// did: wall-clock nanoseconds and call counts. Plain values; a node updates its own copy on the
/// thread that drives it.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mfd::chain::node {

/// The phases measured.
enum class Phase : std::uint8_t {
    kStatelessCheck,   ///< decode, rules, sender recovery (cached per process)
    kStateCheck,       ///< admission against the chain's state
    kPluginCheckTx,    ///< the plugin's check_tx (scoring)
    kMempool,          ///< mempool insertion, candidate selection and pruning
    kPrepare,          ///< the plugin's prepare_proposal
    kProcess,          ///< checking a proposal (payload, stateless rules, plugin)
    kExtendVote,       ///< the plugin's extend_vote (scoring the candidates)
    kVerifyExtension,  ///< the plugin's verify_vote_extension
    kExecute,          ///< executing a block's transactions
    kCommit,           ///< writing the block to RocksDB
    kPluginFinalize,   ///< the plugin's finalize_block
    kConsensus,        ///< the engine itself (votes, signatures, rounds), excluding the above
};
inline constexpr std::size_t kPhaseCount = 12;

/// "stateless_check", "plugin_check_tx", ...
[[nodiscard]] std::string_view phase_name(Phase phase) noexcept;

struct NodeStats {
    std::array<std::uint64_t, kPhaseCount> nanos{};
    std::array<std::uint64_t, kPhaseCount> calls{};
    std::uint64_t admitted = 0;
    std::uint64_t rejected = 0;
    std::uint64_t plugin_errors = 0;  ///< hook calls that failed (the node carried on)
    std::uint64_t blocks_committed = 0;
    std::uint64_t blocks_replayed = 0;
    std::uint64_t txs_executed = 0;
    std::uint64_t txs_skipped = 0;  ///< announced, then invalid when their block executed
    std::uint64_t txs_dropped = 0;  ///< removed from the mempool: excluded or announced too often

    void add(Phase p, std::chrono::steady_clock::duration d) noexcept {
        nanos[static_cast<std::size_t>(p)] += static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
        calls[static_cast<std::size_t>(p)] += 1;
    }
};

/// Adds the time from construction to destruction to one phase of `stats`.
class PhaseTimer {
public:
    PhaseTimer(NodeStats& stats, Phase phase) noexcept
        : stats_(stats), phase_(phase), start_(std::chrono::steady_clock::now()) {}
    ~PhaseTimer() { stats_.add(phase_, std::chrono::steady_clock::now() - start_); }
    PhaseTimer(const PhaseTimer&) = delete;
    PhaseTimer& operator=(const PhaseTimer&) = delete;

private:
    NodeStats& stats_;
    Phase phase_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace mfd::chain::node
