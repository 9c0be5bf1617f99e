#pragma once
/// Printing and JSON of fraudctl's evaluation figures.

#include <nlohmann/json.hpp>
#include <string>

#include "fraud/evaluation.hpp"

namespace mfd::tools {

/// {"roc_auc", "pr_auc", "recall_at_fpr_0.001", "recall_at_fpr_0.01", "threshold",
///  "confusion": {"tp","fp","tn","fn"}}.
[[nodiscard]] nlohmann::ordered_json report_json(const fraud::BinaryReport& r);

/// One aligned line: name, ROC-AUC, PR-AUC, recall at FPR 0.1 % and 1 %.
[[nodiscard]] std::string report_line(const std::string& name, const fraud::BinaryReport& r);

}  // namespace mfd::tools
