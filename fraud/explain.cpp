#include "fraud/explain.hpp"

#include <algorithm>
#include <cmath>

namespace mfd::fraud {

void mixing_weights(const models::MoeConfig& config, std::span<const float> gate,
                    std::span<const std::uint8_t> used, std::span<float> out) {
    const std::size_t e = out.size();
    const std::size_t k = config.active_experts();
    float kept = 0;
    for (std::size_t i = 0; i < e; ++i) kept += used[i] ? gate[i] : 0.0F;
    const bool renormalise = k >= 2 && k < e && kept > 0;
    for (std::size_t i = 0; i < e; ++i) {
        out[i] = used[i] ? (renormalise ? gate[i] / kept : gate[i]) : 0.0F;
    }
}

namespace {

/// Inserts `item` into the first `count` entries of `top` (kept sorted by `better`), dropping
/// the last one when full.
template <class T, std::size_t N, class Better>
void keep_top(std::array<T, N>& top, std::uint8_t& count, const T& item, Better better) {
    std::size_t at = count;
    while (at > 0 && better(item, top[at - 1])) --at;
    if (at >= N) return;
    for (std::size_t i = std::min<std::size_t>(count, N - 1); i > at; --i) top[i] = top[i - 1];
    top[at] = item;
    if (count < N) ++count;
}

}  // namespace

Explanation explain(const models::MoeConfig& config, std::span<const float> row, GroupMask mask,
                    std::span<const float> weights, std::span<const float> expert_logits,
                    std::span<const float> effects) {
    Explanation x;
    x.groups = mask;
    x.anomalies = anomaly_bits(row.data());
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (weights[i] <= 0.0F) continue;
        const auto& g = config.groups[models::expert_group(config, i)];
        const ExpertShare share{static_cast<std::uint8_t>(i), feature_group(g.offset), weights[i],
                                1.0F / (1.0F + std::exp(-expert_logits[i]))};
        keep_top(x.experts, x.expert_count, share,
                 [](const auto& a, const auto& b) { return a.weight > b.weight; });
    }
    for (std::size_t f = 0; f < effects.size() && f < row.size(); ++f) {
        if (effects[f] == 0.0F) continue;
        keep_top(x.features, x.feature_count,
                 FeatureEffect{static_cast<std::uint8_t>(f), row[f], effects[f]},
                 [](const auto& a, const auto& b) { return std::fabs(a.effect) > std::fabs(b.effect); });
    }
    return x;
}

}  // namespace mfd::fraud
