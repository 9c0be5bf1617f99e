#pragma once
/// Ranking metrics for binary fraud labels, used for early stopping and training reports.
/// Pure functions of their inputs; thread-safe.

#include <span>

namespace mfd::models {

/// PR-AUC as average precision: Σ over distinct score thresholds, from the highest down, of
/// (recall gained) × (precision at that threshold), ties counted together. `labels` are 0 or 1
/// and as many as `scores`. NaN when there is no positive or the sizes differ.
[[nodiscard]] double average_precision(std::span<const float> scores,
                                       std::span<const float> labels);

/// ROC-AUC: the probability that a random positive outscores a random negative, ties counting
/// one half. NaN when a class is absent or the sizes differ.
[[nodiscard]] double roc_auc(std::span<const float> scores, std::span<const float> labels);

}  // namespace mfd::models
