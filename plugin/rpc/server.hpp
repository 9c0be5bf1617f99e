#pragma once
/// The JSON-RPC server over HTTP/1.1 (Boost.Beast behind this header): POST / for JSON-RPC,
/// GET /metrics (Prometheus text 0.0.4), GET /health. Keep-alive, bounded bodies, headers,
/// connections and times; optional bearer token. docs/rpc.md describes the behaviour.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "plugin/rpc/dispatcher.hpp"
#include "plugin/rpc/metrics.hpp"

namespace mfd::rpc {

/// Where the server listens and what it bounds. Defaults suit a validator on loopback.
struct ServerOptions {
    std::string host = "127.0.0.1";  ///< an IPv4/IPv6 literal; never a name lookup
    std::uint16_t port = 8545;       ///< 0 picks a free port (read it with Server::port())
    std::size_t io_threads = 2;      ///< threads running the sockets
    /// Threads running handlers. 0 runs them on the I/O threads: fastest for cheap methods, but
    /// then a handler that ignores its deadline cannot be cut off and stalls a socket thread.
    std::size_t worker_threads = 2;
    std::size_t max_body_bytes = 1024 * 1024;  ///< larger bodies get 413
    std::size_t max_header_bytes = 8 * 1024;   ///< larger request heads get 431
    std::size_t max_connections = 256;         ///< beyond it new sockets get 503 and are closed
    std::chrono::milliseconds idle_timeout{30'000};  ///< keep-alive wait for the next request
    std::chrono::milliseconds read_timeout{10'000};  ///< first byte to complete request
    std::chrono::milliseconds write_timeout{10'000};
    /// Budget of one POST body's handling; handlers see it as CallContext::deadline, and with
    /// worker threads a response of 503/-32010 is sent 100 ms past it if they have not finished.
    std::chrono::milliseconds request_timeout{5'000};
    std::chrono::milliseconds drain_timeout{5'000};  ///< stop() waits this long for requests
    /// When not empty, POST / and GET /metrics need "Authorization: Bearer <token>" (else 401).
    std::string bearer_token;
};

/// An HTTP server around a Dispatcher. start() and stop() are thread-safe (not from a handler);
/// a stopped server cannot start again.
class Server {
public:
    /// The dispatcher (and the registry, when given) must outlive the server. The server adds
    /// its rpc_http_* metrics to `metrics` and serves it on /metrics; without one it uses a
    /// registry of its own.
    Server(const Dispatcher& dispatcher, ServerOptions options, Registry* metrics = nullptr);
    /// Stops the server (see stop()).
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Binds, listens and starts the threads. Fails with kInvalidArgument on a bad host or
    /// option, kIo when the address cannot be bound, kUnavailable when called twice.
    [[nodiscard]] core::Result<void> start();
    /// The bound port (the real one when options.port was 0); 0 before start().
    [[nodiscard]] std::uint16_t port() const noexcept;
    /// Closes the listener, lets requests in progress finish (up to drain_timeout), closes
    /// every connection, waits for running handlers and joins the threads. Idempotent.
    void stop();
    /// The registry /metrics serves.
    [[nodiscard]] Registry& metrics() noexcept;

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mfd::rpc
