#include "models/detail/net.hpp"

#include <algorithm>
#include <functional>

namespace mfd::models::detail {
namespace {

using torch::Tensor;

/// Where a group's experts sit: global index of its first expert, its input window.
struct GroupLayout {
    std::size_t first_expert;
    std::size_t experts;
    std::vector<std::size_t> columns;  ///< input columns of each of its experts, in weight order
    std::int64_t start;                ///< first column of the window
    std::int64_t width;                ///< columns in the window
};

std::vector<GroupLayout> group_layouts(const MoeConfig& c) {
    std::vector<GroupLayout> out;
    std::size_t first = 0;
    for (const auto& g : c.groups) {
        auto cols = expert_columns(c, first);
        const auto [lo, hi] = std::minmax_element(cols.begin(), cols.end());
        out.push_back({first, g.experts, cols, static_cast<std::int64_t>(*lo),
                       static_cast<std::int64_t>(*hi - *lo + 1)});
        first += g.experts;
    }
    return out;
}

std::string layer_name(std::size_t e, std::size_t l) {
    return "experts." + std::to_string(e) + ".layer" + std::to_string(l);
}

std::string out_name(std::size_t e) {
    return "experts." + std::to_string(e) + ".out";
}

/// A group's stacked first layer [E_g·h0, window] and bias [E_g·h0, 1] from per-expert tensors.
std::pair<Tensor, Tensor> group_first_layer(const Model& m, const GroupLayout& g) {
    const auto h0 = static_cast<std::int64_t>(m.config().hidden[0]);
    const auto rows = static_cast<std::int64_t>(g.experts) * h0;
    auto w = torch::zeros({rows, g.width});
    auto b = torch::zeros({rows, 1});
    auto wa = w.accessor<float, 2>();
    auto ba = b.accessor<float, 2>();
    for (std::size_t j = 0; j < g.experts; ++j) {
        const auto& we = m.tensor(layer_name(g.first_expert + j, 0) + ".weight")->values;
        const auto& be = m.tensor(layer_name(g.first_expert + j, 0) + ".bias")->values;
        for (std::int64_t r = 0; r < h0; ++r) {
            const auto row = static_cast<std::int64_t>(j) * h0 + r;
            ba[row][0] = be[static_cast<std::size_t>(r)];
            for (std::size_t k = 0; k < g.columns.size(); ++k) {
                const auto col = static_cast<std::int64_t>(g.columns[k]) - g.start;
                wa[row][col] = we[static_cast<std::size_t>(r) * g.columns.size() + k];
            }
        }
    }
    return {w, b};
}

/// Per-expert tensors named `name(e)` stacked into [E, ...] (weights) or [E, out, 1] (biases).
Tensor stack_experts(const Model& m, std::size_t n,
                     const std::function<std::string(std::size_t)>& name, bool bias) {
    std::vector<Tensor> parts;
    for (std::size_t e = 0; e < n; ++e) {
        const auto t = to_torch(*m.tensor(name(e)));
        parts.push_back(bias ? t.unsqueeze(1) : t);
    }
    return torch::stack(parts);
}

HostTensor to_host(const Tensor& t) {
    const auto c = t.detach().to(torch::kCPU).contiguous();
    return {std::vector<std::int64_t>(c.sizes().begin(), c.sizes().end()),
            std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel())};
}

/// Adds group g's experts' first-layer tensors to `out`.
void split_group(const GroupLayout& g, std::int64_t h0, const Tensor& w, const Tensor& b,
                 std::map<std::string, HostTensor>& out) {
    const auto wc = w.detach().to(torch::kCPU).contiguous();
    const auto bc = b.detach().to(torch::kCPU).contiguous();
    const auto wa = wc.accessor<float, 2>();
    const auto ba = bc.accessor<float, 2>();
    const auto in = static_cast<std::int64_t>(g.columns.size());
    for (std::size_t j = 0; j < g.experts; ++j) {
        HostTensor weight{{h0, in}, {}};
        HostTensor bias{{h0}, {}};
        for (std::int64_t r = 0; r < h0; ++r) {
            const auto row = static_cast<std::int64_t>(j) * h0 + r;
            bias.values.push_back(ba[row][0]);
            for (auto col : g.columns) {
                weight.values.push_back(wa[row][static_cast<std::int64_t>(col) - g.start]);
            }
        }
        out[layer_name(g.first_expert + j, 0) + ".weight"] = std::move(weight);
        out[layer_name(g.first_expert + j, 0) + ".bias"] = std::move(bias);
    }
}

Tensor relu_dropout(Tensor h, const ForwardOptions& o) {
    if (!o.training) return h.relu_();
    h = torch::relu(h);
    if (o.dropout > 0.0F) {
        const double keep = 1.0 - o.dropout;
        h = h * torch::empty_like(h).bernoulli_(keep, o.generator) / keep;
    }
    return h;
}

/// Fills the gate outputs of `out` from the gate rows and returns the mixing weights [E, n].
Tensor route(const Tensor& gate_logits, const ForwardOptions& o, ForwardOut& out) {
    out.gate_logits = gate_logits;
    auto logits = gate_logits;
    if (o.training && o.noise_std > 0.0F) {
        logits = logits + torch::empty_like(logits).normal_(0.0, o.noise_std, o.generator);
    }
    out.gate_probs = torch::softmax(logits, 0);
    const auto k = static_cast<std::int64_t>(o.active_experts);
    if (k >= logits.size(0)) {
        out.selected = torch::ones_like(logits);
        return out.gate_probs;
    }
    const auto index = std::get<1>(logits.topk(k, 0));
    out.selected = torch::zeros_like(logits).scatter_(0, index, 1.0);
    const auto kept = out.gate_probs * out.selected;
    return k == 1 ? kept : kept / kept.sum(0, true);
}

}  // namespace

