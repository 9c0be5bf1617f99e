#pragma once
/// The shape of a mixture-of-experts fraud model: which columns of a feature row form each
/// group, how many experts specialise on each group, the experts' widths, the gate's top-k and
/// the training regularisers. Generic over the feature layout: the fraud layer decides the
/// columns. No Torch types.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mfd::models {

/// A run of consecutive feature columns with the experts that specialise on it.
struct FeatureGroup {
    std::string name;         ///< "tx", "account", "signature", ...
    std::size_t offset = 0;   ///< first column of the group in a feature row
    std::size_t size = 0;     ///< number of columns
    std::size_t experts = 1;  ///< experts that see this group (and the shared columns)

    friend bool operator==(const FeatureGroup&, const FeatureGroup&) = default;
};

/// The architecture and its training regularisers. Experts are numbered group by group in
/// declaration order (group 0's experts first). A model with a single expert in total is the
/// dense baseline: it has no gate and its one expert sees every column it is given.
struct MoeConfig {
    std::size_t n_features = 0;
    std::vector<FeatureGroup> groups;
    /// Columns every expert sees in addition to its own group (e.g. availability bits).
    std::vector<std::size_t> shared_columns;
    /// Hidden layer widths of every expert (ReLU between layers); the last layer gives a logit.
    std::vector<std::size_t> hidden{32};
    /// Experts each row uses: 1, 2, or 0 for all of them (dense gating). The output is
    /// sigmoid(Σ wᵢ·logitᵢ) over the selected experts, wᵢ being the gate's softmax probability
    /// renormalised over the selected experts (Σ wᵢ = 1) when k >= 2 or dense. With k = 1 the
    /// weight is the raw probability (Switch Transformer): renormalised it would always be 1
    /// and the gate would get no gradient from the task loss.
    std::size_t top_k = 2;
    /// Std of the Gaussian noise added to the gate's logits while training (never when scoring).
    float gate_noise_std = 1.0F;
    /// α of the Switch load-balancing loss α·E·Σ fᵢPᵢ.
    float balance_alpha = 0.01F;
    /// Coefficient of the router z-loss mean(logsumexp(gate logits)²).
    float z_loss_coef = 1e-3F;
    /// Dropout after each hidden layer of the experts while training.
    float dropout = 0.0F;

    /// Total number of experts (sum over groups).
    [[nodiscard]] std::size_t total_experts() const noexcept;
    /// Experts used per row: top_k, or total_experts() when top_k is 0 or exceeds it.
    [[nodiscard]] std::size_t active_experts() const noexcept;
    /// True for a one-expert model (no gate).
    [[nodiscard]] bool is_dense() const noexcept { return total_experts() == 1; }

    friend bool operator==(const MoeConfig&, const MoeConfig&) = default;
};

/// Checks every field: n_features > 0 and at most kMaxFeatures; at least one group; groups
/// non-empty, inside the row, with unique non-empty names and 1..kMaxExpertsPerGroup experts;
/// shared columns inside the row and unique; 1..4 hidden layers of width 1..kMaxHidden;
/// top_k in {0, 1, 2}; noise, α and z-loss finite and >= 0; dropout in [0, 1). Fails with
/// kInvalidArgument naming the field.
[[nodiscard]] core::Result<void> validate(const MoeConfig& config);

/// The group index of expert `e` (experts are numbered group by group). `e` must be valid.
[[nodiscard]] std::size_t expert_group(const MoeConfig& config, std::size_t e) noexcept;

/// The input columns of expert `e`, in the order its first layer reads them: its group's
/// columns, then the shared columns that are not already in the group.
[[nodiscard]] std::vector<std::size_t> expert_columns(const MoeConfig& config, std::size_t e);

/// Parameters one row actually uses: the gate plus `active_experts()` experts (the mean expert
/// size times the number used). Used to size the dense baseline.
[[nodiscard]] std::size_t active_parameter_count(const MoeConfig& config);

/// A dense single-MLP baseline for `moe`: one expert over every column with one hidden layer
/// whose width makes its parameter count the closest to `active_parameter_count(moe)`.
/// Regularisers and dropout carry over; gate settings are irrelevant for it.
[[nodiscard]] MoeConfig dense_baseline(const MoeConfig& moe);

/// The config as a compact JSON object (stored in model files).
[[nodiscard]] std::string to_json(const MoeConfig& config);

/// Parses `to_json`'s output and validates it; fails with kCorruption on malformed JSON or a
/// missing/mistyped field, or with validate()'s error.
[[nodiscard]] core::Result<MoeConfig> config_from_json(std::string_view json);

inline constexpr std::size_t kMaxFeatures = 1 << 16;
inline constexpr std::size_t kMaxExpertsPerGroup = 64;
inline constexpr std::size_t kMaxHidden = 4096;

}  // namespace mfd::models
