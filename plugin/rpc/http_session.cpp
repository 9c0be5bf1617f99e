#include "plugin/rpc/http_session.hpp"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

namespace mfd::rpc {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::string_view kJson = "application/json";
constexpr std::string_view kText = "text/plain; charset=utf-8";
constexpr std::string_view kPrometheus = "text/plain; version=0.0.4; charset=utf-8";
constexpr std::size_t kFirstReadBytes = 4096;
constexpr auto kHardLimitGrace = std::chrono::milliseconds(100);
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 8 * 1024 * 1024;
constexpr std::size_t kTrimAfterBytes = 1024 * 1024;
constexpr std::size_t kLingerChunk = 16 * 1024;

std::string_view view(beast::string_view s) {
    return {s.data(), s.size()};
}
beast::string_view bview(std::string_view s) {
    return {s.data(), s.size()};
}

/// The request target's path, without the query.
std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find('?'));
}

/// True for "application/json", in any case and with any parameters (charset=...).
bool is_json_type(std::string_view v) {
    v = v.substr(0, v.find(';'));
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return beast::iequals(bview(v), bview(kJson));
}

// The size of a request head as sent: "METHOD TARGET HTTP/1.1\r\n", "Name: value\r\n" per field,
// and the blank line.
std::size_t head_bytes(const http::request<http::string_body>& req) {
    std::size_t bytes = req.method_string().size() + 1 + req.target().size() + 1 + 8 + 2;
    for (const auto& field : req)
        bytes += field.name_string().size() + 2 + field.value().size() + 2;
    return bytes + 2;
}

bool is_http_parse_error(const beast::error_code& ec) {
    return ec.category() == beast::error_code(http::error::bad_target).category();
}

std::string timeout_body() {
    const RpcError e(ErrorCode::kTimeout);
    return nlohmann::json{{"jsonrpc", "2.0"}, {"error", e.to_json()}, {"id", nullptr}}.dump();
}

}  // namespace

HttpSession::HttpSession(tcp::socket&& socket, std::shared_ptr<ServerState> state)
    : stream_(std::move(socket)),
      state_(std::move(state)),
      handler_timer_(stream_.get_executor()) {}

HttpSession::~HttpSession() {
    std::lock_guard lock(state_->mu);
    state_->sessions.erase(this);
    --state_->connections;
    state_->meters.connections_active->add(-1);
    state_->drained.notify_all();
}

void HttpSession::start() {
    {
        std::lock_guard lock(state_->mu);
        state_->sessions.emplace(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this()] { self->wait_for_request(); });
}

void HttpSession::shutdown() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
        self->stop_requested_ = true;
        if (self->phase_ == Phase::kIdle) self->close_now();
    });
}

void HttpSession::force_close() {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->close_now(); });
}

void HttpSession::wait_for_request() {
    if (stop_requested_ || state_->stopping) return close_now();
    phase_ = Phase::kIdle;
    if (buffer_.size() > 0) return read_header();  // a pipelined request is already here
    stream_.expires_after(state_->options.idle_timeout);
    stream_.async_read_some(
        buffer_.prepare(kFirstReadBytes),
        beast::bind_front_handler(&HttpSession::on_first_bytes, shared_from_this()));
}

void HttpSession::on_first_bytes(beast::error_code ec, std::size_t n) {
    buffer_.commit(n);
    if (ec) {
        if (ec == beast::error::timeout) state_->meters.count_timeout("idle");
        return close_now();
    }
    read_header();
}

void HttpSession::read_header() {
    phase_ = Phase::kReading;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(state_->options.max_header_bytes));
    parser_->body_limit(state_->options.max_body_bytes);
    stream_.expires_after(state_->options.read_timeout);  // covers the head and the body
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void HttpSession::on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    request_start_ = Clock::now();
    if (auto rejection = check_head()) return send(std::move(*rejection), !parser_->is_done());
    if (parser_->is_done()) return serve();
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
        net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                         [self = shared_from_this()](beast::error_code e, std::size_t) {
                             self->on_continue_sent(e);
                         });
        return;
    }
    read_body();
}

