#include "fraud/evaluation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "fraud/thresholds.hpp"
#include "models/metrics.hpp"

namespace mfd::fraud {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(std::size_t a, std::size_t b) noexcept {
    return b == 0 ? kNaN : static_cast<double>(a) / static_cast<double>(b);
}

/// Row indices from the highest score down (stable) and where each group of tied scores ends.
struct Ranking {
    std::vector<std::size_t> order;
    std::vector<std::uint8_t> ends_group;  ///< 1 at the last position of a tie group

    explicit Ranking(std::span<const float> scores) : order(scores.size()) {
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
        ends_group.resize(order.size(), 1);
        for (std::size_t k = 0; k + 1 < order.size(); ++k) {
            ends_group[k] = scores[order[k]] == scores[order[k + 1]] ? 0 : 1;
        }
    }
};

/// The curve figures of one weighting of the rows.
struct Curve {
    double roc_auc = kNaN;
    PrevalenceFigures at;
};

/// Walks `ranking` once with row weights `weights` (empty: 1 each). With `prevalence` in
/// (0, 1) the negatives' weights are scaled so that positives are that share of the total.
/// NaN figures when either class has no weight.
Curve walk(const Ranking& ranking, std::span<const float> labels, std::span<const double> weights,
           double prevalence) {
    const auto weight = [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; };
    double positives = 0;
    double negatives = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        (labels[i] == 1.0F ? positives : negatives) += weight(i);
    }
    Curve c;
    c.at = {prevalence, kNaN, kNaN, kNaN, kNaN};
    if (positives <= 0 || negatives <= 0) return c;
    const double scale = prevalence > 0 && prevalence < 1
                             ? positives * (1 - prevalence) / (prevalence * negatives)
                             : 1.0;
    const double all_negatives = negatives * scale;
    double tp = 0, fp = 0, wins = 0, ap = 0, group_pos = 0, group_neg = 0;
    double at_05 = kNaN, at_08 = kNaN, best_recall_09 = 0;
    constexpr double kSlack = 1e-12;  // recall reaching 0.5 exactly despite rounding
    for (std::size_t k = 0; k < ranking.order.size(); ++k) {
        const std::size_t i = ranking.order[k];
        (labels[i] == 1.0F ? group_pos : group_neg) +=
            weight(i) * (labels[i] == 1.0F ? 1.0 : scale);
        if (!ranking.ends_group[k]) continue;
        tp += group_pos;
        fp += group_neg;
        wins += group_pos * ((all_negatives - fp) + 0.5 * group_neg);
        if (tp + fp > 0) {
            const double precision = tp / (tp + fp);
            const double recall = tp / positives;
            ap += (group_pos / positives) * precision;
            if (std::isnan(at_05) && recall >= 0.5 - kSlack) at_05 = precision;
            if (std::isnan(at_08) && recall >= 0.8 - kSlack) at_08 = precision;
            if (precision >= 0.9) best_recall_09 = std::max(best_recall_09, recall);
        }
        group_pos = group_neg = 0;
    }
    c.roc_auc = wins / (positives * all_negatives);
    c.at.pr_auc = ap;
    c.at.precision_at_recall_05 = at_05;
    c.at.precision_at_recall_08 = at_08;
    c.at.recall_at_precision_09 = best_recall_09;
    return c;
}

/// splitmix64: a small generator whose sequence is the same on every platform.
struct SplitMix {
    std::uint64_t state;
    std::uint64_t next() noexcept {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, n) up to a bias of n / 2^64.
    std::size_t below(std::size_t n) noexcept { return static_cast<std::size_t>(next() % n); }
};

/// The `q` quantile of `values` (sorted in place), interpolating between order statistics.
double quantile(std::vector<double>& values, double q) {
    if (values.empty()) return kNaN;
    std::sort(values.begin(), values.end());
    const double pos = q * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

Interval interval_of(std::vector<double>& values, double level) {
    const double tail = (1 - level) / 2;
    return {quantile(values, tail), quantile(values, 1 - tail)};
}

}  // namespace

