#pragma once
/// A plain C++ forward pass over a Model's per-expert tensors, written straight from the
/// definition (normalise, per-expert MLP on its own columns, softmax gate, top-k, weights,
/// sigmoid). The scorer's wide-matrix Torch implementation must agree with it.

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "models/model.hpp"

namespace mfd::models::test {

/// One row's expected outputs.
struct ReferenceRow {
    float probability = 0;
    std::vector<float> gate;
    std::vector<int> selected;
    std::vector<float> logits;
};

/// y = W·x + b for a [out, in] weight.
inline std::vector<float> linear(const Model& m, const std::string& name,
                                 const std::vector<float>& x) {
    const auto& w = *m.tensor(name + ".weight");
    const auto& b = *m.tensor(name + ".bias");
    const auto out = static_cast<std::size_t>(w.shape[0]);
    std::vector<float> y(out);
    for (std::size_t j = 0; j < out; ++j) {
        double s = b.values[j];
        for (std::size_t k = 0; k < x.size(); ++k) s += double(w.values[j * x.size() + k]) * x[k];
        y[j] = static_cast<float>(s);
    }
    return y;
}

inline float expert_logit(const Model& m, std::size_t e, const std::vector<float>& xn) {
    std::vector<float> h;
    for (auto c : expert_columns(m.config(), e)) h.push_back(xn[c]);
    const auto prefix = "experts." + std::to_string(e) + ".";
    for (std::size_t l = 0; l < m.config().hidden.size(); ++l) {
        h = linear(m, prefix + "layer" + std::to_string(l), h);
        for (auto& v : h) v = std::max(v, 0.0F);
    }
    return linear(m, prefix + "out", h)[0];
}

inline ReferenceRow reference_forward(const Model& m, std::span<const float> row) {
    const auto& c = m.config();
    const auto& mean = m.tensor("norm.mean")->values;
    const auto& stdev = m.tensor("norm.std")->values;
    std::vector<float> xn(c.n_features);
    for (std::size_t i = 0; i < xn.size(); ++i) xn[i] = (row[i] - mean[i]) / stdev[i];
    const std::size_t n_experts = c.total_experts();
    ReferenceRow out;
    for (std::size_t e = 0; e < n_experts; ++e) out.logits.push_back(expert_logit(m, e, xn));
    std::vector<float> gate_logits =
        c.is_dense() ? std::vector<float>{0.0F} : linear(m, "gate", xn);
    const float top = *std::max_element(gate_logits.begin(), gate_logits.end());
    double z = 0;
    for (auto v : gate_logits) z += std::exp(double(v) - top);
    for (auto v : gate_logits)
        out.gate.push_back(static_cast<float>(std::exp(double(v) - top) / z));
    std::vector<std::size_t> order(n_experts);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](auto a, auto b) { return gate_logits[a] > gate_logits[b]; });
    const std::size_t k = c.active_experts();
    out.selected.assign(n_experts, 0);
    double kept = 0;
    for (std::size_t i = 0; i < k; ++i) {
        out.selected[order[i]] = 1;
        kept += out.gate[order[i]];
    }
    double logit = 0;
    for (std::size_t e = 0; e < n_experts; ++e) {
        if (!out.selected[e]) continue;
        const double w = (k == 1 && n_experts > 1) ? out.gate[e] : out.gate[e] / kept;
        logit += w * out.logits[e];
    }
    out.probability = static_cast<float>(1.0 / (1.0 + std::exp(-logit)));
    return out;
}

}  // namespace mfd::models::test
