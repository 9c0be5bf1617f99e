#pragma once
/// The options of `chain_sim run` (docs/simulator.md). Plain values.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace mfd::chain::sim {

struct RunOptions {
    std::size_t validators = 4;
    std::uint64_t blocks = 40;  ///< blocks to commit in this run (a resumed run: that many more)
    /// After `blocks`, commit up to as many more while some of the traffic is undecided.
    bool drain = true;
    std::uint64_t seed = 1;
    double fraud_rate = 0.05;
    std::string byzantine;                ///< "2:equivocate,3:silent"
    std::string flag_rule = "stake:1/3";  ///< "stake:NUM/DEN" or "mean:BASIS_POINTS"
    std::string device = "auto";
    std::filesystem::path data_dir = "data";
    std::string rpc = "127.0.0.1:8545";  ///< "" or "off": no server
    bool serve = false;
    std::optional<std::filesystem::path> report;  ///< default <data_dir>/report.json
    std::optional<std::filesystem::path> plugin;  ///< default: the loader's search
    std::filesystem::path model = "models/default.safetensors";
    std::optional<std::filesystem::path> traffic;  ///< a stream file instead of generating
    /// Every traffic transaction's fate and cause as CSV.
    std::optional<std::filesystem::path> outcomes_csv;
    /// Overrides the model's decision threshold (probability) in every plugin.
    std::optional<double> threshold;
    /// Picks the model's threshold chosen for this false-positive rate (default: the plugins').
    std::optional<double> target_fpr;
    /// Validator 0's scored rows, labelled with the traffic's ground truth, go here.
    std::optional<std::filesystem::path> feature_log;
    std::uint64_t accounts = 2000;
    std::uint64_t txs = 20'000;
    std::uint64_t tx_interval_ms = 100;  ///< mean time between honest transactions (chain clock)
    /// The chain's clock runs this many times faster than the network's simulated clock: one
    /// simulated second between blocks is 100 s of traffic at real accounts' pace.
    std::uint64_t time_scale = 100;
    /// Move every validator's plugin store aside and rebuild it from its chain (after the
    /// start-up check found the two disagreeing).
    bool rebuild_plugin_stores = false;
    bool progress = true;
    bool quiet = false;  ///< no summary on stdout (the report is still written)
    /// Set (from a signal handler) to stop the run early or to end --serve.
    const std::atomic<bool>* stop = nullptr;
};

}  // namespace mfd::chain::sim
