// The fraud plugin loaded through the loader with its JSON-RPC server on, for load generators:
//   bench_plugin_server --txs-out txs.hex --txs 20000 [--model M] [--cache-scores 1]
// Writes --txs distinct signed raw transactions (one 0x-hex per line) for the load generator,
// prints "port N" once listening, and runs until SIGINT or SIGTERM.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>

#include "bench/plugin/bench_support.hpp"

namespace {

using namespace mfd::plugin;

bool write_txs(const std::string& path, std::size_t n) {
    std::ofstream out(path);
    for (const auto& raw : bench::make_transactions(n, 2048)) {
        out << "0x" << mfd::core::to_hex(raw, false) << "\n";
    }
    return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
    std::string model;
    std::string txs_out;
    std::size_t txs = 20000;
    std::size_t cache_scores = 100000;
    std::size_t io_threads = 1;
    std::size_t worker_threads = 0;
    CLI::App app{"fraud plugin with its JSON-RPC server, for load tests"};
    app.add_option("--model", model, "model file (default: random weights, default shape)");
    app.add_option("--txs-out", txs_out, "write distinct raw transactions here");
    app.add_option("--txs", txs, "how many to write");
    app.add_option("--cache-scores", cache_scores, "the plugin's cache_scores (1: no reuse)");
    app.add_option("--io-threads", io_threads, "the server's socket threads");
    app.add_option("--worker-threads", worker_threads, "handler threads (0: on socket threads)");
    CLI11_PARSE(app, argc, argv);
    spdlog::set_level(spdlog::level::warn);

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    bench::ScratchDir dir;
    if (model.empty()) {
        model = (dir.path() / "model.safetensors").string();
        if (!bench::write_default_model(model)) return 1;
    }
    if (!txs_out.empty() && !write_txs(txs_out, txs)) return 1;
    auto library = bench::open_plugin();
    if (!library) {
        std::fprintf(stderr, "%s\n", library.error().to_string().c_str());
        return 1;
    }
    auto config = bench::bench_config(dir.path() / "data", model);
    config["cache_scores"] = cache_scores;
    config["rpc"] = {{"enabled", true},
                     {"port", 0},
                     {"io_threads", io_threads},
                     {"worker_threads", worker_threads}};
    auto instance = PluginInstance::create(*library, config.dump());
    if (!instance) {
        std::fprintf(stderr, "%s\n", instance.error().to_string().c_str());
        return 1;
    }
    auto endpoint = (*instance)->rpc_endpoint();
    if (!endpoint) return 1;
    std::printf("port %s\n", endpoint->substr(endpoint->rfind(':') + 1).c_str());
    std::fflush(stdout);
    int received = 0;
    sigwait(&signals, &received);
    return 0;
}
