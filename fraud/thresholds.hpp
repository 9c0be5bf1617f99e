#pragma once
/// Decision thresholds chosen for target false-positive rates, and their JSON form in model
/// files ({"by_fpr":[{"fpr":0.001,"threshold":0.93},...]}). Thread-safe: pure functions.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mfd::fraud {

/// A threshold and the false-positive rate it was chosen for.
struct ThresholdPoint {
    double fpr = 0;
    float threshold = 0.5F;
    friend bool operator==(const ThresholdPoint&, const ThresholdPoint&) = default;
};

/// The lowest threshold t such that at most ⌊fpr × negatives⌋ negatives score >= t (scores
/// of label 0 only count). 0 when there are no negatives; above 1 when fpr is 0 and a
/// negative scores 1.
[[nodiscard]] float threshold_for_fpr(std::span<const float> scores,
                                      std::span<const float> labels, double fpr);

/// The JSON document of `points`.
[[nodiscard]] std::string thresholds_json(const std::vector<ThresholdPoint>& points);

/// Parses thresholds_json's output; "{}" gives an empty list. Fails with kCorruption naming
/// the problem (not JSON, wrong shape, fpr outside [0, 1], non-finite threshold).
[[nodiscard]] core::Result<std::vector<ThresholdPoint>> parse_thresholds(std::string_view json);

/// The threshold of the point whose fpr is closest to `target_fpr` (in log scale); 0.5 when
/// `points` is empty.
[[nodiscard]] float pick_threshold(const std::vector<ThresholdPoint>& points, double target_fpr);

}  // namespace mfd::fraud
