// The HTTP server's routes, keep-alive, auth and metrics, over real loopback sockets.

#include <gtest/gtest.h>

#include <cstdio>
#include <thread>

#include "tests/rpc/prometheus_text.hpp"
#include "tests/rpc/server_fixture.hpp"

namespace mfd::rpc {
namespace {

using json = nlohmann::json;
using test::ServerFixture;
namespace http = boost::beast::http;

constexpr const char* kSum = R"({"jsonrpc":"2.0","method":"sum","params":[1,2,3],"id":7})";

class ServerTest : public ServerFixture {};

TEST_F(ServerTest, AnswersPostsOnOneKeepAliveConnection) {
    start();
    auto client = connect();
    ASSERT_TRUE(client->connected());
    for (int i = 0; i < 3; ++i) {
        auto r = client->post(kSum);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_EQ(r->result_int(), 200u);
        EXPECT_EQ((*r)[http::field::content_type], "application/json");
        EXPECT_TRUE(r->keep_alive());
        EXPECT_EQ(json::parse(r->body()), (json{{"jsonrpc", "2.0"}, {"result", 6}, {"id", 7}}));
    }
}

TEST_F(ServerTest, NotificationGets204AndTheConnectionStaysOpen) {
    start();
    auto client = connect();
    auto r = client->post(R"({"jsonrpc":"2.0","method":"update","params":[1]})");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 204u);
    EXPECT_TRUE(r->body().empty());
    EXPECT_TRUE(client->post(kSum));
    EXPECT_EQ(log_.notifications, 1);
}

TEST_F(ServerTest, HealthAndUnknownRoutes) {
    start();
    auto client = connect();
    auto r = client->get("/health");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200u);
    EXPECT_EQ(json::parse(r->body()), (json{{"status", "ok"}}));
    r = client->get("/nope");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 404u);
    r = client->get("/");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 405u);
    EXPECT_EQ((*r)[http::field::allow], "POST");
    r = client->request(http::verb::post, "/metrics", "x");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 405u);
}

