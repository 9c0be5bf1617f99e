#include "plugin/rpc/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <future>
#include <thread>
#include <vector>

#include "plugin/rpc/http_session.hpp"
#include "plugin/rpc/server_state.hpp"

namespace mfd::rpc {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

constexpr std::string_view kBusy =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 21\r\n"
    "Connection: close\r\n\r\ntoo many connections\n";
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);
constexpr auto kForceCloseWait = std::chrono::seconds(1);

core::Result<void> check(const ServerOptions& o) {
    const bool ok = o.io_threads > 0 && o.max_connections > 0 && o.max_body_bytes > 0 &&
                    o.max_header_bytes >= 256 && o.max_header_bytes <= 0xffffffffu &&
                    o.idle_timeout.count() > 0 && o.read_timeout.count() > 0 &&
                    o.write_timeout.count() > 0 && o.request_timeout.count() > 0 &&
                    o.drain_timeout.count() >= 0;
    if (ok) return {};
    return core::fail(core::Errc::kInvalidArgument,
                      "server options: threads, limits and timeouts must be positive "
                      "(max_header_bytes at least 256)");
}

/// Errors after which accepting again at once would spin: wait a little first.
bool resource_exhausted(const error_code& ec) {
    return ec == net::error::no_descriptors || ec == net::error::no_buffer_space ||
           ec == net::error::no_memory;
}

}  // namespace

class Server::Impl {
public:
    Impl(const Dispatcher& dispatcher, ServerOptions options, Registry* metrics)
        : own_registry_(metrics == nullptr ? std::make_unique<Registry>() : nullptr),
          registry_(metrics == nullptr ? own_registry_.get() : metrics),
          ioc_(static_cast<int>(std::max<std::size_t>(options.io_threads, 1))),
          acceptor_(net::make_strand(ioc_)),
          accept_retry_(acceptor_.get_executor()),
          state_(std::make_shared<ServerState>(dispatcher, std::move(options), *registry_)) {}

    ~Impl() { stop(); }

    core::Result<void> start();
    void stop();
    [[nodiscard]] std::uint16_t port() const noexcept { return port_.load(); }
    [[nodiscard]] Registry& registry() noexcept { return *registry_; }

private:
    enum class Lifecycle { kNew, kRunning, kStopped };

    core::Result<void> listen();
    void accept();
    void on_accept(error_code ec, tcp::socket socket);
    void admit(tcp::socket socket);
    void run_io();
    void close_acceptor();
    void drain();
    [[nodiscard]] std::vector<std::shared_ptr<HttpSession>> sessions() const;

    std::unique_ptr<Registry> own_registry_;
    Registry* registry_;
    net::io_context ioc_;
    tcp::acceptor acceptor_;
    net::steady_timer accept_retry_;
    std::shared_ptr<ServerState> state_;
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
    std::vector<std::thread> threads_;
    std::mutex lifecycle_mu_;
    Lifecycle lifecycle_ = Lifecycle::kNew;
    std::atomic<std::uint16_t> port_{0};
};

core::Result<void> Server::Impl::start() {
    std::lock_guard lock(lifecycle_mu_);
    if (lifecycle_ != Lifecycle::kNew) {
        return core::fail(core::Errc::kUnavailable, "server already started or stopped");
    }
    if (auto ok = check(state_->options); !ok) return ok;
    if (auto ok = listen(); !ok) return ok;
    if (state_->options.worker_threads > 0) state_->workers.emplace(state_->options.worker_threads);
    work_.emplace(ioc_.get_executor());
    net::post(acceptor_.get_executor(), [this] { accept(); });
    for (std::size_t i = 0; i < state_->options.io_threads; ++i) {
        threads_.emplace_back([this] { run_io(); });
    }
    lifecycle_ = Lifecycle::kRunning;
    spdlog::info("rpc: listening on {}:{}", state_->options.host, port());
    return {};
}

core::Result<void> Server::Impl::listen() {
    const auto& o = state_->options;
    error_code ec;
    const auto address = net::ip::make_address(o.host, ec);
    if (ec) {
        return core::fail(core::Errc::kInvalidArgument,
                          "host '" + o.host + "' is not an IPv4 or IPv6 address");
    }
    const tcp::endpoint endpoint(address, o.port);
    const std::string where = o.host + ":" + std::to_string(o.port);
    if (acceptor_.open(endpoint.protocol(), ec); !ec) {
        acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    }
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (!ec) port_ = acceptor_.local_endpoint(ec).port();
    if (ec) {
        error_code ignored;
        acceptor_.close(ignored);
        return core::fail(core::Errc::kIo, "cannot listen on " + where + ": " + ec.message());
    }
    return {};
}

