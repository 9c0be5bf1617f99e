#pragma once
/// Internal to models/: the Torch-free preparation of training data (checks, stratified split,
/// normalisation statistics, per-row loss weights).

#include <cstddef>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "models/detail/rng.hpp"
#include "models/train.hpp"

namespace mfd::models::detail {

/// Row indices of the training and validation parts.
struct Split {
    std::vector<std::size_t> train;
    std::vector<std::size_t> val;
};

/// Per-feature mean and standard deviation (1 where a feature is constant).
struct Normalisation {
    std::vector<float> mean;
    std::vector<float> std;
};

/// Checks sizes, labels, weights and feature values against `config` (see train()).
[[nodiscard]] core::Result<void> check_data(const MoeConfig& config, const TrainData& data);

/// Checks the options' ranges (batch size, epochs, rates, fraction, gamma).
[[nodiscard]] core::Result<void> check_options(const TrainOptions& options);

/// Puts round(fraction × class size) rows of each class, chosen by `rng`, in validation.
[[nodiscard]] Split stratified_split(std::span<const float> labels, float fraction, Rng& rng);

/// Mean and std of each feature over `rows` (indices into data.rows), in double precision.
[[nodiscard]] Normalisation fit_normalisation(std::span<const float> rows, std::size_t n_features,
                                              const std::vector<std::size_t>& indices);

/// Each row's loss weight: its sample weight (1 if none) times, with class weighting,
/// W / (2 · W_class), W being the sample weight summed over the training rows and W_class the
/// same over its class's training rows (so both classes weigh the same in total).
[[nodiscard]] std::vector<float> loss_weights(const TrainData& data, const Split& split,
                                              bool class_weighting);

}  // namespace mfd::models::detail
