#include "models/scorer.hpp"

#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <mutex>

#include "models/detail/net.hpp"

namespace mfd::models {
namespace {

using core::Errc;
using core::fail;

/// Weights ready to score on one device, shared by a scorer and its forks.
struct DeviceWeights {
    detail::NetParams params;
    torch::Device device;
};

/// The index of the first NaN or infinity in `v`, or v.size(). The block scan has no early
/// exit so that it vectorises; only a block with a bad value is searched element by element.
std::size_t first_non_finite(std::span<const float> v) {
    constexpr std::size_t kBlock = 1024;
    for (std::size_t start = 0; start < v.size(); start += kBlock) {
        const std::size_t end = std::min(v.size(), start + kBlock);
        bool bad = false;
        for (std::size_t i = start; i < end; ++i) bad |= !(std::fabs(v[i]) <= FLT_MAX);
        if (!bad) continue;
        for (std::size_t i = start; i < end; ++i) {
            if (!std::isfinite(v[i])) return i;
        }
    }
    return v.size();
}

/// Fails naming the first row whose probability, gate weight or expert logit is NaN or
/// infinite: finite inputs give such outputs only when weights are out of range, and a NaN
/// probability compares as "not fraud".
core::Result<void> check_outputs(const ScoreBatch& out) {
    const std::size_t n = out.rows;
    const std::size_t e = out.experts;
    const auto bad = [](const char* what, std::size_t row) {
        return fail(Errc::kOutOfRange, std::string("score: the model's ") + what + " for row " +
                                           std::to_string(row) +
                                           " is NaN or infinite (weights out of range)");
    };
    if (const auto i = first_non_finite({out.probability.data(), n}); i != n) {
        return bad("probability", i);
    }
    if (const auto i = first_non_finite({out.gate_weights.data(), n * e}); i != n * e) {
        return bad("gate weight", i / e);
    }
    if (const auto i = first_non_finite({out.expert_logits.data(), n * e}); i != n * e) {
        return bad("expert logit", i / e);
    }
    return {};
}

torch::Tensor host_view(float* data, std::int64_t rows, std::int64_t cols) {
    return torch::from_blob(data, {rows, cols}, torch::kFloat);
}

void resize(ScoreBatch& out, std::size_t n, std::size_t e) {
    out.rows = n;
    out.experts = e;
    out.probability.resize(n);
    out.gate_weights.resize(n * e);
    out.selected.resize(n * e);
    out.expert_logits.resize(n * e);
}

}  // namespace

struct Scorer::Impl {
    std::shared_ptr<const DeviceWeights> cpu;
    std::shared_ptr<const DeviceWeights> cuda;  ///< null when scoring on the CPU
    std::size_t n_features = 0;
    std::size_t n_experts = 0;
    std::size_t active = 0;
    ScorerOptions options;
    mutable std::mutex mutex;
    std::int64_t capacity = 0;  ///< rows the CUDA buffers hold
    torch::Tensor pinned_in;    ///< capacity × F page-locked floats
    torch::Tensor pinned_out;   ///< capacity × (1 + 3E): probability, gate, selected, logits
    torch::Tensor device_in;    ///< capacity × F floats on the GPU
    ScorerStats stats;