void HttpSession::on_continue_sent(beast::error_code ec) {
    if (ec) return close_now();
    read_body();
}

void HttpSession::read_body() {
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
}

void HttpSession::on_body(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    serve();
}

void HttpSession::on_read_error(beast::error_code ec) {
    const auto& opts = state_->options;
    if (ec == http::error::body_limit) {
        return send(
            make_response(
                413, "request body exceeds " + std::to_string(opts.max_body_bytes) + " bytes\n",
                kText),
            true);
    }
    if (ec == http::error::header_limit) {
        return send(
            make_response(
                431, "request head exceeds " + std::to_string(opts.max_header_bytes) + " bytes\n",
                kText),
            true);
    }
    if (ec == beast::error::timeout) state_->meters.count_timeout("read");
    if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
        !is_http_parse_error(ec)) {
        return close_now();  // the peer left, reset, or was too slow: nobody to answer
    }
    send(make_response(400, "malformed HTTP request: " + ec.message() + "\n", kText), true);
}

std::optional<HttpSession::Response> HttpSession::check_head() {
    const auto& req = parser_->get();
    // Beast applies its header limit per read, so a head arriving in pieces could pass it; this
    // bounds the whole head as parsed: the request line and every field with its delimiters.
    if (const auto bytes = head_bytes(req); bytes > state_->options.max_header_bytes) {
        return make_response(431,
                             "request head of " + std::to_string(bytes) + " bytes exceeds " +
                                 std::to_string(state_->options.max_header_bytes) + " bytes\n",
                             kText);
    }
    const std::string_view path = path_of(view(req.target()));
    const auto refuse_method = [&](std::string_view allow) {
        auto res = make_response(405, "method not allowed\n", kText);
        res.set(http::field::allow, bview(allow));
        return res;
    };
    const auto unauthorized = [&] {
        auto res = make_response(401, "missing or wrong bearer token\n", kText);
        res.set(http::field::www_authenticate, "Bearer realm=\"mfd-rpc\"");
        return res;
    };
    // RFC 9112 6.3: a request whose last transfer coding is not chunked has no knowable length.
    if (const auto coding = view(req[http::field::transfer_encoding]);
        !coding.empty() && !req.chunked()) {
        return make_response(400,
                             "unsupported Transfer-Encoding \"" + std::string(coding) +
                                 "\": only chunked is accepted\n",
                             kText);
    }
    if (path == "/health") {
        path_label_ = "/health";
        route_ = Route::kHealth;
        if (req.method() != http::verb::get) return refuse_method("GET");
        return std::nullopt;
    }
    if (path == "/metrics") {
        path_label_ = "/metrics";
        route_ = Route::kMetrics;
        if (req.method() != http::verb::get) return refuse_method("GET");
        if (!state_->auth.allows(view(req[http::field::authorization]))) return unauthorized();
        return std::nullopt;
    }
    if (path == "/") {
        path_label_ = "/";
        route_ = Route::kRpc;
        if (req.method() != http::verb::post) return refuse_method("POST");
        if (!state_->auth.allows(view(req[http::field::authorization]))) return unauthorized();
        const auto type = view(req[http::field::content_type]);
        if (!type.empty() && !is_json_type(type)) {
            return make_response(415, "Content-Type must be application/json\n", kText);
        }
        return std::nullopt;
    }
    path_label_ = "other";
    return make_response(404, "not found\n", kText);
}

void HttpSession::serve() {
    switch (route_) {
    case Route::kHealth:
        return send(make_response(200, "{\"status\":\"ok\"}", kJson), false);
    case Route::kMetrics:
        return send(make_response(200, state_->registry.render(), kPrometheus), false);
    case Route::kRpc:
        return dispatch_rpc();
    }
}