std::vector<Tensor> NetParams::all() const {
    std::vector<Tensor> v;
    if (gate_w.defined()) v.insert(v.end(), {gate_w, gate_b});
    for (const auto* list : {&group_w, &group_b, &inner_w, &inner_b}) {
        v.insert(v.end(), list->begin(), list->end());
    }
    v.insert(v.end(), {out_w, out_b});
    return v;
}

NetParams NetParams::to(const torch::Device& device, bool clone) const {
    auto move = [&](const Tensor& t) {
        if (!t.defined()) return t;
        auto moved = t.detach().to(device).contiguous();
        return clone && moved.data_ptr() == t.data_ptr() ? moved.clone() : moved;
    };
    NetParams p;
    p.gate_w = move(gate_w);
    p.gate_b = move(gate_b);
    for (const auto& t : group_w) p.group_w.push_back(move(t));
    for (const auto& t : group_b) p.group_b.push_back(move(t));
    for (const auto& t : inner_w) p.inner_w.push_back(move(t));
    for (const auto& t : inner_b) p.inner_b.push_back(move(t));
    p.out_w = move(out_w);
    p.out_b = move(out_b);
    p.window_start = window_start;
    return p;
}

ForwardOut forward(const NetParams& p, const Tensor& x, const ForwardOptions& o) {
    const auto xt = x.t();  // [F, n]; BLAS reads it transposed, no copy
    const auto n = x.size(0);
    const auto e = p.out_w.size(0);
    std::vector<Tensor> first;
    if (p.gate_w.defined()) first.push_back(torch::addmm(p.gate_b, p.gate_w, xt));
    for (std::size_t g = 0; g < p.group_w.size(); ++g) {
        const auto window = xt.narrow(0, p.window_start[g], p.group_w[g].size(1));
        first.push_back(torch::addmm(p.group_b[g], p.group_w[g], window));
    }
    const auto stacked = first.size() == 1 ? first[0] : torch::cat(first, 0);
    const auto gate_rows = p.gate_w.defined() ? e : 0;
    auto h = relu_dropout(stacked.narrow(0, gate_rows, stacked.size(0) - gate_rows), o);
    h = h.view({e, -1, n});
    for (std::size_t l = 0; l < p.inner_w.size(); ++l) {
        h = relu_dropout(torch::baddbmm(p.inner_b[l], p.inner_w[l], h), o);
    }
    ForwardOut out;
    out.expert_logits = torch::baddbmm(p.out_b, p.out_w, h).view({e, n});
    if (!p.gate_w.defined()) {
        out.logit = out.expert_logits[0];
        out.gate_logits = torch::zeros_like(out.expert_logits);
        out.gate_probs = out.selected = torch::ones_like(out.expert_logits);
        return out;
    }
    const auto weights = route(stacked.narrow(0, 0, e), o, out);
    out.logit = (weights * out.expert_logits).sum(0);
    return out;
}

