#pragma once
/// Builds Explanations from a model's per-row outputs. Thread-safe: pure functions.

#include <cstdint>
#include <span>

#include "fraud/score.hpp"
#include "models/config.hpp"

namespace mfd::fraud {

/// The mixing weight of every expert from the gate's softmax `gate` and the selection `used`,
/// as the models layer mixes: renormalised over the selected experts for top-k >= 2, the raw
/// probability for k = 1, the softmax itself for dense gating. `out` gets one value per expert.
void mixing_weights(const models::MoeConfig& config, std::span<const float> gate,
                    std::span<const std::uint8_t> used, std::span<float> out);

/// The explanation of one row: the experts with a non-zero weight (highest first, at most
/// kExplainedExperts), the features with the largest |effect| (none when `effects` is empty),
/// the computed groups `mask` and the signature anomalies present in `row`.
[[nodiscard]] Explanation explain(const models::MoeConfig& config, std::span<const float> row,
                                  GroupMask mask, std::span<const float> weights,
                                  std::span<const float> expert_logits,
                                  std::span<const float> effects);

}  // namespace mfd::fraud
