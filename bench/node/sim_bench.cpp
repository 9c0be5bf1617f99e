// The chain simulator end to end: `chain_sim run` with 4 validators (each its own RocksDB,
// mempool, engine and plugin instance through the loader) on generated traffic, reported as
// committed transactions per wall-clock second, with where validator 0's time went.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "chain_sim/sim/run.hpp"

namespace {

namespace fs = std::filesystem;

fs::path scratch_dir() {
    std::random_device rd;
    return fs::temp_directory_path() / ("mfd-bench-node-" + std::to_string(rd()));
}

mfd::chain::sim::RunOptions options(std::uint64_t txs, std::uint64_t blocks) {
    mfd::chain::sim::RunOptions o;
    o.validators = 4;
    o.blocks = blocks;
    o.txs = txs;
    o.rpc = "off";
    o.progress = false;
    o.quiet = true;
    o.device = "cpu";
    o.plugin = fs::path(MFD_BINARY_DIR) / "lib/libfraud_plugin.so";
    o.model = fs::path(MFD_SOURCE_DIR) / "models/default.safetensors";
    return o;
}

// Args: transactions of traffic, blocks.
void BM_ChainSimRun(benchmark::State& state) {
    double txs = 0;
    double wall = 0;
    nlohmann::json phases;
    for (auto _ : state) {
        auto o = options(static_cast<std::uint64_t>(state.range(0)),
                         static_cast<std::uint64_t>(state.range(1)));
        o.data_dir = scratch_dir();
        o.report = o.data_dir / "report.json";
        auto report = mfd::chain::sim::run_simulation(o, stdout);
        if (!report) {
            state.SkipWithError(report.error().to_string().c_str());
            break;
        }
        txs += (*report)["txs_committed"].get<double>();
        wall += (*report)["wall_seconds"].get<double>();
        phases = (*report)["validator0"]["phases"];
        std::error_code ec;
        fs::remove_all(o.data_dir, ec);
    }
    state.counters["committed_tx_per_s"] = wall > 0 ? txs / wall : 0;
    state.counters["txs"] = benchmark::Counter(txs, benchmark::Counter::kAvgIterations);
    for (const auto& [phase, v] : phases.items()) {
        state.counters["v0_" + phase + "_s"] = v["seconds"].get<double>();
    }
}
BENCHMARK(BM_ChainSimRun)->Args({20'000, 25})->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
