#pragma once
/// Printing and JSON of fraudctl's evaluation figures.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "fraud/evaluation.hpp"

namespace mfd::tools {

/// {"roc_auc", "pr_auc", "recall_at_fpr_0.001", "recall_at_fpr_0.01", "threshold",
///  "confusion": {"tp","fp","tn","fn"}}.
[[nodiscard]] nlohmann::ordered_json report_json(const fraud::BinaryReport& r);

/// One aligned line: name, ROC-AUC, PR-AUC, recall at FPR 0.1 % and 1 %.
[[nodiscard]] std::string report_line(const std::string& name, const fraud::BinaryReport& r);

/// The prevalences every evaluation reports figures at (fraud share of the traffic), and their
/// keys in the JSON output.
inline constexpr double kPrevalences[] = {0.01, 0.003};
inline constexpr const char* kPrevalenceKeys[] = {"0.01", "0.003"};

/// How the deployment figures' bootstrap runs (`--bootstrap`, `--bootstrap-seed`).
struct DeploymentOptions {
    std::size_t resamples = 1000;  ///< 0: no intervals
    std::uint64_t seed = 1;
};

/// The figures at kPrevalences and the 95 % bootstrap intervals of every AUC, resampling
/// `units` (one per row; empty: rows): {"roc_auc_ci":[lo,hi], "pr_auc_ci":[lo,hi],
/// "at_prevalence":{"0.01":{"pr_auc", "pr_auc_ci", "precision_at_recall_0.5",
/// "precision_at_recall_0.8", "recall_at_precision_0.9"}, "0.003":{...}}}. The intervals are
/// left out with options.resamples == 0. NaN figures (a class absent) are written as null.
[[nodiscard]] nlohmann::ordered_json deployment_json(std::span<const float> scores,
                                                     std::span<const float> labels,
                                                     std::span<const std::uint64_t> units,
                                                     const DeploymentOptions& options);

/// Adds --bootstrap and --bootstrap-seed to an evaluation command.
void add_deployment_options(CLI::App& cmd, DeploymentOptions& options);

/// Writes `figures` (indented) to `path` when it is not empty; a file that cannot be written is
/// a usage error (exit 2, the reason on stderr).
void write_json(const std::string& path, const nlohmann::ordered_json& figures);

/// One indented line per prevalence of deployment_json's output, for the terminal.
[[nodiscard]] std::string deployment_lines(const nlohmann::ordered_json& figures);

}  // namespace mfd::tools
