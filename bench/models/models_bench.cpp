// Scoring throughput and latency of the mixture of experts at the representative size (48
// features in three groups, 6 experts of hidden width 32, top-2), on the CPU and, when present,
// on CUDA. Figures go in docs/performance.md.
//   build-h3/bin/bench_models --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <vector>

#include "models/detail/net.hpp"
#include "models/scorer.hpp"
#include "models/train.hpp"

namespace mfd::models {
namespace {

constexpr std::int64_t kCpuBatch = 65536;
constexpr std::int64_t kCudaBatch = 1 << 20;

MoeConfig representative_config() {
    MoeConfig c;
    c.n_features = 48;
    c.groups = {{"tx", 0, 16, 2}, {"account", 16, 20, 2}, {"signature", 36, 12, 2}};
    c.hidden = {32};
    c.top_k = 2;
    return c;
}

Model make_model(bool dense) {
    const auto moe = representative_config();
    return *Model::initialise(dense ? dense_baseline(moe) : moe, 1);
}

std::vector<float> random_rows(std::int64_t n) {
    std::mt19937 gen(7);
    std::normal_distribution<float> normal;
    std::vector<float> rows(static_cast<std::size_t>(n) * 48);
    for (auto& v : rows) v = normal(gen);
    return rows;
}

/// Model-only throughput on the CPU through score(): input check, forward, every output copied
/// into the ScoreBatch (no feature extraction).
void BM_ScoreBatchCpu(benchmark::State& state) {
    const auto chunk = static_cast<std::size_t>(state.range(1));
    auto scorer = *Scorer::create(make_model(state.range(0) == 1),
                                  {.device = Device::kCpu, .cpu_chunk_rows = chunk});
    const auto rows = random_rows(kCpuBatch);
    ScoreBatch out;
    for (auto _ : state) {
        if (!scorer.score(rows, out)) state.SkipWithError("score failed");
        benchmark::DoNotOptimize(out.probability.data());
    }
    state.SetItemsProcessed(state.iterations() * kCpuBatch);
    state.SetLabel(state.range(0) == 1 ? "dense baseline" : "moe top-2");
}
// Args: {dense baseline?, cpu_chunk_rows}; 2048 is the default chunk, 0 runs one chunk.
BENCHMARK(BM_ScoreBatchCpu)
    ->Args({0, 2048})
    ->Args({1, 2048})
    ->Args({0, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

/// One row per call through score(); p50/p99 of the per-call wall time in microseconds.
void BM_ScoreSingleRowCpu(benchmark::State& state) {
    auto scorer = *Scorer::create(make_model(false), {.device = Device::kCpu});
    const auto rows = random_rows(1024);
    ScoreBatch out;
    std::vector<double> us;
    us.reserve(1 << 20);
    std::size_t i = 0;
    for (auto _ : state) {
        const auto row = std::span(rows).subspan((i++ % 1024) * 48, 48);
        const auto t0 = std::chrono::steady_clock::now();
        if (!scorer.score(row, out)) state.SkipWithError("score failed");
        const auto t1 = std::chrono::steady_clock::now();
        us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    std::sort(us.begin(), us.end());
    state.counters["p50_us"] = us[us.size() / 2];
    state.counters["p99_us"] = us[us.size() * 99 / 100];
    state.counters["max_us"] = us.back();
}
BENCHMARK(BM_ScoreSingleRowCpu)->Unit(benchmark::kMicrosecond)->UseRealTime();

/// One training epoch (batch 512, AdamW, noisy top-2, no validation) over 65,536 rows.
void BM_TrainEpochCpu(benchmark::State& state) {
    const auto rows = random_rows(kCpuBatch);
    std::vector<float> labels(static_cast<std::size_t>(kCpuBatch));
    for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = rows[i * 48] > 1.0F ? 1.0F : 0.0F;
    TrainOptions options;
    options.max_epochs = 1;
    options.validation_fraction = 0.0F;
    for (auto _ : state) {
        auto r = train(representative_config(), {rows, labels, {}}, options);
        if (!r) state.SkipWithError("train failed");
    }
    state.SetItemsProcessed(state.iterations() * kCpuBatch);
}
BENCHMARK(BM_TrainEpochCpu)->Unit(benchmark::kMillisecond)->UseRealTime();

/// CUDA, model only: rows already on the device; synchronised per iteration.
void BM_ForwardCuda(benchmark::State& state) {
    const auto params = detail::params_from_model(make_model(false)).to(torch::kCUDA);
    auto rows = random_rows(kCudaBatch);
    const auto x = torch::from_blob(rows.data(), {kCudaBatch, 48}, torch::kFloat).to(torch::kCUDA);
    c10::InferenceMode guard;
    for (auto _ : state) {
        auto f = detail::forward(params, x, {.active_experts = 2});
        auto p = torch::sigmoid(f.logit);
        torch::cuda::synchronize();
        benchmark::DoNotOptimize(p.data_ptr<float>());
    }
    state.SetItemsProcessed(state.iterations() * kCudaBatch);
}

/// CUDA through score(): host rows → pinned → device, forward, every output back to the host.
void BM_ScoreBatchCuda(benchmark::State& state) {
    auto scorer = *Scorer::create(make_model(false), {.device = Device::kCuda});
    const auto rows = random_rows(kCudaBatch);
    ScoreBatch out;
    for (auto _ : state) {
        if (!scorer.score(rows, out)) state.SkipWithError("score failed");
        benchmark::DoNotOptimize(out.probability.data());
    }
    state.SetItemsProcessed(state.iterations() * kCudaBatch);
}
// The CUDA section exists only where LibTorch sees a device.
const bool kCudaRegistered = [] {
    if (!cuda_available()) return false;
    benchmark::RegisterBenchmark("BM_ForwardCuda", BM_ForwardCuda)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("BM_ScoreBatchCuda", BM_ScoreBatchCuda)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    return true;
}();

}  // namespace
}  // namespace mfd::models
