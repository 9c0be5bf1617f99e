#include "tests/rpc/http_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

namespace mfd::rpc::test {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

core::Unexpected io_error(std::string_view what, const beast::error_code& ec) {
    return core::fail(core::Errc::kIo, std::string(what) + ": " + ec.message());
}

beast::string_view bview(std::string_view s) {
    return {s.data(), s.size()};
}

}  // namespace

HttpClient::HttpClient(std::uint16_t port, std::chrono::milliseconds timeout)
    : stream_(ioc_), timeout_(timeout) {
    const net::ip::tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
    const auto ec = run([&](auto done) { stream_.async_connect(endpoint, done); }, timeout_);
    connected_ = !ec;
}

template <class Op>
beast::error_code HttpClient::run(Op&& op, std::chrono::milliseconds timeout) {
    beast::error_code result = net::error::operation_aborted;
    stream_.expires_after(timeout);
    op([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc_.restart();
    ioc_.run();
    return result;
}

core::Result<Response> HttpClient::request(http::verb verb, std::string_view target,
                                           std::string body, const Headers& headers) {
    http::request<http::string_body> req{verb, bview(target), 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) req.set(bview(name), bview(value));
    req.body() = std::move(body);
    req.prepare_payload();
    const auto ec = run([&](auto done) { http::async_write(stream_, req, done); }, timeout_);
    if (ec) return io_error("write", ec);
    return read_response();
}

core::Result<Response> HttpClient::post(std::string body, std::string_view token) {
    Headers headers{{"Content-Type", "application/json"}};
    if (!token.empty()) headers["Authorization"] = "Bearer " + std::string(token);
    return request(http::verb::post, "/", std::move(body), headers);
}

core::Result<Response> HttpClient::get(std::string_view target, std::string_view token) {
    Headers headers;
    if (!token.empty()) headers["Authorization"] = "Bearer " + std::string(token);
    return request(http::verb::get, target, {}, headers);
}

core::Result<void> HttpClient::write_raw(std::string_view bytes) {
    const auto ec = run(
        [&](auto done) {
            net::async_write(stream_, net::buffer(bytes.data(), bytes.size()), done);
        },
        timeout_);
    if (ec) return io_error("write", ec);
    return {};
}

core::Result<Response> HttpClient::read_response() {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    const auto ec =
        run([&](auto done) { http::async_read(stream_, buffer_, parser, done); }, timeout_);
    if (ec) return io_error("read", ec);
    return parser.release();
}

void HttpClient::shutdown_send() {
    beast::error_code ec;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
}

void HttpClient::reset() {
    beast::error_code ec;
    stream_.socket().set_option(net::socket_base::linger(true, 0), ec);
    stream_.socket().close(ec);
}

bool HttpClient::wait_closed(std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    char scratch[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        const auto ec =
            run([&](auto done) { stream_.async_read_some(net::buffer(scratch), done); }, left);
        if (ec == beast::error::timeout) return false;
        if (ec) return true;  // EOF or reset
    }
}

}  // namespace mfd::rpc::test