Tensor to_torch(const HostTensor& t) {
    return torch::from_blob(const_cast<float*>(t.values.data()), t.shape, torch::kFloat).clone();
}

NetParams params_from_model(const Model& m) {
    const auto& c = m.config();
    const auto n = c.total_experts();
    NetParams p;
    if (!c.is_dense()) {
        p.gate_w = to_torch(*m.tensor("gate.weight"));
        p.gate_b = to_torch(*m.tensor("gate.bias")).unsqueeze(1);
    }
    for (const auto& g : group_layouts(c)) {
        auto [w, b] = group_first_layer(m, g);
        p.group_w.push_back(w);
        p.group_b.push_back(b);
        p.window_start.push_back(g.start);
    }
    for (std::size_t l = 1; l < c.hidden.size(); ++l) {
        auto name = [&](std::size_t e) { return layer_name(e, l); };
        p.inner_w.push_back(stack_experts(
            m, n, [&](auto e) { return name(e) + ".weight"; }, false));
        p.inner_b.push_back(stack_experts(
            m, n, [&](auto e) { return name(e) + ".bias"; }, true));
    }
    p.out_w = stack_experts(
        m, n, [](auto e) { return out_name(e) + ".weight"; }, false);
    p.out_b = stack_experts(
        m, n, [](auto e) { return out_name(e) + ".bias"; }, true);
    return p;
}

GroupMasks masks_for(const MoeConfig& c) {
    GroupMasks masks;
    const auto h0 = static_cast<std::int64_t>(c.hidden[0]);
    for (const auto& g : group_layouts(c)) {
        if (static_cast<std::int64_t>(g.columns.size()) == g.width) {
            masks.emplace_back();
            continue;
        }
        auto mask = torch::zeros({static_cast<std::int64_t>(g.experts) * h0, g.width});
        for (auto col : g.columns)
            mask.select(1, static_cast<std::int64_t>(col) - g.start).fill_(1);
        masks.push_back(mask);
    }
    return masks;
}

std::map<std::string, HostTensor> tensors_from_params(const MoeConfig& c, const NetParams& p) {
    std::map<std::string, HostTensor> out;
    if (p.gate_w.defined()) {
        out["gate.weight"] = to_host(p.gate_w);
        out["gate.bias"] = to_host(p.gate_b.squeeze(1));
    }
    const auto layouts = group_layouts(c);
    const auto h0 = static_cast<std::int64_t>(c.hidden[0]);
    for (std::size_t g = 0; g < layouts.size(); ++g) {
        split_group(layouts[g], h0, p.group_w[g], p.group_b[g], out);
    }
    for (std::size_t e = 0; e < c.total_experts(); ++e) {
        const auto i = static_cast<std::int64_t>(e);
        for (std::size_t l = 1; l < c.hidden.size(); ++l) {
            out[layer_name(e, l) + ".weight"] = to_host(p.inner_w[l - 1][i]);
            out[layer_name(e, l) + ".bias"] = to_host(p.inner_b[l - 1][i].squeeze(1));
        }
        out[out_name(e) + ".weight"] = to_host(p.out_w[i]);
        out[out_name(e) + ".bias"] = to_host(p.out_b[i].squeeze(1));
    }
    return out;
}

NetParams fold_normalisation(const NetParams& params, const Tensor& mean, const Tensor& std) {
    // W·((x - m) / s) + b = (W / s)·x + (b - W·(m / s)), over each block's input window.
    auto fold = [&](Tensor& w, Tensor& b, std::int64_t start) {
        const auto s = std.narrow(0, start, w.size(1));
        const auto m = mean.narrow(0, start, w.size(1));
        b = (b - torch::mv(w, m / s).unsqueeze(1)).contiguous();
        w = (w / s.unsqueeze(0)).contiguous();
    };
    NetParams p = params.to(torch::kCPU, true);
    if (p.gate_w.defined()) fold(p.gate_w, p.gate_b, 0);
    for (std::size_t g = 0; g < p.group_w.size(); ++g)
        fold(p.group_w[g], p.group_b[g], p.window_start[g]);
    return p;
}

}  // namespace mfd::models::detail
