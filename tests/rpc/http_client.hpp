#pragma once
/// A small HTTP/1.1 client on Boost.Beast for the server tests: one keep-alive connection,
/// every operation bounded by a timeout so that a misbehaving server fails a test instead of
/// hanging it. Not thread-safe: one client per thread.

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mfd::rpc::test {

using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Headers = std::map<std::string, std::string>;

class HttpClient {
public:
    /// Connects to 127.0.0.1:`port`; connected() tells whether that worked.
    explicit HttpClient(std::uint16_t port,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));

    [[nodiscard]] bool connected() const noexcept { return connected_; }

    /// Sends one request and reads its response. Fails with kIo (message: the socket error).
    [[nodiscard]] core::Result<Response> request(boost::beast::http::verb verb,
                                                 std::string_view target, std::string body = {},
                                                 const Headers& headers = {});
    /// POST / with a JSON body (and a bearer token when not empty).
    [[nodiscard]] core::Result<Response> post(std::string body, std::string_view token = {});
    /// GET `target`.
    [[nodiscard]] core::Result<Response> get(std::string_view target, std::string_view token = {});

    /// Writes raw bytes.
    [[nodiscard]] core::Result<void> write_raw(std::string_view bytes);
    /// Reads one response.
    [[nodiscard]] core::Result<Response> read_response();
    /// Half-closes: no more bytes from this side.
    void shutdown_send();
    /// Aborts the connection with a TCP reset (SO_LINGER 0, then close).
    void reset();
    /// True when the server closes (EOF or reset) within `within`, reading and dropping data.
    [[nodiscard]] bool wait_closed(std::chrono::milliseconds within);

private:
    template <class Op>
    boost::beast::error_code run(Op&& op, std::chrono::milliseconds timeout);

    boost::asio::io_context ioc_;
    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::chrono::milliseconds timeout_;
    bool connected_ = false;
};

}  // namespace mfd::rpc::test
