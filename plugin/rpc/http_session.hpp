#pragma once
/// One HTTP connection of the server (internal to plugin/rpc; includes Boost.Beast).

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "plugin/rpc/server_state.hpp"

namespace mfd::rpc {

/// Reads requests one after the other on one socket and answers them in order. Every step runs
/// on the socket's strand; shutdown() and force_close() may be called from any thread.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    using Response = boost::beast::http::response<boost::beast::http::string_body>;

    /// Takes a socket already counted in state->connections (the destructor uncounts it).
    HttpSession(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerState> state);
    ~HttpSession();
    HttpSession(const HttpSession&) = delete;
    HttpSession& operator=(const HttpSession&) = delete;

    /// Registers the session with the server and waits for its first request.
    void start();
    /// Finishes the request in progress (if any), then closes.
    void shutdown();
    /// Closes the socket now; pending operations end with an error.
    void force_close();

private:
    enum class Phase { kIdle, kReading, kHandling, kWriting, kClosing };
    enum class Route { kRpc, kMetrics, kHealth };

    void wait_for_request();
    void on_first_bytes(boost::beast::error_code ec, std::size_t n);
    void read_header();
    void on_header(boost::beast::error_code ec);
    void on_continue_sent(boost::beast::error_code ec);
    void read_body();
    void on_body(boost::beast::error_code ec);
    void on_read_error(boost::beast::error_code ec);
    [[nodiscard]] std::optional<Response> check_head();
    void serve();
    void dispatch_rpc();
    void on_dispatched(std::uint64_t seq, std::optional<std::string> body);
    void on_handler_timeout(std::uint64_t seq);
    void send(Response&& response, bool close);
    void on_write(boost::beast::error_code ec, bool close);
    void linger();
    void on_linger(boost::beast::error_code ec, std::size_t n);
    void close_now();
    [[nodiscard]] Response make_response(unsigned status, std::string body,
                                         std::string_view content_type) const;

    boost::beast::tcp_stream stream_;
    std::shared_ptr<ServerState> state_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    boost::asio::steady_timer handler_timer_;
    std::shared_ptr<Response> response_;  // alive while it is written
    std::string linger_scratch_;
    std::size_t lingered_bytes_ = 0;
    Phase phase_ = Phase::kIdle;
    Route route_ = Route::kRpc;
    std::string_view path_label_ = "other";
    std::uint64_t request_seq_ = 0;
    bool stop_requested_ = false;
    bool closed_ = false;
    Clock::time_point request_start_;
};

}  // namespace mfd::rpc
