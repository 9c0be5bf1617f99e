#pragma once
/// The report of a simulated run: the figures a run gathers, their JSON form (written with
/// --report) and the human summary printed at the end. docs/simulator.md lists the fields.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "chain_sim/node/node_stats.hpp"
#include "chain_sim/sim/driver.hpp"
#include "chain_sim/sim/outcomes.hpp"
#include "chain_sim/sim/wallets.hpp"
#include "consensus/application.hpp"

namespace mfd::chain::sim {

/// A slashing or jailing the chain committed.
struct SlashEvent {
    std::uint64_t height = 0;  ///< the block that punished
    std::string kind;          ///< "equivocation" or "downtime"
    core::Address validator;
    std::int64_t slashed = 0;  ///< stake taken (equivocation)
};

/// What a run measured.
struct RunFigures {
    std::size_t validators = 0;
    std::string byzantine;
    std::uint64_t seed = 0;
    std::uint64_t start_height = 0;  ///< the height found at start (> 0: resumed)
    std::uint64_t end_height = 0;
    std::uint64_t blocks = 0;            ///< committed in this run
    std::uint64_t txs = 0;               ///< executed in this run
    std::uint64_t announced = 0;         ///< candidates announced by the blocks of this run
    std::uint64_t rounds_over_zero = 0;  ///< blocks decided after round 0
    double wall_s = 0;                   ///< the consensus loop, wall clock
    double traffic_s = 0;                ///< generating (or reading) and pre-checking the traffic
    double simulated_s = 0;
    std::vector<std::int64_t> finality_us;  ///< sending to execution, simulated
    Detection detection;
    WalletCounters wallets;
    std::uint64_t drain_blocks = 0;  ///< blocks committed past --blocks to drain the traffic
    bool interrupted = false;        ///< stopped by a signal before --blocks were committed
    std::uint64_t traffic_txs = 0;
    std::uint64_t traffic_earlier = 0;  ///< executed by an earlier run (resume)
    std::vector<SlashEvent> slashing;
    nlohmann::json experts;  ///< validator 0's fraud_getExpertStats, or null
    node::NodeStats node0;
    std::uint64_t cache_hits = 0;
    std::uint64_t cache_misses = 0;
    DriverCounters driver;
    std::string plugin;  ///< the plugin library, or "" without one
    std::string rpc;     ///< the bound endpoint, or ""
};

/// The p-th percentile (0..100) of `values` (sorted copy; 0 when empty).
[[nodiscard]] double percentile(std::vector<std::int64_t> values, double p);

/// The JSON report.
[[nodiscard]] nlohmann::json report_json(const RunFigures& f);

/// The summary for a terminal, several lines.
[[nodiscard]] std::string summary_text(const RunFigures& f);

}  // namespace mfd::chain::sim
