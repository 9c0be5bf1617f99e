// The plugin's hooks through the C ABI of the real libfraud_plugin.so, loaded with the loader as
// a node loads it. "uncached" instances keep one decoded transaction (cache_scores = 1), so
// every call decodes and recovers the signature again; "cached" ones reuse what an earlier hook
// decoded, as a validator does between check_tx, extend_vote and finalize_block.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "bench/plugin/bench_support.hpp"
#include "core/keccak.hpp"

namespace mfd::plugin::bench {
namespace {

/// One plugin library, one model and two instances for the whole program.
struct Env {
    ScratchDir dir;
    std::filesystem::path model = dir.path() / "model.safetensors";
    std::shared_ptr<const PluginLibrary> library;
    std::unique_ptr<PluginInstance> cached;
    std::unique_ptr<PluginInstance> uncached;
    std::unique_ptr<PluginInstance> inline_uncached;
    std::vector<core::Bytes> txs = make_transactions(8192, 512);

    Env() {
        if (!write_default_model(model)) die("cannot write the model");
        auto lib = open_plugin();
        if (!lib) die(lib.error().to_string());
        library = *lib;
        cached = make("cached", nlohmann::json::object());
        uncached = make("uncached", {{"cache_scores", 1}});
        inline_uncached = make("inline", {{"cache_scores", 1}, {"budgets_us", {{"check_tx", 0}}}});
    }
    std::unique_ptr<PluginInstance> make(const std::string& name, const nlohmann::json& patch) {
        nlohmann::json config = bench_config(dir.path() / name, model);
        config.merge_patch(patch);
        auto instance = PluginInstance::create(library, config.dump());
        if (!instance) die(instance.error().to_string());
        return std::move(*instance);
    }
    [[noreturn]] static void die(const std::string& why) {
        std::fprintf(stderr, "bench_plugin: %s\n", why.c_str());
        std::exit(1);
    }
};

Env& env() {
    static Env e;
    return e;
}

PluginInstance& pick(std::int64_t which) {
    switch (which) {
    case 0: return *env().uncached;
    case 1: return *env().cached;
    default: return *env().inline_uncached;
    }
}

/// check_tx of distinct transactions; arg 0: 0 uncached (worker + budget), 1 cached, 2 uncached
/// inline (budget 0). Threads share the instance.
void BM_CheckTx(benchmark::State& state) {
    PluginInstance& p = pick(state.range(0));
    const auto& txs = env().txs;
    std::size_t i = static_cast<std::size_t>(state.thread_index()) * 4099;
    for (auto _ : state) {
        auto r = p.check_tx(txs[i++ % txs.size()]);
        if (!r || r->score.degraded) state.SkipWithError("check_tx failed or degraded");
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CheckTx)->Arg(0)->Arg(1)->Arg(2)->UseRealTime();
BENCHMARK(BM_CheckTx)->Arg(0)->Arg(1)->Threads(2)->UseRealTime();

/// fraud_scoreRawTransaction through `query` (the JSON-RPC handler without HTTP), uncached.
void BM_QueryScoreRawTransaction(benchmark::State& state) {
    std::vector<std::string> params;
    for (std::size_t i = 0; i < 1024; ++i) {
        params.push_back("[\"0x" + core::to_hex(env().txs[i], false) + "\"]");
    }
    std::size_t i = 0;
    for (auto _ : state) {
        auto r = env().uncached->query("fraud_scoreRawTransaction", params[i++ % params.size()]);
        if (!r || !r->ok) state.SkipWithError("query failed");
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_QueryScoreRawTransaction)->UseRealTime();

std::vector<core::ByteView> block_of(std::size_t n, std::size_t offset) {
    std::vector<core::ByteView> views;
    for (std::size_t i = 0; i < n; ++i) {
        views.emplace_back(env().txs[(offset + i) % env().txs.size()]);
    }
    return views;
}

/// extend_vote over a block of arg candidates; arg 1: 0 uncached, 1 cached.
void BM_ExtendVote(benchmark::State& state) {
    PluginInstance& p = pick(state.range(1));
    const auto n = static_cast<std::size_t>(state.range(0));
    std::size_t offset = 0;
    for (auto _ : state) {
        const auto views = block_of(n, offset += n);
        auto flags = p.extend_vote(1, views, 64);
        if (!flags) state.SkipWithError("extend_vote failed");
        benchmark::DoNotOptimize(flags);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ExtendVote)->Args({256, 0})->Args({256, 1})->UseRealTime()->Unit(benchmark::kMillisecond);

/// process_proposal over arg candidates (decoding and recovery; deterministic).
void BM_ProcessProposal(benchmark::State& state) {
    PluginInstance& p = pick(state.range(1));
    const auto n = static_cast<std::size_t>(state.range(0));
    std::size_t offset = 0;
    for (auto _ : state) {
        auto v = p.process_proposal(1, block_of(n, offset += n));
        if (!v || *v != Verdict::kAccept) state.SkipWithError("process_proposal rejected");
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ProcessProposal)->Args({256, 0})->Args({256, 1})->UseRealTime()->Unit(benchmark::kMillisecond);

/// finalize_block of arg executed transactions and 8 committed flags, synced to disk.
void BM_FinalizeBlock(benchmark::State& state) {
    static std::atomic<std::uint64_t> height{0};
    PluginInstance& p = *env().cached;
    const auto n = static_cast<std::size_t>(state.range(0));
    std::size_t offset = 0;
    for (auto _ : state) {
        BlockInput block{++height, {}, static_cast<std::int64_t>(height) * 1000,
                         block_of(n, offset += n), {}};
        for (std::size_t f = 0; f < 8; ++f) {
            const auto& raw = env().txs[(offset + n + f) % env().txs.size()];
            block.flags.push_back({core::keccak256(raw), 3, 10, 9000, f % 2 == 0});
        }
        if (!p.finalize_block(block)) state.SkipWithError("finalize_block failed");
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_FinalizeBlock)->Arg(100)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mfd::plugin::bench