double Confusion::recall() const noexcept {
    return ratio(tp, tp + fn);
}
double Confusion::precision() const noexcept {
    return ratio(tp, tp + fp);
}
double Confusion::fpr() const noexcept {
    return ratio(fp, fp + tn);
}
double Confusion::f1() const noexcept {
    return ratio(2 * tp, 2 * tp + fp + fn);
}

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

PrevalenceFigures at_prevalence(std::span<const float> scores, std::span<const float> labels,
                                double prevalence) {
    if (scores.size() != labels.size() || !(prevalence > 0 && prevalence < 1)) {
        return {prevalence, kNaN, kNaN, kNaN, kNaN};
    }
    return walk(Ranking(scores), labels, {}, prevalence).at;
}

std::vector<CurvePoint> curve_points(std::span<const float> scores, std::span<const float> labels,
                                     double prevalence) {
    std::vector<CurvePoint> out;
    if (scores.size() != labels.size()) return out;
    double positives = 0;
    double negatives = 0;
    for (float l : labels) (l == 1.0F ? positives : negatives) += 1;
    if (positives == 0 || negatives == 0) return out;
    const double scale = prevalence > 0 && prevalence < 1
                             ? positives * (1 - prevalence) / (prevalence * negatives)
                             : 1.0;
    const Ranking ranking(scores);
    double tp = 0;
    double fp = 0;
    for (std::size_t k = 0; k < ranking.order.size(); ++k) {
        const std::size_t i = ranking.order[k];
        (labels[i] == 1.0F ? tp : fp) += 1;
        if (!ranking.ends_group[k]) continue;
        out.push_back({scores[i], fp / negatives, tp / positives, tp / (tp + fp * scale)});
    }
    return out;
}

BootstrapIntervals bootstrap_intervals(std::span<const float> scores, std::span<const float> labels,
                                       std::span<const std::uint64_t> clusters,
                                       std::span<const double> prevalences,
                                       const BootstrapOptions& options) {
    BootstrapIntervals out;
    const Interval none{kNaN, kNaN};
    out.roc_auc = out.pr_auc = none;
    out.pr_auc_at.assign(prevalences.size(), none);
    if (scores.size() != labels.size() || (!clusters.empty() && clusters.size() != scores.size()) ||
        scores.empty()) {
        return out;
    }
    // Dense unit numbers, in order of first appearance (so the draws do not depend on hashing).
    std::vector<std::size_t> unit(scores.size());
    std::size_t units = 0;
    if (clusters.empty()) {
        std::iota(unit.begin(), unit.end(), std::size_t{0});
        units = scores.size();
    } else {
        std::unordered_map<std::uint64_t, std::size_t> number;
        for (std::size_t i = 0; i < clusters.size(); ++i) {
            unit[i] = number.try_emplace(clusters[i], number.size()).first->second;
        }
        units = number.size();
    }
    const Ranking ranking(scores);
    SplitMix rng{options.seed};
    std::vector<std::size_t> drawn(units);
    std::vector<double> weights(scores.size());
    std::vector<double> roc, ap;
    std::vector<std::vector<double>> ap_at(prevalences.size());
    for (std::size_t r = 0; r < options.resamples; ++r) {
        std::fill(drawn.begin(), drawn.end(), std::size_t{0});
        for (std::size_t d = 0; d < units; ++d) ++drawn[rng.below(units)];
        for (std::size_t i = 0; i < scores.size(); ++i) {
            weights[i] = static_cast<double>(drawn[unit[i]]);
        }
        const Curve c = walk(ranking, labels, weights, 0);
        if (std::isnan(c.roc_auc)) continue;
        roc.push_back(c.roc_auc);
        ap.push_back(c.at.pr_auc);
        for (std::size_t p = 0; p < prevalences.size(); ++p) {
            ap_at[p].push_back(walk(ranking, labels, weights, prevalences[p]).at.pr_auc);
        }
    }
    out.resamples = roc.size();
    if (roc.empty()) return out;
    out.roc_auc = interval_of(roc, options.level);
    out.pr_auc = interval_of(ap, options.level);
    for (std::size_t p = 0; p < prevalences.size(); ++p) {
        out.pr_auc_at[p] = interval_of(ap_at[p], options.level);
    }
    return out;
}

}  // namespace mfd::fraud
