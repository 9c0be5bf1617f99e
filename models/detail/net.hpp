#pragma once
/// Internal to models/ (includes torch/torch.h; never include it from a public header).
///
/// The network as Torch tensors, laid out so that every expert runs on the whole batch with
/// fixed shapes and few, large kernels. Activations are feature-major, [units, n]:
///   - first layer: one matmul for the gate [E, F] and one per group whose experts' first
///     layers are stacked [E_g·h0, window]; a group reads the window of columns from its first
///     to its last input column (its own columns plus any shared ones), and weights on window
///     columns an expert does not read are structural zeros (the whole window is the group
///     when there are no shared columns). The outputs are concatenated into [E + E·h0, n].
///   - later layers and the output layer: one batched matmul over experts, [E, h_l, h_{l-1}].
/// The gate's top-k then masks the experts' logits; nothing gathers rows per expert. Training
/// keeps the structural zeros at zero by masking the gradients (AdamW leaves a zero weight
/// with zero gradient at zero).

#include <torch/torch.h>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "models/model.hpp"

namespace mfd::models::detail {

/// The parameters. gate_w is undefined in a one-expert (dense) model.
struct NetParams {
    torch::Tensor gate_w;                    ///< [E, F]
    torch::Tensor gate_b;                    ///< [E, 1]
    std::vector<torch::Tensor> group_w;      ///< per group [E_g·h0, window_g]
    std::vector<torch::Tensor> group_b;      ///< per group [E_g·h0, 1]
    std::vector<torch::Tensor> inner_w;      ///< per later layer [E, h_l, h_{l-1}]
    std::vector<torch::Tensor> inner_b;      ///< per later layer [E, h_l, 1]
    torch::Tensor out_w;                     ///< [E, 1, h_last]
    torch::Tensor out_b;                     ///< [E, 1, 1]
    std::vector<std::int64_t> window_start;  ///< first input column of each group's window

    /// Every defined tensor (the trainable parameters).
    [[nodiscard]] std::vector<torch::Tensor> all() const;
    /// A detached copy on `device`; `clone` forces a copy even on the same device.
    [[nodiscard]] NetParams to(const torch::Device& device, bool clone = false) const;
};

/// Per group, 1 where group_w may hold a weight and 0 at the structural zeros; undefined for
/// a group whose window has none.
using GroupMasks = std::vector<torch::Tensor>;

/// How to run the forward pass.
struct ForwardOptions {
    std::size_t active_experts = 1;            ///< k of top-k (E for dense gating)
    bool training = false;                     ///< noise and dropout only when true
    float noise_std = 0.0F;                    ///< gate logit noise (training only)
    float dropout = 0.0F;                      ///< after each hidden layer (training only)
    c10::optional<at::Generator> generator{};  ///< noise and dropout draws (training only)
};

/// What one forward pass gives: logit [n], every other tensor [E, n].
struct ForwardOut {
    torch::Tensor logit;          ///< Σ selected weight × expert logit (pre-sigmoid)
    torch::Tensor gate_logits;    ///< before noise (the z-loss reads these)
    torch::Tensor gate_probs;     ///< softmax over all experts (of the noisy logits in training)
    torch::Tensor selected;       ///< 1.0 for the experts used, else 0.0
    torch::Tensor expert_logits;  ///< every expert's logit
};

/// Runs gate and experts on rows `x` [n, F] (already normalised unless the params fold the
/// normalisation in). Mixing weights: the selected experts' softmax probabilities renormalised
/// to sum 1 when k >= 2; with k = 1 the raw probability (Switch style), so that the gate keeps
/// a gradient. Throws c10::Error on a Torch failure.
[[nodiscard]] ForwardOut forward(const NetParams& params, const torch::Tensor& x,
                                 const ForwardOptions& options);

/// The parameters of `model` on the CPU (normalisation not folded in).
[[nodiscard]] NetParams params_from_model(const Model& model);

/// The structural masks of `config` on the CPU.
[[nodiscard]] GroupMasks masks_for(const MoeConfig& config);

/// The per-expert tensors (Model naming, without norm.*) of `params`.
[[nodiscard]] std::map<std::string, HostTensor> tensors_from_params(const MoeConfig& config,
                                                                    const NetParams& params);

/// Params that take raw rows: (x - mean) / std folded into the first layer and the gate.
[[nodiscard]] NetParams fold_normalisation(const NetParams& params, const torch::Tensor& mean,
                                           const torch::Tensor& std);

/// A CPU tensor copy of `t`.
[[nodiscard]] torch::Tensor to_torch(const HostTensor& t);

}  // namespace mfd::models::detail
