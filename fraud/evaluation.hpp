#pragma once
/// Detection metrics for labelled scores: ROC-AUC, PR-AUC (average precision), recall at a
/// false-positive rate, the confusion matrix and F1 at a threshold, recall per typology, and
/// expert utilisation; figures at a deployment prevalence and bootstrap confidence intervals.
/// Thread-safe: pure functions.

#include <cstddef>
#include <cstdint>
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

/// Figures at a deployment prevalence: the honest rows are reweighted (each by the same factor)
/// so that fraud is `prevalence` of the total weight, as if an operator saw one fraudulent
/// row in 1/prevalence. Precision falls with prevalence; ROC-AUC does not move.
struct PrevalenceFigures {
    double prevalence = 0;
    double pr_auc = 0;                  ///< average precision under the reweighting
    double precision_at_recall_05 = 0;  ///< at the highest threshold reaching recall 0.5
    double precision_at_recall_08 = 0;  ///< at the highest threshold reaching recall 0.8
    double recall_at_precision_09 = 0;  ///< the highest recall at precision >= 0.9 (0: none)
};

/// PrevalenceFigures of `scores` against 0/1 `labels`; NaN fields when a class is absent or
/// the sizes differ, or `prevalence` is outside (0, 1).
[[nodiscard]] PrevalenceFigures at_prevalence(std::span<const float> scores,
                                              std::span<const float> labels, double prevalence);

/// One point of the ROC and PR curves: the figures when every row scoring >= `threshold` is
/// flagged.
struct CurvePoint {
    float threshold = 0;
    double fpr = 0;
    double recall = 0;
    double precision = 0;  ///< under the prevalence's reweighting
};

/// The curves of `scores` against 0/1 `labels`, one point per distinct score from the highest
/// down (ties form one point), precision with the honest rows reweighted to `prevalence` as in
/// at_prevalence (0: as given). Empty when a class is absent or the sizes differ.
[[nodiscard]] std::vector<CurvePoint> curve_points(std::span<const float> scores,
                                                   std::span<const float> labels,
                                                   double prevalence);

/// A two-sided percentile interval.
struct Interval {
    double low = 0;
    double high = 0;
};

/// Percentile bootstrap intervals of ROC-AUC, PR-AUC and the PR-AUC at each prevalence.
struct BootstrapIntervals {
    std::size_t resamples = 0;  ///< resamples that held both classes (the others are skipped)
    Interval roc_auc;
    Interval pr_auc;
    std::vector<Interval> pr_auc_at;  ///< one per entry of `prevalences`, in order
};

/// How bootstrap_intervals resamples.
struct BootstrapOptions {
    std::size_t resamples = 1000;
    std::uint64_t seed = 1;
    double level = 0.95;  ///< coverage of each interval
};

/// Bootstrap over units: `clusters` gives each row's unit (an account; ids need not be dense)
/// and a resample draws as many units as there are, with replacement, each bringing all of its
/// rows; empty `clusters` makes every row its own unit. The same inputs and seed give the same
/// intervals on every platform. NaN intervals when a class is absent or the sizes differ.
[[nodiscard]] BootstrapIntervals bootstrap_intervals(std::span<const float> scores,
                                                     std::span<const float> labels,
                                                     std::span<const std::uint64_t> clusters,
                                                     std::span<const double> prevalences,
                                                     const BootstrapOptions& options = {});

}  // namespace mfd::fraud
