// The detector's paths on simulated traffic: feature extraction, one transaction at a time
// (features + host forward + explanation), the model alone at batch 65,536, and features +
// batched scoring, with the shipped model (models/default.safetensors; run from the source
// tree). Figures go in docs/performance.md.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include "chain_sim/workload/generator.hpp"
#include "fraud/detector.hpp"
#include "fraud/feature_rows.hpp"

namespace mfd::fraud {
namespace {

/// Simulated events (senders recovered), a detector whose history has seen the first half of
/// them, and `fresh`: the second half, which the timed scoring paths use (rescoring observed
/// transactions would find every r value reused and flag them all).
struct Setup {
    std::vector<core::TxEvent> events;
    std::vector<core::TxEvent> fresh;
    FeatureRows rows;
    std::unique_ptr<Detector> detector;

    Setup() {
        chain::workload::GeneratorConfig c;
        c.seed = 5;
        c.params.accounts = 2000;
        c.params.txs = 40000;
        auto stream = chain::workload::generate_stream(c);
        if (!stream) std::abort();
        for (auto& r : stream->records) events.push_back(r.event);
        DetectorOptions o;
        o.device = models::Device::kCpu;
        auto det = Detector::load("models/default.safetensors", nullptr, o);
        if (!det) {
            std::fprintf(stderr, "bench_fraud: %s (run from the source tree)\n",
                         det.error().to_string().c_str());
            std::abort();
        }
        detector = std::make_unique<Detector>(std::move(*det));
        const auto half = static_cast<std::ptrdiff_t>(events.size() / 2);
        fresh.assign(events.begin() + half, events.end());
        std::vector<Score> scores;
        if (!detector->replay(std::span(events).first(events.size() / 2), scores)) std::abort();
        AccountHistory history(nullptr, 0);
        FeatureExtractor x(history);
        if (!replay_features(x, events, rows)) std::abort();
    }
};

Setup& setup() {
    static Setup s;
    return s;
}

void BM_ExtractFeatures(benchmark::State& state) {
    auto& s = setup();
    AccountHistory history(nullptr, 0);
    FeatureExtractor x(history);
    FeatureRows warm;
    if (!replay_features(x, s.events, warm)) std::abort();
    float row[kFeatures];
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(x.extract(s.events[i++ % s.events.size()], {}, row));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExtractFeatures);

void BM_ScoreOneTransaction(benchmark::State& state) {
    auto& s = setup();
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(s.detector->score(s.fresh[i++ % s.fresh.size()]));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ScoreOneTransaction);

void BM_ModelOnlyBatch(benchmark::State& state) {
    auto& s = setup();
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<float> rows(n * kFeatures);
    for (std::size_t i = 0; i < n; ++i) {
        const auto r = s.rows.row(i % s.rows.size());
        std::copy(r.begin(), r.end(), rows.begin() + static_cast<std::ptrdiff_t>(i * kFeatures));
    }
    models::ScorerOptions o;
    o.device = models::Device::kCpu;
    o.cpu_chunk_rows = static_cast<std::size_t>(state.range(1));
    auto scorer = models::Scorer::create(s.detector->model(), o);
    if (!scorer) std::abort();
    models::ScoreBatch out;
    for (auto _ : state) {
        if (!scorer->score(rows, out)) std::abort();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
// Second argument: the scorer's CPU chunk (rows per LibTorch call sequence; 0 = one chunk).
BENCHMARK(BM_ModelOnlyBatch)
    ->Args({65536, 2048})
    ->Args({65536, 8192})
    ->Args({65536, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_FeaturesAndScoring(benchmark::State& state) {
    auto& s = setup();
    const auto n = std::min<std::size_t>(static_cast<std::size_t>(state.range(0)), s.fresh.size());
    const std::span<const core::TxEvent> events(s.fresh.data(), n);
    std::vector<Score> scores;
    for (auto _ : state) {
        if (!s.detector->score_batch(events, scores)) std::abort();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_FeaturesAndScoring)->Arg(16384)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace mfd::fraud
