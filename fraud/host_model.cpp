#include "fraud/host_model.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace mfd::fraud {
namespace {

core::Result<const models::HostTensor*> tensor(const models::Model& m, const std::string& name) {
    const auto* t = m.tensor(name);
    if (!t) return core::fail(core::Errc::kInvalidArgument, "model has no tensor " + name);
    return t;
}

std::string layer_name(std::size_t e, std::size_t l) {
    return "experts." + std::to_string(e) + ".layer" + std::to_string(l);
}

float sigmoid(float x) noexcept { return 1.0F / (1.0F + std::exp(-x)); }

/// y = relu?(W x + b) for one layer.
void dense(std::span<const float> w, std::span<const float> b, std::span<const float> x,
           std::span<float> y, bool relu) {
    const std::size_t in = x.size();
    for (std::size_t o = 0; o < y.size(); ++o) {
        const float* row = w.data() + o * in;
        float acc = b[o];
        for (std::size_t i = 0; i < in; ++i) acc += row[i] * x[i];
        y[o] = relu ? std::max(acc, 0.0F) : acc;
    }
}

}  // namespace

core::Result<HostModel> HostModel::create(const models::Model& model) {
    const auto& c = model.config();
    HostModel h;
    h.n_features_ = c.n_features;
    h.active_ = c.active_experts();
    auto mean = tensor(model, "norm.mean");
    auto stdev = tensor(model, "norm.std");
    if (!mean || !stdev) return core::fail((mean ? stdev : mean).error());
    h.mean_ = (*mean)->values;
    for (float s : (*stdev)->values) h.inv_std_.push_back(1.0F / s);
    if (!c.is_dense()) {
        auto gw = tensor(model, "gate.weight");
        auto gb = tensor(model, "gate.bias");
        if (!gw || !gb) return core::fail((gw ? gb : gw).error());
        h.gate_w_ = (*gw)->values;
        h.gate_b_ = (*gb)->values;
    }
    for (std::size_t e = 0; e < c.total_experts(); ++e) {
        Expert x;
        x.columns = models::expert_columns(c, e);
        std::size_t in = x.columns.size();
        for (std::size_t l = 0; l <= c.hidden.size(); ++l) {
            const bool out = l == c.hidden.size();
            const std::string base = out ? "experts." + std::to_string(e) + ".out" : layer_name(e, l);
            auto w = tensor(model, base + ".weight");
            auto b = tensor(model, base + ".bias");
            if (!w || !b) return core::fail((w ? b : w).error());
            const std::size_t width = out ? 1 : c.hidden[l];
            x.layers.push_back({in, width, (*w)->values, (*b)->values});
            h.widest_ = std::max(h.widest_, width);
            in = width;
        }
        h.experts_.push_back(std::move(x));
    }
    return h;
}

void HostModel::first_layer(const Expert& x, std::span<const float> normalised,
                            std::span<float> pre) const {
    const Layer& l0 = x.layers[0];
    for (std::size_t o = 0; o < l0.out; ++o) {
        const float* row = l0.w.data() + o * l0.in;
        float acc = l0.b[o];
        for (std::size_t i = 0; i < l0.in; ++i) acc += row[i] * normalised[x.columns[i]];
        pre[o] = acc;
    }
}

float HostModel::expert_logit(const Expert& x, std::span<const float> first_pre,
                              std::span<float> scratch) const {
    auto a = scratch.subspan(0, widest_);
    auto b = scratch.subspan(widest_, widest_);
    const std::size_t h0 = x.layers[0].out;
    for (std::size_t o = 0; o < h0; ++o) a[o] = std::max(first_pre[o], 0.0F);
    std::size_t width = h0;
    for (std::size_t l = 1; l < x.layers.size(); ++l) {
        const Layer& layer = x.layers[l];
        const bool last = l + 1 == x.layers.size();
        dense(layer.w, layer.b, a.first(width), b.first(layer.out), !last);
        std::swap(a, b);
        width = layer.out;
    }
    return a[0];
}

void HostModel::route(HostScore& out) const {
    const std::size_t e = experts_.size();
    if (gate_w_.empty()) {
        out.gate.assign(1, 1.0F);
        out.weight.assign(1, 1.0F);
        return;
    }
    dense(gate_w_, gate_b_, out.normalised, out.gate, false);
    std::vector<float>& logits = out.gate;
    const float top = *std::max_element(logits.begin(), logits.end());
    std::fill(out.weight.begin(), out.weight.end(), 0.0F);
    std::vector<std::size_t>& order = out.order;
    order.resize(e);
    std::iota(order.begin(), order.end(), std::size_t{0});
    const std::size_t k = std::min(active_, e);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [&](std::size_t a, std::size_t b) { return logits[a] > logits[b]; });
    float sum = 0;
    for (auto& v : logits) sum += (v = std::exp(v - top));
    for (auto& v : logits) v /= sum;
    float kept = 0;
    for (std::size_t i = 0; i < k; ++i) kept += logits[order[i]];
    const bool renormalise = k >= 2 && k < e;
    for (std::size_t i = 0; i < k; ++i) {
        out.weight[order[i]] = renormalise ? logits[order[i]] / kept : logits[order[i]];
    }
}

void HostModel::score(std::span<const float> row, HostScore& out) const {
    const std::size_t e = experts_.size();
    out.gate.resize(e);
    out.weight.resize(e);
    out.expert_logits.resize(e);
    out.normalised.resize(n_features_);
    out.scratch.resize(4 * widest_);
    for (std::size_t f = 0; f < n_features_; ++f) {
        out.normalised[f] = (row[f] - mean_[f]) * inv_std_[f];
    }
    route(out);
    std::span<float> scratch(out.scratch);
    out.logit = 0;
    for (std::size_t i = 0; i < e; ++i) {
        auto pre = scratch.subspan(2 * widest_, widest_);
        first_layer(experts_[i], out.normalised, pre);
        out.expert_logits[i] = expert_logit(experts_[i], pre, scratch);
        out.logit += out.weight[i] * out.expert_logits[i];
    }
    out.probability = sigmoid(out.logit);
}

void HostModel::feature_effects(HostScore& out, std::span<float> effects) const {
    std::fill(effects.begin(), effects.end(), 0.0F);
    std::span<float> scratch(out.scratch);
    auto pre = scratch.subspan(3 * widest_, widest_);
    for (std::size_t i = 0; i < experts_.size(); ++i) {
        if (out.weight[i] == 0.0F) continue;
        const Expert& x = experts_[i];
        const Layer& l0 = x.layers[0];
        first_layer(x, out.normalised, pre);
        auto moved = scratch.subspan(2 * widest_, widest_);
        for (std::size_t c = 0; c < x.columns.size(); ++c) {
            const float v = out.normalised[x.columns[c]];
            if (v == 0.0F) continue;
            for (std::size_t o = 0; o < l0.out; ++o) moved[o] = pre[o] - l0.w[o * l0.in + c] * v;
            const float without = expert_logit(x, moved, scratch);
            effects[x.columns[c]] += out.weight[i] * (out.expert_logits[i] - without);
        }
    }
}

}  // namespace mfd::fraud
