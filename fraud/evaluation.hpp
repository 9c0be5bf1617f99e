#pragma once
/// Detection metrics for labelled scores: ROC-AUC, PR-AUC (average precision), recall at a
/// false-positive rate, the confusion matrix and F1 at a threshold, recall per typology, and
/// expert utilisation. Thread-safe: pure functions.

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace mfd::fraud {

/// Counts at a threshold (flagged = score >= threshold).
struct Confusion {
    std::size_t tp = 0;
    std::size_t fp = 0;
    std::size_t tn = 0;
    std::size_t fn = 0;

    [[nodiscard]] double recall() const noexcept;
    [[nodiscard]] double precision() const noexcept;
    [[nodiscard]] double fpr() const noexcept;
    [[nodiscard]] double f1() const noexcept;
};

/// The confusion matrix of `scores` against 0/1 `labels` at `threshold`.
[[nodiscard]] Confusion confusion_at(std::span<const float> scores, std::span<const float> labels,
                                     float threshold);

/// Recall at the threshold threshold_for_fpr(scores, labels, fpr) (NaN without positives).
[[nodiscard]] double recall_at_fpr(std::span<const float> scores, std::span<const float> labels,
                                   double fpr);

/// Per distinct key among positives, the share flagged at `threshold` and the count.
struct GroupRecall {
    double recall = 0;
    std::size_t count = 0;
};
[[nodiscard]] std::map<std::string, GroupRecall> recall_by_key(std::span<const float> scores,
                                                               std::span<const float> labels,
                                                               std::span<const std::string> keys,
                                                               float threshold);

/// The headline figures of one scorer on one labelled set.
struct BinaryReport {
    double roc_auc = 0;
    double pr_auc = 0;
    double recall_at_fpr_001 = 0;  ///< at FPR 0.1 %
    double recall_at_fpr_01 = 0;   ///< at FPR 1 %
    float threshold = 0.5F;
    Confusion at_threshold;
};

/// ROC-AUC, PR-AUC, recall at FPR 0.1 % and 1 %, and the confusion at `threshold`.
[[nodiscard]] BinaryReport binary_report(std::span<const float> scores,
                                         std::span<const float> labels, float threshold);

}  // namespace mfd::fraud
