// fraudctl bench: throughput and latency of the detector on this machine (model only at batch
// 65,536; one transaction at a time; features + scoring of transactions with known senders).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "fraud/detector.hpp"
#include "models/scorer.hpp"
#include "tools/fraudctl/commands.hpp"
#include "tools/fraudctl/detector_commands.hpp"
#include "tools/fraudctl/training_rows.hpp"

namespace mfd::tools {
namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::ordered_json;

struct BenchOptions {
    std::string model = "models/default.safetensors";
    std::string data = "sim:11:2000:40000:0.05";
    std::string device = "cpu";
    std::size_t batch = 65536;
    int repeats = 5;
    std::size_t single = 20000;
    std::string json_out;
};

[[noreturn]] void fail_usage(const std::string& message) {
    std::cerr << "fraudctl bench: " << message << "\n";
    throw CLI::RuntimeError(kExitUsage);
}

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

/// Rows per second of the scorer at `batch` rows (best of `repeats` after a warm-up).
double model_throughput(fraud::Detector& det, const fraud::TrainingSet& rows,
                        const BenchOptions& o, models::Device device) {
    auto scorer = models::Scorer::create(det.model(), {.device = device});
    if (!scorer) fail_usage(scorer.error().to_string());
    std::vector<float> batch(o.batch * fraud::kFeatures);
    for (std::size_t i = 0; i < o.batch; ++i) {
        const auto r = rows.rows.row(i % rows.size());
        std::copy(r.begin(), r.end(), batch.begin() + static_cast<std::ptrdiff_t>(i * fraud::kFeatures));
    }
    models::ScoreBatch out;
    if (!scorer->score(batch, out)) fail_usage("scoring failed");
    double best = 0;
    for (int k = 0; k < o.repeats; ++k) {
        const auto t = Clock::now();
        if (!scorer->score(batch, out)) fail_usage("scoring failed");
        best = std::max(best, static_cast<double>(o.batch) / seconds_since(t));
    }
    return best;
}

/// Latency percentiles (µs) of Detector::score, one transaction at a time.
json single_latency(fraud::Detector& det, const LabelledEvents& data, std::size_t n) {
    std::vector<double> us;
    us.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t k = i % data.events.size();
        const fraud::TxContext context =
            data.contexts.empty() ? fraud::TxContext{} : data.contexts[k];
        const auto t = Clock::now();
        const auto s = det.score(data.events[k], context);
        us.push_back(seconds_since(t) * 1e6);
        if (s.probability < 0) fail_usage("impossible score");
    }
    std::sort(us.begin(), us.end());
    const auto at = [&](double q) { return us[static_cast<std::size_t>(q * (us.size() - 1))]; };
    return {{"p50_us", at(0.5)}, {"p99_us", at(0.99)}, {"max_us", us.back()}};
}

/// Transactions per second of Detector::score_batch (features + scoring, senders recovered).
double features_and_scoring(fraud::Detector& det, const LabelledEvents& data,
                            const BenchOptions& o) {
    std::vector<fraud::Score> scores;
    double best = 0;
    for (int k = 0; k < o.repeats; ++k) {
        const auto t = Clock::now();
        if (auto r = det.score_batch(data.events, scores, data.contexts); !r) {
            fail_usage(r.error().to_string());
        }
        best = std::max(best, static_cast<double>(data.events.size()) / seconds_since(t));
    }
    return best;
}

/// The first and the second half of `data`, in order.
std::pair<LabelledEvents, LabelledEvents> split_halves(const LabelledEvents& data) {
    std::vector<std::uint8_t> first(data.events.size(), 0);
    std::fill(first.begin(), first.begin() + static_cast<std::ptrdiff_t>(first.size() / 2), 1);
    auto second = first;
    for (auto& k : second) k = k ? 0 : 1;
    return {select(data, first), select(data, second)};
}

/// Share of `data` the detector flags (feature effects are computed for those rows only).
double flagged_share(fraud::Detector& det, const LabelledEvents& data) {
    std::vector<fraud::Score> scores;
    if (auto r = det.score_batch(data.events, scores, data.contexts); !r) {
        fail_usage(r.error().to_string());
    }
    const auto flagged = std::count_if(scores.begin(), scores.end(),
                                       [](const fraud::Score& s) { return s.flagged; });
    const auto n = std::max<std::size_t>(1, scores.size());
    return static_cast<double>(flagged) / static_cast<double>(n);
}

void run_bench(const BenchOptions& o) {
    auto device = models::parse_device(o.device);
    if (!device) fail_usage(device.error().to_string());
    auto data = load_simulated(o.data);
    if (!data) fail_usage(data.error().to_string());
    auto rows = replay_rows(*data);
    if (!rows) fail_usage(rows.error().to_string());
    fraud::DetectorOptions options;
    options.device = *device;
    auto det = fraud::Detector::load(o.model, nullptr, options);
    if (!det) fail_usage(det.error().to_string());
    // Warm history from the first half; the timed paths score the second half, transactions
    // the detector has not observed (rescoring observed ones would see every r value reused).
    const auto [seen, fresh] = split_halves(*data);
    std::vector<fraud::Score> warm;
    if (auto r = det->replay(seen.events, warm, seen.observe, seen.contexts); !r) {
        fail_usage(r.error().to_string());
    }
    json out;
    out["device"] = models::device_name(det->device());
    out["model_rows_per_s"] = model_throughput(*det, *rows, o, det->device());
    out["single_tx"] = single_latency(*det, fresh, o.single);
    out["features_and_scoring_tx_per_s"] = features_and_scoring(*det, fresh, o);
    out["flagged_share"] = flagged_share(*det, fresh);
    out["batch_rows"] = o.batch;
    out["transactions"] = data->events.size();
    std::cout << out.dump(2) << "\n";
    if (!o.json_out.empty()) std::ofstream(o.json_out) << out.dump(2) << "\n";
}

}  // namespace

void add_bench_command(CLI::App& app) {
    auto o = std::make_shared<BenchOptions>();
    CLI::App* cmd = app.add_subcommand(
        "bench", "Measure model throughput at a batch size, single-transaction latency and "
                 "features + scoring throughput");
    cmd->add_option("--model", o->model, "the model file")->capture_default_str();
    cmd->add_option("--data", o->data, "simulator traffic to take transactions from")
        ->capture_default_str();
    cmd->add_option("--device", o->device, "auto, cpu or cuda")->capture_default_str();
    cmd->add_option("--batch", o->batch, "rows per model call")->capture_default_str();
    cmd->add_option("--repeats", o->repeats, "timed repetitions (the best is reported)")
        ->capture_default_str();
    cmd->add_option("--single", o->single, "single-transaction calls timed")->capture_default_str();
    cmd->add_option("--json", o->json_out, "also write the figures here");
    cmd->callback([o] { run_bench(*o); });
}

}  // namespace mfd::tools
