#include "fraud/evaluation.hpp"

#include <limits>

#include "fraud/thresholds.hpp"
#include "models/metrics.hpp"

namespace mfd::fraud {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(std::size_t a, std::size_t b) noexcept {
    return b == 0 ? kNaN : static_cast<double>(a) / static_cast<double>(b);
}

}  // namespace

double Confusion::recall() const noexcept { return ratio(tp, tp + fn); }
double Confusion::precision() const noexcept { return ratio(tp, tp + fp); }
double Confusion::fpr() const noexcept { return ratio(fp, fp + tn); }
double Confusion::f1() const noexcept { return ratio(2 * tp, 2 * tp + fp + fn); }

Confusion confusion_at(std::span<const float> scores, std::span<const float> labels,
                       float threshold) {
    Confusion c;
    for (std::size_t i = 0; i < scores.size() && i < labels.size(); ++i) {
        const bool flagged = scores[i] >= threshold;
        if (labels[i] == 1.0F) {
            (flagged ? c.tp : c.fn) += 1;
        } else {
            (flagged ? c.fp : c.tn) += 1;
        }
    }
    return c;
}

double recall_at_fpr(std::span<const float> scores, std::span<const float> labels, double fpr) {
    return confusion_at(scores, labels, threshold_for_fpr(scores, labels, fpr)).recall();
}

std::map<std::string, GroupRecall> recall_by_key(std::span<const float> scores,
                                                 std::span<const float> labels,
                                                 std::span<const std::string> keys,
                                                 float threshold) {
    std::map<std::string, GroupRecall> out;
    std::map<std::string, std::size_t> hits;
    for (std::size_t i = 0; i < scores.size() && i < labels.size() && i < keys.size(); ++i) {
        if (labels[i] != 1.0F) continue;
        out[keys[i]].count += 1;
        hits[keys[i]] += scores[i] >= threshold ? 1 : 0;
    }
    for (auto& [key, r] : out) r.recall = ratio(hits[key], r.count);
    return out;
}

BinaryReport binary_report(std::span<const float> scores, std::span<const float> labels,
                           float threshold) {
    BinaryReport r;
    r.roc_auc = models::roc_auc(scores, labels);
    r.pr_auc = models::average_precision(scores, labels);
    r.recall_at_fpr_001 = recall_at_fpr(scores, labels, 0.001);
    r.recall_at_fpr_01 = recall_at_fpr(scores, labels, 0.01);
    r.threshold = threshold;
    r.at_threshold = confusion_at(scores, labels, threshold);
    return r;
}

}  // namespace mfd::fraud
