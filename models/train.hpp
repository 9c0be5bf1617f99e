#pragma once
/// Training of a mixture of experts (or of the dense baseline, same loop) on labelled feature
/// rows, on the CPU: AdamW on mini-batches; loss = weighted BCE (or focal) + Switch
/// load-balancing α·E·Σ fᵢPᵢ + router z-loss; noisy top-k gating and dropout in training only;
/// a stratified validation split with early stopping that restores the best epoch's weights.
/// No Torch types.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "models/config.hpp"
#include "models/model.hpp"

namespace mfd::models {

/// Labelled rows. The spans must stay valid during train().
struct TrainData {
    std::span<const float> rows;     ///< n × n_features, row-major
    std::span<const float> labels;   ///< n values, each 0 or 1 (1 = fraud)
    std::span<const float> weights;  ///< empty, or n sample weights >= 0
    /// Empty, or n probabilities in [0, 1] from a teacher model (distillation): with
    /// TrainOptions::distill_weight λ > 0 a row's training target is (1 - λ)·label + λ·teacher.
    /// Validation (early stopping) always uses the labels.
    std::span<const float> teacher{};
};

/// What early stopping watches.
enum class StopMetric : std::uint8_t {
    kPrAuc,  ///< validation average precision (falls back to loss without positives)
    kLoss,   ///< validation task loss
};

/// One epoch's figures, passed to the progress callback and kept in the result.
struct EpochReport {
    std::size_t epoch = 0;       ///< 1-based
    double train_loss = 0;       ///< total: task + balance + z-loss (mean over batches)
    double train_task_loss = 0;  ///< weighted BCE or focal part
    double balance_loss = 0;
    double z_loss = 0;
    double val_loss = 0;     ///< task loss on the validation rows (NaN without validation)
    double val_pr_auc = 0;   ///< NaN without validation positives
    double val_roc_auc = 0;  ///< NaN without both classes in validation
    std::vector<double> train_utilisation;  ///< per expert: fraction of rows routed (noisy gate)
    std::vector<double> val_utilisation;    ///< the same with the scoring gate (no noise)
    bool best = false;                      ///< this epoch's weights are the best so far
};

/// How to train.
struct TrainOptions {
    std::uint64_t seed = 1;  ///< initial weights, split, shuffling, noise and dropout
    std::size_t max_epochs = 30;
    std::size_t batch_size = 512;
    float learning_rate = 3e-3F;
    float weight_decay = 1e-4F;        ///< AdamW's decoupled decay
    float validation_fraction = 0.2F;  ///< per class; 0 trains on everything, no early stop
    std::size_t patience = 5;          ///< epochs without improvement before stopping
    StopMetric stop_metric = StopMetric::kPrAuc;
    bool class_weighting = true;  ///< weigh classes to equal total weight (n / (2·n_class))
    float focal_gamma = 0.0F;     ///< > 0: focal loss (1 - p_t)^γ · BCE instead of BCE
    /// Holds the gate at zero (weights and bias start at 0 and are never updated), so every
    /// row mixes its experts with equal weights: the uniform-gate ablation. Use top_k 0 (with
    /// top-k the tie is broken by expert order, not by the row). Ignored for a dense model.
    bool uniform_gate = false;
    /// λ in [0, 1]: weight of the teacher's probability in the training target (TrainData::
    /// teacher, required when λ > 0); 0 trains on the labels alone.
    float distill_weight = 0.0F;
    /// LibTorch intra-op threads during training (process-wide setting, restored afterwards);
    /// 0 leaves it unchanged. Results are reproducible for a given seed and thread count.
    int threads = 1;
    std::function<void(const EpochReport&)> on_epoch;  ///< called after every epoch
};

/// The trained model (best epoch's weights, normalisation fit on the training split) and the
/// per-epoch history.
struct TrainResult {
    Model model;
    std::vector<EpochReport> history;
    std::size_t best_epoch = 0;  ///< 1-based
    /// Indices (into the data) of the validation rows, ascending, so an evaluation can score
    /// the same split.
    std::vector<std::size_t> validation_rows;
};

/// Trains `config` on `data`. Deterministic for a seed on the CPU: our own generator draws the
/// initial weights, the split and the shuffles, a private Torch generator seeded from it draws
/// noise and dropout. Fails with kInvalidArgument for a bad config or options, sizes that do not
/// match, a label other than 0/1, a negative or non-finite weight, a NaN/inf feature (naming
/// row and column), or a training split without both classes; kInternal on a LibTorch error.
/// Thread-safety: may run concurrently with other calls, except that `threads` changes a
/// process-wide LibTorch setting.
[[nodiscard]] core::Result<TrainResult> train(const MoeConfig& config, const TrainData& data,
                                              const TrainOptions& options = {});

}  // namespace mfd::models