    [[nodiscard]] core::Result<std::size_t> check(std::span<const float> rows) const;
    void score_cpu(std::span<const float> rows, std::size_t n, ScoreBatch& out) const;
    void score_cuda(std::span<const float> rows, std::size_t n, ScoreBatch& out);
    void reserve_cuda(std::size_t n);
    void count(const ScoreBatch& out);
    [[nodiscard]] core::Result<void> probe(const Model& model) const;
};

// The probe rows: the training mean, the mean 3 standard deviations up and down, and zeros.
// Scores of such ordinary rows are finite for any usable model.
core::Result<void> Scorer::Impl::probe(const Model& model) const {
    const auto& mean = model.tensor("norm.mean")->values;
    const auto& stdev = model.tensor("norm.std")->values;
    std::vector<float> rows(4 * n_features, 0.0F);
    for (std::size_t c = 0; c < n_features; ++c) {
        rows[c] = mean[c];
        rows[n_features + c] = mean[c] + 3 * stdev[c];
        rows[2 * n_features + c] = mean[c] - 3 * stdev[c];
    }
    if (const auto i = first_non_finite(rows); i != rows.size()) {
        return fail(Errc::kOutOfRange, "its normalisation of feature " +
                                           std::to_string(i % n_features) + " is not finite");
    }
    ScoreBatch out;
    resize(out, 4, n_experts);
    try {
        score_cpu(rows, 4, out);
    } catch (const std::exception& e) {
        return fail(Errc::kInternal, std::string("LibTorch failed: ") + e.what());
    }
    return check_outputs(out);
}

core::Result<std::size_t> Scorer::Impl::check(std::span<const float> rows) const {
    if (rows.size() % n_features != 0) {
        return fail(Errc::kInvalidArgument, "score: " + std::to_string(rows.size()) +
                                                " floats is not a whole number of rows of " +
                                                std::to_string(n_features) + " features");
    }
    const std::size_t n = rows.size() / n_features;
    if (n > options.max_batch_rows) {
        return fail(Errc::kLimitExceeded, "score: " + std::to_string(n) + " rows exceed the " +
                                              std::to_string(options.max_batch_rows) +
                                              " rows a call may score");
    }
    if (const auto i = first_non_finite(rows); i != rows.size()) {
        return fail(Errc::kInvalidArgument, "score: row " + std::to_string(i / n_features) +
                                                ", feature " + std::to_string(i % n_features) +
                                                " is NaN or infinite");
    }
    return n;
}

void Scorer::Impl::score_cpu(std::span<const float> rows, std::size_t n, ScoreBatch& out) const {
    c10::InferenceMode guard;
    const auto f = static_cast<std::int64_t>(n_features);
    const auto e = static_cast<std::int64_t>(n_experts);
    const auto chunk = options.cpu_chunk_rows ? options.cpu_chunk_rows : n;
    for (std::size_t start = 0; start < n; start += chunk) {
        const auto rn = static_cast<std::int64_t>(std::min(chunk, n - start));
        const auto x = torch::from_blob(const_cast<float*>(rows.data()) + start * n_features,
                                        {rn, f}, torch::kFloat);
        const auto fw = detail::forward(cpu->params, x, {.active_experts = active});
        auto probability = torch::from_blob(out.probability.data() + start, {rn}, torch::kFloat);
        torch::sigmoid_out(probability, fw.logit);
        const auto at = start * n_experts;
        host_view(out.gate_weights.data() + at, rn, e).copy_(fw.gate_probs.t());
        host_view(out.expert_logits.data() + at, rn, e).copy_(fw.expert_logits.t());
        torch::from_blob(out.selected.data() + at, {rn, e}, torch::kUInt8).copy_(fw.selected.t());
    }
}

void Scorer::Impl::reserve_cuda(std::size_t n) {
    const auto cap = static_cast<std::int64_t>(n);
    if (capacity >= cap) return;
    const auto pinned = torch::TensorOptions().dtype(torch::kFloat).pinned_memory(true);
    const auto f = static_cast<std::int64_t>(n_features);
    const auto width = static_cast<std::int64_t>(1 + 3 * n_experts);
    pinned_in = torch::empty({cap * f}, pinned);
    pinned_out = torch::empty({cap * width}, pinned);
    device_in =
        torch::empty({cap * f}, torch::TensorOptions().dtype(torch::kFloat).device(cuda->device));
    capacity = cap;
}

void Scorer::Impl::score_cuda(std::span<const float> rows, std::size_t n, ScoreBatch& out) {
    c10::InferenceMode guard;
    reserve_cuda(n);
    const auto rn = static_cast<std::int64_t>(n);
    const auto f = static_cast<std::int64_t>(n_features);
    const auto e = static_cast<std::int64_t>(n_experts);
    std::memcpy(pinned_in.data_ptr<float>(), rows.data(), rows.size_bytes());
    auto x = device_in.narrow(0, 0, rn * f).view({rn, f});
    x.copy_(pinned_in.narrow(0, 0, rn * f).view({rn, f}), /*non_blocking=*/true);
    const auto fw = detail::forward(cuda->params, x, {.active_experts = active});
    const auto packed = torch::cat(
        {torch::sigmoid(fw.logit).unsqueeze(0), fw.gate_probs, fw.selected, fw.expert_logits}, 0);
    auto host = pinned_out.narrow(0, 0, (1 + 3 * e) * rn).view({1 + 3 * e, rn});
    host.copy_(packed, /*non_blocking=*/true);
    torch::cuda::synchronize();
    std::memcpy(out.probability.data(), host.data_ptr<float>(), n * sizeof(float));
    host_view(out.gate_weights.data(), rn, e).copy_(host.narrow(0, 1, e).t());
    torch::from_blob(out.selected.data(), {rn, e}, torch::kUInt8)
        .copy_(host.narrow(0, 1 + e, e).t());
    host_view(out.expert_logits.data(), rn, e).copy_(host.narrow(0, 1 + 2 * e, e).t());
}

void Scorer::Impl::count(const ScoreBatch& out) {
    stats.rows += out.rows;
    for (std::size_t r = 0; r < out.rows; ++r) {
        for (std::size_t i = 0; i < out.experts; ++i) {
            stats.expert_rows[i] += out.selected[r * out.experts + i];
        }
    }
}

bool cuda_available() {
    try {
        return torch::cuda::is_available();
    } catch (const std::exception&) {
        return false;
    }
}

Scorer::Scorer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Scorer::Scorer(Scorer&&) noexcept = default;
Scorer& Scorer::operator=(Scorer&&) noexcept = default;
Scorer::~Scorer() = default;

core::Result<Scorer> Scorer::create(const Model& model, const ScorerOptions& options) {
    const bool have_cuda = cuda_available();
    if (options.device == Device::kCuda && !have_cuda) {
        return fail(Errc::kUnavailable, "scorer: CUDA requested but LibTorch sees no CUDA device");
    }
    auto impl = std::make_unique<Impl>();
    const auto& config = model.config();
    impl->n_features = config.n_features;
    impl->n_experts = config.total_experts();
    impl->active = config.active_experts();
    impl->options = options;
    impl->stats.expert_rows.assign(impl->n_experts, 0);
    try {
        const auto params = detail::params_from_model(model);
        const auto mean = detail::to_torch(*model.tensor("norm.mean"));
        const auto stdev = detail::to_torch(*model.tensor("norm.std"));
        impl->cpu = std::make_shared<DeviceWeights>(
            DeviceWeights{detail::fold_normalisation(params, mean, stdev), torch::kCPU});
    } catch (const std::exception& e) {
        return fail(Errc::kInternal, std::string("scorer: cannot prepare weights: ") + e.what());
    }
    if (auto probe = impl->probe(model); !probe) {
        return fail(Errc::kInvalidArgument,
                    "model: refused, it does not score its probe rows: " + probe.error().message);
    }
    const bool want_cuda =
        options.device == Device::kCuda || (options.device == Device::kAuto && have_cuda);
    if (want_cuda) {
        try {
            const torch::Device cuda(torch::kCUDA, 0);
            impl->cuda =
                std::make_shared<DeviceWeights>(DeviceWeights{impl->cpu->params.to(cuda), cuda});
        } catch (const std::exception& e) {
            spdlog::warn("scorer: cannot move the model to CUDA ({}); scoring on the CPU",
                         e.what());
        }
    }
    return Scorer(std::move(impl));
}

core::Result<void> Scorer::score(std::span<const float> rows, ScoreBatch& out) {
    auto& s = *impl_;
    const auto n = s.check(rows);
    if (!n) return fail(n.error());
    std::lock_guard lock(s.mutex);
    resize(out, *n, s.n_experts);
    if (*n == 0) return {};
    if (s.cuda) {
        try {
            s.score_cuda(rows, *n, out);
            if (auto finite = check_outputs(out); !finite) return finite;
            s.count(out);
            return {};
        } catch (const std::exception& e) {
            spdlog::warn("scorer: CUDA scoring failed ({}); falling back to the CPU", e.what());
            s.cuda.reset();
            s.pinned_in = s.pinned_out = s.device_in = torch::Tensor();
            s.capacity = 0;
        }
    }
    try {
        s.score_cpu(rows, *n, out);
    } catch (const std::exception& e) {
        return fail(Errc::kInternal, std::string("scorer: LibTorch failed: ") + e.what());
    }
    if (auto finite = check_outputs(out); !finite) return finite;
    s.count(out);
    return {};
}

core::Result<ScoreBatch> Scorer::score(std::span<const float> rows) {
    ScoreBatch out;
    if (auto r = score(rows, out); !r) return fail(r.error());
    return out;
}

Scorer Scorer::fork() const {
    auto impl = std::make_unique<Impl>();
    {
        std::lock_guard lock(impl_->mutex);
        impl->cpu = impl_->cpu;
        impl->cuda = impl_->cuda;
    }
    impl->n_features = impl_->n_features;
    impl->n_experts = impl_->n_experts;
    impl->active = impl_->active;
    impl->options = impl_->options;
    impl->stats.expert_rows.assign(impl->n_experts, 0);
    return Scorer(std::move(impl));
}

Device Scorer::device() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->cuda ? Device::kCuda : Device::kCpu;
}

std::size_t Scorer::n_features() const noexcept {
    return impl_->n_features;
}
std::size_t Scorer::n_experts() const noexcept {
    return impl_->n_experts;
}

ScorerStats Scorer::stats() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->stats;
}

}  // namespace mfd::models
