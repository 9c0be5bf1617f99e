#include <spdlog/spdlog.h>

#include "plugin/rpc/server_state.hpp"

namespace mfd::rpc {
namespace {

/// Unwraps a registration; on a clash (another metric with the name) logs and keeps a private
/// stand-in, so that the hot path never checks for null.
template <class T>
T* or_private(core::Result<T*> r, std::vector<std::unique_ptr<T>>& privates) {
    if (r) return *r;
    spdlog::error("rpc: server metric unavailable: {}", r.error().message);
    return privates.emplace_back(std::make_unique<T>()).get();
}

}  // namespace

ServerMeters::ServerMeters(Registry& registry) {
    auto responses_family = registry.counter_family(
        "rpc_http_responses_total", "HTTP responses by path and status", {"path", "status"});
    auto timeouts_family = registry.counter_family(
        "rpc_http_timeouts_total", "Connections or requests cut off by a timeout", {"phase"});
    auto duration =
        registry.histogram("rpc_http_request_duration_seconds",
                           "Time from a POST / request head to its response being ready");
    if (!responses_family || !timeouts_family || !duration) {
        spdlog::error("rpc: server metrics clash with metrics already in the registry");
        fallback = std::make_unique<Registry>();
        responses_family = fallback->counter_family("r", "", {"path", "status"});
        timeouts_family = fallback->counter_family("t", "", {"phase"});
        duration = fallback->histogram("d", "");
    }
    responses = *responses_family;
    timeouts = *timeouts_family;
    rpc_duration = *duration;
    rpc_ok = *responses->with({"/", "200"});
    rpc_no_content = *responses->with({"/", "204"});
    connections_active = or_private(
        registry.gauge("rpc_http_connections_active", "Open HTTP connections"), private_gauges);
    connections_total =
        or_private(registry.counter("rpc_http_connections_total", "HTTP connections accepted"),
                   private_counters);
    connections_rejected = or_private(
        registry.counter("rpc_http_connections_rejected_total",
                         "HTTP connections refused because the connection cap was reached"),
        private_counters);
}

void ServerMeters::count_response(std::string_view path, unsigned status) {
    if (path == "/" && status == 200) return rpc_ok->inc();
    if (path == "/" && status == 204) return rpc_no_content->inc();
    if (auto c = responses->with({std::string(path), std::to_string(status)})) (*c)->inc();
}

void ServerMeters::count_timeout(std::string_view phase) {
    if (auto c = timeouts->with({std::string(phase)})) (*c)->inc();
}

}  // namespace mfd::rpc
