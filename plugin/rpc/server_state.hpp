#pragma once
/// What the server's sessions share (internal to plugin/rpc; includes Boost.Asio).

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "plugin/rpc/bearer_auth.hpp"
#include "plugin/rpc/dispatcher.hpp"
#include "plugin/rpc/metrics.hpp"
#include "plugin/rpc/server.hpp"

namespace mfd::rpc {

class HttpSession;

/// The server's own metrics, created once so that the hot path never looks a label up.
struct ServerMeters {
    explicit ServerMeters(Registry& registry);

    /// Counts one response; `path` is "/", "/metrics", "/health" or "other".
    void count_response(std::string_view path, unsigned status);
    /// Counts one timeout; `phase` is "idle", "read", "write" or "handler".
    void count_timeout(std::string_view phase);

    Family<Counter>* responses = nullptr;
    Family<Counter>* timeouts = nullptr;
    Counter* rpc_ok = nullptr;          ///< POST / answered 200
    Counter* rpc_no_content = nullptr;  ///< POST / answered 204
    Histogram* rpc_duration = nullptr;
    Gauge* connections_active = nullptr;
    Counter* connections_total = nullptr;
    Counter* connections_rejected = nullptr;

    std::unique_ptr<Registry> fallback;  ///< only when the given registry had clashing names
    std::vector<std::unique_ptr<Gauge>> private_gauges;
    std::vector<std::unique_ptr<Counter>> private_counters;
};

/// Shared by the server and its sessions (held by shared_ptr so that sessions destroyed late,
/// when the io_context goes, still find it).
struct ServerState {
    ServerState(const Dispatcher& d, ServerOptions o, Registry& r)
        : dispatcher(d),
          options(std::move(o)),
          registry(r),
          auth(options.bearer_token),
          meters(r) {}

    const Dispatcher& dispatcher;
    const ServerOptions options;
    Registry& registry;
    const BearerAuth auth;
    ServerMeters meters;
    std::optional<boost::asio::thread_pool> workers;  ///< empty when handlers run inline
    std::atomic<bool> stopping{false};

    std::mutex mu;  ///< guards sessions and connections, signals drained
    std::condition_variable drained;
    std::unordered_map<const HttpSession*, std::weak_ptr<HttpSession>> sessions;
    std::size_t connections = 0;
};

}  // namespace mfd::rpc
