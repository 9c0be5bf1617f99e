#pragma once
/// The XGBoost baseline (libxgboost's C API): gradient-boosted trees on the same feature rows
/// as the mixture of experts, so every evaluation can show the two side by side. No XGBoost
/// types in this header.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/result.hpp"

namespace mfd::fraud {

/// Boosting settings (binary:logistic; hist trees).
struct XgbOptions {
    int rounds = 300;
    int max_depth = 6;
    double eta = 0.05;
    double subsample = 0.8;
    double colsample = 0.8;
    double min_child_weight = 1.0;
    std::uint64_t seed = 1;
    int threads = 2;
};

/// A trained booster. Move-only; predict is safe to call from one thread at a time.
class XgbModel {
public:
    /// Trains on `rows` (n × n_features, row-major) with 0/1 `labels` and optional per-row
    /// `weights` (empty: all 1). Fails with kInvalidArgument on mismatched sizes or an empty
    /// set, or kInternal with XGBoost's message.
    [[nodiscard]] static core::Result<XgbModel> train(std::span<const float> rows,
                                                      std::size_t n_features,
                                                      std::span<const float> labels,
                                                      std::span<const float> weights,
                                                      const XgbOptions& options = {});

    /// The probability of label 1 for each row of `rows`. Fails with kInvalidArgument when the
    /// size is not a multiple of the feature count, or kInternal with XGBoost's message.
    [[nodiscard]] core::Result<std::vector<float>> predict(std::span<const float> rows) const;

    XgbModel(XgbModel&&) noexcept;
    XgbModel& operator=(XgbModel&&) noexcept;
    ~XgbModel();

private:
    struct Impl;
    explicit XgbModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// Out-of-fold probabilities (cross-fitting): the distinct `groups[i]` (empty `groups`: every
/// row its own group), ordered by a hash with the seed, are dealt to `folds` parts in turn, so
/// the rows of one group (e.g. one account) share a part; each part is scored by a booster
/// trained on the others. So every row gets a teacher's probability that its own label (and
/// its account's) did not shape: the soft targets of distillation. Fails as XgbModel::train
/// does, or with kInvalidArgument for folds < 2, groups of the wrong size, or a single group.
[[nodiscard]] core::Result<std::vector<float>> out_of_fold_predictions(
    std::span<const float> rows, std::size_t n_features, std::span<const float> labels,
    std::span<const float> weights, std::span<const std::uint64_t> groups, std::size_t folds,
    const XgbOptions& options = {});

}  // namespace mfd::fraud
