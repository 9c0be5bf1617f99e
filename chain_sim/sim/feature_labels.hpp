#pragma once
/// `chain_sim run --feature-log FILE`: validator 0's plugin writes every row it scored (its
/// feature log, unlabelled); after the run the rows get the traffic's ground truth — label and
/// typology by transaction hash, "wallet:cancel" (honest: it moves nothing) for the wallets'
/// cancels, -1 for transactions from outside the traffic (sent over JSON-RPC) — and are written
/// to FILE as a labelled feature log (fraud/feature_log.hpp) for `fraudctl train --features`.

#include <filesystem>
#include <functional>

#include "chain_sim/sim/traffic.hpp"
#include "core/result.hpp"

namespace mfd::chain::sim {

/// What labelling did.
struct LabelledCounts {
    std::uint64_t rows = 0;
    std::uint64_t fraud = 0;
    std::uint64_t honest = 0;
    std::uint64_t unknown = 0;
};

/// Reads the plugin's log at `raw`, labels each row from `traffic` (or as a cancel when
/// `is_cancel` says so) and writes `out`. Fails with read_feature_log's errors (kNotFound,
/// kCorruption for a truncated log or another schema) or kIo writing `out`.
[[nodiscard]] core::Result<LabelledCounts> label_feature_log(
    const std::filesystem::path& raw, const std::filesystem::path& out, const Traffic& traffic,
    const std::function<bool(const core::Hash&)>& is_cancel);

}  // namespace mfd::chain::sim