TEST_F(ServerTest, QueryStringsDoNotChangeTheRoute) {
    start();
    auto client = connect();
    auto r =
        client->request(http::verb::post, "/?x=1", kSum, {{"Content-Type", "application/json"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200u);
}

TEST_F(ServerTest, NonJsonContentTypeIsRefused) {
    start();
    auto client = connect();
    auto r = client->request(http::verb::post, "/", kSum, {{"Content-Type", "text/plain"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 415u);
    auto again = connect();
    r = again->request(http::verb::post, "/", kSum,
                       {{"Content-Type", "Application/JSON; charset=utf-8"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200u);
}

TEST_F(ServerTest, MetricsParseAsPrometheusText) {
    start();
    auto client = connect();
    ASSERT_TRUE(client->post(kSum));
    ASSERT_TRUE(client->post(R"({"jsonrpc":"2.0","method":"nope","id":1})"));
    ASSERT_TRUE(client->post(R"({"jsonrpc":"2.0","method":"update"})"));
    auto r = client->get("/metrics");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200u);
    EXPECT_EQ((*r)[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
    const auto e = test::parse_prometheus(r->body());
    EXPECT_TRUE(e.errors.empty()) << ::testing::PrintToString(e.errors) << "\n" << r->body();
    EXPECT_EQ(e.value("rpc_http_responses_total", {{"path", "/"}, {"status", "200"}}), 2);
    EXPECT_EQ(e.value("rpc_http_responses_total", {{"path", "/"}, {"status", "204"}}), 1);
    EXPECT_EQ(e.value("rpc_calls_total", {{"method", "sum"}, {"outcome", "ok"}}), 1);
    EXPECT_EQ(e.value("rpc_refused_total", {{"code", "-32601"}}), 1);
    EXPECT_EQ(e.value("rpc_http_connections_active"), 1);
    EXPECT_EQ(e.value("rpc_http_request_duration_seconds_count"), 3);
    EXPECT_EQ(e.types.at("rpc_http_request_duration_seconds"), "histogram");
}

TEST_F(ServerTest, BearerTokenGuardsRpcAndMetricsButNotHealth) {
    auto options = test_options();
    options.bearer_token = "s3cret-token";
    start(options);
    auto client = connect();
    auto r = client->post(kSum);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 401u);
    EXPECT_EQ((*r)[http::field::www_authenticate], "Bearer realm=\"mfd-rpc\"");
    for (std::string_view wrong : {"s3cret-tokeN", "s3cret-token2", "s3cret", "x"}) {
        client = connect();
        r = client->post(kSum, wrong);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->result_int(), 401u) << wrong;
    }
    client = connect();
    r = client->request(http::verb::post, "/", kSum,
                        {{"Content-Type", "application/json"}, {"Authorization", "Basic abc"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 401u);
    client = connect();
    r = client->post(kSum, "s3cret-token");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200u);
    r = client->request(
        http::verb::post, "/", kSum,
        {{"Content-Type", "application/json"}, {"Authorization", "bearer s3cret-token"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200u);
    r = client->get("/metrics");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 401u);
    client = connect();
    r = client->get("/metrics", "s3cret-token");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200u);
    r = client->get("/health");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200u);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
    start();
    auto client = connect();
    const auto raw = [](int id) {
        const std::string body = R"({"jsonrpc":"2.0","method":"sum","params":[)" +
                                 std::to_string(id) + R"(],"id":)" + std::to_string(id) + "}";
        return "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n\r\n" + body;
    };
    ASSERT_TRUE(client->write_raw(raw(1) + raw(2) + raw(3)));
    for (int id = 1; id <= 3; ++id) {
        auto r = client->read_response();
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_EQ(json::parse(r->body())["id"], id);
    }
}

TEST_F(ServerTest, Http10ClientsGetTheirAnswerThenAClose) {
    start();
    auto client = connect();
    const std::string body = kSum;
    ASSERT_TRUE(
        client->write_raw("POST / HTTP/1.0\r\nContent-Type: application/json\r\n"
                          "Content-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body));
    auto r = client->read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200u);
    EXPECT_TRUE(client->wait_closed(std::chrono::seconds(5)));
}

TEST_F(ServerTest, ExpectContinueIsHonoured) {
    start();
    auto client = connect();
    const std::string body = kSum;
    ASSERT_TRUE(
        client->write_raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          "Expect: 100-continue\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n"));
    auto interim = client->read_response();
    ASSERT_TRUE(interim) << interim.error().message;
    EXPECT_EQ(interim->result_int(), 100u);
    ASSERT_TRUE(client->write_raw(body));
    auto r = client->read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200u);
    EXPECT_EQ(json::parse(r->body())["result"], 6);
}

/// Runs a command and returns its standard output.
std::string run_command(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
    ::pclose(pipe);
    return out;
}

TEST_F(ServerTest, CurlCanCallTheServer) {
    auto options = test_options();
    options.bearer_token = "tok";
    start(options);
    const std::string url = "http://127.0.0.1:" + std::to_string(server_->port()) + "/";
    const std::string out = run_command(
        "curl -s -w '\\n%{http_code}' -H 'Content-Type: application/json' "
        "-H 'Authorization: Bearer tok' --data-binary "
        "'{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":{\"minuend\":42,\"subtrahend\":"
        "23},"
        "\"id\":\"c\"}' " +
        url);
    const auto newline = out.rfind('\n');
    ASSERT_NE(newline, std::string::npos) << out;
    EXPECT_EQ(out.substr(newline + 1), "200");
    EXPECT_EQ(json::parse(out.substr(0, newline)),
              (json{{"jsonrpc", "2.0"}, {"result", 19}, {"id", "c"}}));
    // A body over curl's 1 KiB threshold makes it send Expect: 100-continue.
    const std::string big = run_command(
        "curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' "
        "-H 'Authorization: Bearer tok' --data-binary '{\"jsonrpc\":\"2.0\",\"method\":\"echo\","
        "\"params\":[\"" +
        std::string(4000, 'a') + "\"],\"id\":1}' " + url);
    EXPECT_EQ(big, "200");
    EXPECT_EQ(run_command("curl -s -o /dev/null -w '%{http_code}' " + url + "metrics"), "401");
}

TEST_F(ServerTest, StartFailuresAreErrors) {
    start();
    auto options = test_options();
    options.port = server_->port();
    Server clash(dispatcher_, options);
    auto r = clash.start();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kIo);
    options.host = "localhost";  // names are not resolved
    options.port = 0;
    Server named(dispatcher_, options);
    r = named.start();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument);
    options.host = "127.0.0.1";
    options.io_threads = 0;
    Server no_threads(dispatcher_, options);
    EXPECT_FALSE(no_threads.start());
    auto again = server_->start();
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::Errc::kUnavailable);
}

TEST_F(ServerTest, BindsToLoopbackByDefault) {
    EXPECT_EQ(ServerOptions{}.host, "127.0.0.1");
}

TEST_F(ServerTest, StopDrainsARequestInProgressThenRefusesConnections) {
    start();
    const auto port = server_->port();
    core::Result<test::Response> slow = core::fail(core::Errc::kInternal, "not run");
    std::thread caller([&] {
        test::HttpClient client(port);
        slow = client.post(R"({"jsonrpc":"2.0","method":"sleep","params":[300],"id":1})");
    });
    while (log_.slow_started == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    server_->stop();
    caller.join();
    ASSERT_TRUE(slow) << slow.error().message;
    EXPECT_EQ(slow->result_int(), 200u);
    EXPECT_EQ(json::parse(slow->body())["result"], "slept");
    EXPECT_FALSE(slow->keep_alive());
    test::HttpClient late(port, std::chrono::seconds(2));
    EXPECT_FALSE(late.connected() && late.post(kSum));
}

}  // namespace
}  // namespace mfd::rpc