void Server::Impl::accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           boost::beast::bind_front_handler(&Impl::on_accept, this));
}

void Server::Impl::on_accept(error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open() || state_->stopping) return;
    if (!ec) {
        admit(std::move(socket));
    } else if (ec == net::error::operation_aborted) {
        return;
    } else if (resource_exhausted(ec)) {
        spdlog::warn("rpc: accept failed ({}); retrying shortly", ec.message());
        accept_retry_.expires_after(kAcceptRetry);
        accept_retry_.async_wait([this](error_code e) {
            if (!e) accept();
        });
        return;
    }
    accept();
}

void Server::Impl::admit(tcp::socket socket) {
    bool admitted = false;
    {
        std::lock_guard lock(state_->mu);
        if (state_->connections < state_->options.max_connections) {
            ++state_->connections;
            admitted = true;
        }
    }
    error_code ec;
    if (!admitted) {
        state_->meters.connections_rejected->inc();
        socket.non_blocking(true, ec);
        socket.write_some(net::buffer(kBusy.data(), kBusy.size()), ec);
        socket.shutdown(tcp::socket::shutdown_both, ec);
        socket.close(ec);
        return;
    }
    socket.set_option(tcp::no_delay(true), ec);
    state_->meters.connections_total->inc();
    state_->meters.connections_active->add(1);
    std::make_shared<HttpSession>(std::move(socket), state_)->start();
}

void Server::Impl::run_io() {
    for (;;) {
        try {
            ioc_.run();
            return;
        } catch (const std::exception& e) {
            spdlog::error("rpc: server handler failed: {}", e.what());
        } catch (...) {
            spdlog::error("rpc: server handler failed with a non-standard exception");
        }
    }
}

void Server::Impl::stop() {
    std::lock_guard lock(lifecycle_mu_);
    const bool running = lifecycle_ == Lifecycle::kRunning;
    lifecycle_ = Lifecycle::kStopped;
    if (!running) return;
    state_->stopping = true;
    close_acceptor();
    drain();
    if (state_->workers) state_->workers->join();
    work_.reset();
    ioc_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    spdlog::info("rpc: server on port {} stopped", port());
}

void Server::Impl::close_acceptor() {
    auto done = std::make_shared<std::promise<void>>();
    auto closed = done->get_future();
    net::post(acceptor_.get_executor(), [this, done] {
        error_code ec;
        acceptor_.close(ec);
        accept_retry_.cancel();
        done->set_value();
    });
    closed.wait_for(kForceCloseWait);
}

void Server::Impl::drain() {
    for (const auto& s : sessions()) s->shutdown();
    const auto none_left = [this] { return state_->connections == 0; };
    {
        std::unique_lock lock(state_->mu);
        if (state_->drained.wait_for(lock, state_->options.drain_timeout, none_left)) return;
    }
    spdlog::warn("rpc: closing connections still busy after the drain timeout");
    for (const auto& s : sessions()) s->force_close();
    std::unique_lock lock(state_->mu);
    state_->drained.wait_for(lock, kForceCloseWait, none_left);
}

std::vector<std::shared_ptr<HttpSession>> Server::Impl::sessions() const {
    std::vector<std::shared_ptr<HttpSession>> out;
    std::lock_guard lock(state_->mu);
    for (const auto& [ptr, weak] : state_->sessions) {
        if (auto s = weak.lock()) out.push_back(std::move(s));
    }
    return out;
}

Server::Server(const Dispatcher& dispatcher, ServerOptions options, Registry* metrics)
    : impl_(std::make_unique<Impl>(dispatcher, std::move(options), metrics)) {}

Server::~Server() = default;

core::Result<void> Server::start() {
    return impl_->start();
}

std::uint16_t Server::port() const noexcept {
    return impl_->port();
}

void Server::stop() {
    impl_->stop();
}

Registry& Server::metrics() noexcept {
    return impl_->registry();
}

}  // namespace mfd::rpc