void HttpSession::dispatch_rpc() {
    phase_ = Phase::kHandling;
    const std::uint64_t seq = ++request_seq_;
    const auto deadline = Clock::now() + state_->options.request_timeout;
    std::string body = std::move(parser_->get().body());
    if (!state_->workers) return on_dispatched(seq, state_->dispatcher.handle(body, deadline));
    handler_timer_.expires_at(deadline + kHardLimitGrace);
    handler_timer_.async_wait([self = shared_from_this(), seq](beast::error_code ec) {
        if (!ec) self->on_handler_timeout(seq);
    });
    net::post(*state_->workers, [self = shared_from_this(), seq, deadline,
                                 body = std::move(body)]() mutable {
        auto out = self->state_->dispatcher.handle(body, deadline);
        net::post(self->stream_.get_executor(), [self, seq, out = std::move(out)]() mutable {
            self->on_dispatched(seq, std::move(out));
        });
    });
}

void HttpSession::on_dispatched(std::uint64_t seq, std::optional<std::string> body) {
    if (seq != request_seq_ || phase_ != Phase::kHandling) return;  // answered by the timer
    handler_timer_.cancel();
    state_->meters.rpc_duration->observe(
        std::chrono::duration<double>(Clock::now() - request_start_).count());
    if (!body) return send(make_response(204, {}, {}), false);
    send(make_response(200, std::move(*body), kJson), false);
}

void HttpSession::on_handler_timeout(std::uint64_t seq) {
    if (seq != request_seq_ || phase_ != Phase::kHandling) return;
    state_->meters.count_timeout("handler");
    spdlog::warn("rpc: a request ran past its {} ms budget; answering 503",
                 state_->options.request_timeout.count());
    send(make_response(503, timeout_body(), kJson), false);
}

void HttpSession::send(Response&& response, bool close) {
    const bool keep =
        !close && !stop_requested_ && !state_->stopping && parser_ && parser_->get().keep_alive();
    response.keep_alive(keep);
    response.prepare_payload();
    state_->meters.count_response(path_label_, response.result_int());
    phase_ = Phase::kWriting;
    response_ = std::make_shared<Response>(std::move(response));
    stream_.expires_after(state_->options.write_timeout);
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), keep](beast::error_code ec, std::size_t) {
                          self->on_write(ec, !keep);
                      });
}

void HttpSession::on_write(beast::error_code ec, bool close) {
    const bool large = response_ && response_->body().size() >= kTrimAfterBytes;
    response_.reset();
    // glibc keeps freed memory in its arenas; after a large answer (and the documents built for
    // it) give it back, so the server's size returns to its baseline after a burst.
    if (large) ::malloc_trim(0);
    if (ec) {
        if (ec == beast::error::timeout) state_->meters.count_timeout("write");
        return close_now();
    }
    if (close) return linger();
    wait_for_request();
}

void HttpSession::linger() {
    // Closing with unread input makes the kernel send RST, which can destroy the response in
    // flight; so stop sending, read and drop what the client still sends, then close.
    phase_ = Phase::kClosing;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close_now();
    linger_scratch_.resize(kLingerChunk);
    stream_.expires_after(kLingerTime);
    stream_.async_read_some(net::buffer(linger_scratch_),
                            beast::bind_front_handler(&HttpSession::on_linger, shared_from_this()));
}

void HttpSession::on_linger(beast::error_code ec, std::size_t n) {
    lingered_bytes_ += n;
    if (ec || lingered_bytes_ > kLingerBytes) return close_now();
    stream_.async_read_some(net::buffer(linger_scratch_),
                            beast::bind_front_handler(&HttpSession::on_linger, shared_from_this()));
}

void HttpSession::close_now() {
    if (closed_) return;
    closed_ = true;
    phase_ = Phase::kClosing;
    handler_timer_.cancel();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
}

HttpSession::Response HttpSession::make_response(unsigned status, std::string body,
                                                 std::string_view content_type) const {
    Response res{static_cast<http::status>(status), parser_ ? parser_->get().version() : 11};
    if (!content_type.empty()) res.set(http::field::content_type, bview(content_type));
    res.body() = std::move(body);
    return res;
}

}  // namespace mfd::rpc
