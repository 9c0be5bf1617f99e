// A JSON-RPC server with one cheap method (eth_chainId) for load generators such as wrk:
//   bench_rpc_server --port 8545 --io-threads 2 --worker-threads 2
// Prints "port N" once listening and runs until SIGINT or SIGTERM.

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "plugin/rpc/server.hpp"

int main(int argc, char** argv) {
    mfd::rpc::ServerOptions options;
    CLI::App app{"JSON-RPC server for load tests"};
    app.add_option("--port", options.port, "port (0 = ephemeral)");
    app.add_option("--io-threads", options.io_threads, "socket threads");
    app.add_option("--worker-threads", options.worker_threads, "handler threads (0 = inline)");
    app.add_option("--max-connections", options.max_connections, "connection cap");
    CLI11_PARSE(app, argc, argv);
    spdlog::set_level(spdlog::level::warn);

    // Block the stop signals before any thread starts, so only sigwait() below sees them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    mfd::rpc::Registry registry;
    mfd::rpc::Dispatcher dispatcher({}, &registry);
    const auto chain_id = [](const nlohmann::json&,
                             const mfd::rpc::CallContext&) -> mfd::rpc::MethodResult {
        return "0x539";
    };
    if (!dispatcher.add("eth_chainId", chain_id)) return 1;
    mfd::rpc::Server server(dispatcher, options, &registry);
    if (auto started = server.start(); !started) {
        std::fprintf(stderr, "%s\n", started.error().message.c_str());
        return 1;
    }
    std::printf("port %u\n", static_cast<unsigned>(server.port()));
    std::fflush(stdout);
    int received = 0;
    sigwait(&signals, &received);
    server.stop();
    return 0;
}
