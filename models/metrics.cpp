#include "models/metrics.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <vector>

namespace mfd::models {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Indices of `scores` from the highest score down (stable, so the result is reproducible).
std::vector<std::size_t> descending(std::span<const float> scores) {
    std::vector<std::size_t> order(scores.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
    return order;
}

}  // namespace

double average_precision(std::span<const float> scores, std::span<const float> labels) {
    if (scores.size() != labels.size()) return kNaN;
    const double positives = std::count(labels.begin(), labels.end(), 1.0F);
    if (positives == 0) return kNaN;
    const auto order = descending(scores);
    double true_pos = 0;
    double seen = 0;
    double ap = 0;
    for (std::size_t i = 0; i < order.size();) {
        double gained = 0;
        const float threshold = scores[order[i]];
        for (; i < order.size() && scores[order[i]] == threshold; ++i) {
            gained += labels[order[i]] == 1.0F ? 1 : 0;
            seen += 1;
        }
        true_pos += gained;
        ap += (gained / positives) * (true_pos / seen);
    }
    return ap;
}

double roc_auc(std::span<const float> scores, std::span<const float> labels) {
    if (scores.size() != labels.size()) return kNaN;
    const double positives = std::count(labels.begin(), labels.end(), 1.0F);
    const double negatives = static_cast<double>(labels.size()) - positives;
    if (positives == 0 || negatives == 0) return kNaN;
    const auto order = descending(scores);
    double wins = 0;  // pairs (positive, negative) with the positive ranked higher
    double negatives_below = negatives;
    for (std::size_t i = 0; i < order.size();) {
        double pos = 0;
        double neg = 0;
        const float threshold = scores[order[i]];
        for (; i < order.size() && scores[order[i]] == threshold; ++i) {
            (labels[order[i]] == 1.0F ? pos : neg) += 1;
        }
        negatives_below -= neg;
        wins += pos * (negatives_below + 0.5 * neg);
    }
    return wins / (positives * negatives);
}

}  // namespace mfd::models
