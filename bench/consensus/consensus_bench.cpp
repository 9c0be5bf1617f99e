// Consensus benchmarks: the engine alone over a perfect network (heights per second of wall
// time, messages per height) for 4..100 validators, the full simulation with its network
// model, and the unit costs that dominate (signing, recovery, hashing, decoding).
#include <benchmark/benchmark.h>

#include <chrono>
#include <ctime>

#include "bench/consensus/engine_driver.hpp"
#include "chain_sim/net/simulation.hpp"
#include "consensus/proposer_sequence.hpp"
#include "core/keccak.hpp"

namespace {

using mfd::bench::EngineDriver;

// The engine alone: N validators commit `heights` heights; reports heights/s and per-height
// message, delivery, signature and recovery counts.
void BM_EngineAlone(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const mfd::consensus::Height heights = n >= 64 ? 20 : 50;
    double seconds = 0, cpu_seconds = 0;
    std::uint64_t messages = 0, deliveries = 0, signatures = 0, recoveries = 0, done = 0;
    for (auto _ : state) {
        state.PauseTiming();
        EngineDriver driver(n);
        const auto before = driver.counts();
        const auto rec_before = driver.verifier().stats().recoveries;
        state.ResumeTiming();
        const auto t0 = std::chrono::steady_clock::now();
        const std::clock_t c0 = std::clock();
        driver.run_heights(heights);
        cpu_seconds += static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        messages += driver.counts().messages - before.messages;
        deliveries += driver.counts().deliveries - before.deliveries;
        signatures += driver.counts().signatures;
        recoveries += driver.verifier().stats().recoveries - rec_before;
        done += static_cast<std::uint64_t>(heights);
    }
    const auto per_height = [&](std::uint64_t v) { return static_cast<double>(v) / done; };
    state.counters["heights_per_s"] = static_cast<double>(done) / seconds;
    state.counters["heights_per_cpu_s"] = static_cast<double>(done) / cpu_seconds;
    state.counters["msgs_per_height"] = per_height(messages);
    state.counters["deliveries_per_height"] = per_height(deliveries);
    state.counters["signs_per_height"] = per_height(signatures);
    state.counters["recoveries_per_height"] = per_height(recoveries);
}
BENCHMARK(BM_EngineAlone)
    ->Arg(4)
    ->Arg(16)
    ->Arg(64)
    ->Arg(100)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

// The whole simulation: latency 10 ms + up to 5 ms jitter, FIFO links, no loss.
void BM_SimulatedNetwork(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const mfd::consensus::Height heights = n >= 64 ? 20 : 50;
    double seconds = 0, sim_seconds = 0;
    std::uint64_t deliveries = 0, done = 0;
    for (auto _ : state) {
        mfd::chain::net::SimConfig c;
        for (std::size_t i = 0; i < n; ++i) {
            mfd::chain::net::NodeSpec spec;
            spec.key =
                mfd::core::PrivateKey::derive(mfd::core::as_bytes("sim-" + std::to_string(i)));
            spec.genesis_power = 100;
            c.nodes.push_back(spec);
        }
        c.target_height = heights;
        c.duration_us = 600'000'000;
        auto sim = std::move(*mfd::chain::net::Simulation::create(c));
        const auto t0 = std::chrono::steady_clock::now();
        sim->run();
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        sim_seconds += static_cast<double>(sim->now()) / 1e6;
        deliveries += sim->counters().deliveries;
        done += static_cast<std::uint64_t>(heights);
    }
    state.counters["heights_per_s"] = static_cast<double>(done) / seconds;
    state.counters["deliveries_per_height"] = static_cast<double>(deliveries) / done;
    state.counters["sim_ms_per_height"] = sim_seconds * 1e3 / static_cast<double>(done);
}
BENCHMARK(BM_SimulatedNetwork)
    ->Arg(4)
    ->Arg(16)
    ->Arg(64)
    ->Arg(100)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

mfd::consensus::Vote sample_vote(int i) {
    mfd::consensus::Vote v;
    v.type = mfd::consensus::VoteType::kPrecommit;
    v.chain_id = 1;
    v.height = 1000 + i;
    v.round = 0;
    v.block = mfd::core::keccak256(mfd::core::as_bytes("block"));
    v.validator = mfd::core::PrivateKey::derive(mfd::core::as_bytes("k")).address();
    return v;
}

void BM_VoteSign(benchmark::State& state) {
    const auto key = mfd::core::PrivateKey::derive(mfd::core::as_bytes("k"));
    int i = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(mfd::consensus::SignedVote::sign(sample_vote(i++), key));
}
BENCHMARK(BM_VoteSign);

void BM_VoteVerifyUncached(benchmark::State& state) {
    const auto key = mfd::core::PrivateKey::derive(mfd::core::as_bytes("k"));
    auto vote = *mfd::consensus::SignedVote::sign(sample_vote(0), key);
    mfd::consensus::DirectVerifier v;
    const auto pub = key.public_key();
    for (auto _ : state) benchmark::DoNotOptimize(v.verify(vote->digest(), vote->signature(), pub));
}
BENCHMARK(BM_VoteVerifyUncached);

void BM_VoteVerifyCached(benchmark::State& state) {
    const auto key = mfd::core::PrivateKey::derive(mfd::core::as_bytes("k"));
    auto vote = *mfd::consensus::SignedVote::sign(sample_vote(0), key);
    mfd::consensus::CachingVerifier v;
    const auto pub = key.public_key();
    for (auto _ : state) benchmark::DoNotOptimize(v.verify(vote->digest(), vote->signature(), pub));
}
BENCHMARK(BM_VoteVerifyCached);

void BM_DecodeVote(benchmark::State& state) {
    const auto key = mfd::core::PrivateKey::derive(mfd::core::as_bytes("k"));
    const auto bytes =
        mfd::consensus::encode(*mfd::consensus::SignedVote::sign(sample_vote(0), key));
    for (auto _ : state) benchmark::DoNotOptimize(mfd::consensus::decode(bytes));
}
BENCHMARK(BM_DecodeVote);

void BM_ProposerSequence(benchmark::State& state) {
    std::vector<mfd::consensus::NamedPower> vals;
    for (int i = 0; i < state.range(0); ++i) vals.push_back({"v" + std::to_string(i), 10 + i});
    for (auto _ : state) benchmark::DoNotOptimize(mfd::consensus::proposer_sequence(vals, 100));
}
BENCHMARK(BM_ProposerSequence)->Arg(4)->Arg(100);

}  // namespace
