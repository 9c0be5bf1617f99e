#pragma once
/// Labelled feature rows for models::train, with group masking: a detector meets rows whose
/// account or signature group could not be computed, so training shows it such rows too.
/// Thread-compatible value types and pure functions.

#include <cstdint>
#include <span>
#include <vector>

#include "fraud/feature_rows.hpp"

namespace mfd::fraud {

/// Rows with a 0/1 label and a sample weight each.
struct TrainingSet {
    FeatureRows rows;
    std::vector<float> labels;
    std::vector<float> weights;

    /// Appends row `i` of `other`.
    void append(const TrainingSet& other, std::size_t i);
    [[nodiscard]] std::size_t size() const noexcept { return labels.size(); }
};

/// Sets every column of group `g` in `row` to 0, its availability bit included.
void mask_group(std::span<float> row, Group g);

/// Appends, for each of the account, signature and state groups, a copy of about `share` of the
/// rows that have the group, with that group masked (same label and weight). Deterministic in
/// `seed`. Returns the row each appended copy was made from, in order.
std::vector<std::size_t> add_masked_copies(TrainingSet& set, double share, std::uint64_t seed);

/// A uniform draw in [0, 1) from (`key`, `seed`) with SplitMix64: the same on every platform.
[[nodiscard]] double unit_hash(std::uint64_t key, std::uint64_t seed) noexcept;

}  // namespace mfd::fraud
