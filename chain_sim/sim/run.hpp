#pragma once
/// `chain_sim run`: a whole network of validators in one process (docs/simulator.md). Opens or
/// resumes every validator under the data directory, feeds them the traffic over simulated time,
/// serves JSON-RPC from validator 0's view while it runs, and ends with the report. Call from
/// one thread.

#include <cstdio>
#include <nlohmann/json.hpp>

#include "chain_sim/sim/run_options.hpp"
#include "consensus/params.hpp"
#include "core/result.hpp"

namespace mfd::chain::sim {

/// Runs the simulation; progress goes to stderr, the bound RPC address and the summary to
/// `out`. Returns the JSON report (also written to options.report or <data-dir>/report.json).
/// Fails with kInvalidArgument for bad options (named), kInvalidArgument when the data
/// directory holds a run of other traffic or validators, the loader's or plugin's errors,
/// Node::open's, Server::start's (kIo: the port is taken), or a store failure while committing.
/// Parses --flag-rule: "stake:NUM/DEN" (flagged by at least that share of the stake) or
/// "mean:BP" (stake-weighted score at least BP basis points). kInvalidArgument naming the spec.
[[nodiscard]] core::Result<consensus::FlagRule> parse_flag_rule(std::string_view spec);

[[nodiscard]] core::Result<nlohmann::json> run_simulation(const RunOptions& options,
                                                          std::FILE* out);

}  // namespace mfd::chain::sim
