// The server's bounds and its behaviour with hostile or broken clients: oversized bodies and
// heads, deep JSON, long batches, the connection cap, slow clients, half-closed and reset
// connections, handlers that overrun their time.

#include <gtest/gtest.h>

#include <thread>

#include "tests/rpc/prometheus_text.hpp"
#include "tests/rpc/server_fixture.hpp"

namespace mfd::rpc {
namespace {

using json = nlohmann::json;
using test::ServerFixture;
using namespace std::chrono_literals;

constexpr const char* kSum = R"({"jsonrpc":"2.0","method":"sum","params":[1,2,3],"id":7})";

class ServerLimitsTest : public ServerFixture {
protected:
    double metric(std::string_view name, const std::map<std::string, std::string>& labels = {}) {
        return test::parse_prometheus(registry_.render()).value(name, labels);
    }
    /// The metric once it reaches `at_least`, waiting up to 5 s: the server counts a timeout
    /// just after the socket closes, so a client may see the close first.
    double metric_reaching(std::string_view name, const std::map<std::string, std::string>& labels,
                           double at_least) {
        double v = metric(name, labels);
        for (int i = 0; i < 500 && !(v >= at_least); ++i) {
            std::this_thread::sleep_for(10ms);
            v = metric(name, labels);
        }
        return v;
    }
};

TEST_F(ServerLimitsTest, OversizedBodyGets413) {
    auto options = test_options();
    options.max_body_bytes = 1024;
    start(options);
    auto client = connect();
    const std::string body = R"({"jsonrpc":"2.0","method":"echo","params":[")" +
                             std::string(300 * 1024, 'x') + R"("],"id":1})";
    auto r = client->post(body);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->result_int(), 413u);
    EXPECT_FALSE(r->keep_alive());
    // Chunked bodies are bounded while they arrive.
    auto chunked = connect();
    std::string raw =
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 4; ++i) raw += "200\r\n" + std::string(512, ' ') + "\r\n";
    raw += "0\r\n\r\n";
    ASSERT_TRUE(chunked->write_raw(raw));
    r = chunked->read_response();
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->result_int(), 413u);
    // A body at the limit passes.
    auto fits = connect();
    r = fits->post(R"({"jsonrpc":"2.0","method":"sum","params":[1],"id":1})" +
                   std::string(900, ' '));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200u);
}

TEST_F(ServerLimitsTest, OversizedHeadGets431) {
    start();
    auto client = connect();
    auto r = client->request(
        boost::beast::http::verb::post, "/", kSum,
        {{"Content-Type", "application/json"}, {"X-Padding", std::string(16 * 1024, 'p')}});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->result_int(), 431u);
}

// Issue 11: three 4,000-byte headers (a 12 KB head) got 200 while two of 4,500 got 431; the
// limit now holds for the whole head however its fields are split.
TEST_F(ServerLimitsTest, TheHeadLimitHoldsForTheWholeHead) {
    start();
    const auto post_with = [&](int headers, std::size_t bytes) {
        auto client = connect();
        std::map<std::string, std::string> fields = {{"Content-Type", "application/json"}};
        for (int i = 0; i < headers; ++i) {
            fields["X-Padding-" + std::to_string(i)] = std::string(bytes, 'p');
        }
        auto r = client->request(boost::beast::http::verb::post, "/", kSum, fields);
        return r ? static_cast<int>(r->result_int()) : -1;
    };
    EXPECT_EQ(post_with(3, 4000), 431);
    EXPECT_EQ(post_with(2, 4500), 431);
    EXPECT_EQ(post_with(8, 1100), 431);
    EXPECT_EQ(post_with(1, 7000), 200);
    EXPECT_EQ(post_with(4, 1500), 200);
}

TEST_F(ServerLimitsTest, MalformedHttpGets400AndAClose) {
    start();
    auto client = connect();
    ASSERT_TRUE(client->write_raw("POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n"));
    auto r = client->read_response();
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->result_int(), 400u);
    EXPECT_TRUE(client->wait_closed(5s));
}

// Issue 11: this got 200 with -32700 (the body read as empty); the length is unknowable.
TEST_F(ServerLimitsTest, ATransferCodingOtherThanChunkedGets400AndAClose) {
    start();
    auto client = connect();
    ASSERT_TRUE(
        client->write_raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          "Transfer-Encoding: gzip\r\n\r\n" +
                          std::string(kSum)));
    auto r = client->read_response();
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->result_int(), 400u);
    EXPECT_NE(r->body().find("Transfer-Encoding"), std::string::npos) << r->body();
    EXPECT_TRUE(client->wait_closed(5s));
}

TEST_F(ServerLimitsTest, DeepJsonAndLongBatchesAreInvalidRequests) {
    start();
    auto client = connect();
    auto r = client->post(std::string(100'000, '['));
    ASSERT_TRUE(r);
    EXPECT_EQ(json::parse(r->body())["error"]["code"], -32600);
    json batch = json::array();
    for (int i = 0; i < 101; ++i) batch.push_back(json::parse(kSum));
    r = client->post(batch.dump());
    ASSERT_TRUE(r);
    const json answer = json::parse(r->body());
    EXPECT_TRUE(answer.is_object());
    EXPECT_EQ(answer["error"]["code"], -32600);
}

TEST_F(ServerLimitsTest, ConnectionsBeyondTheCapAreRefused) {
    auto options = test_options();
    options.max_connections = 2;
    start(options);
    auto first = connect();
    auto second = connect();
    ASSERT_TRUE(first->post(kSum));  // both admitted and served
    ASSERT_TRUE(second->post(kSum));
    auto third = connect();
    ASSERT_TRUE(third->connected());  // the kernel accepts; the server answers 503 and closes
    auto r = third->read_response();
    if (r) {
        EXPECT_EQ(r->result_int(), 503u);
    }
    EXPECT_TRUE(third->wait_closed(5s));
    EXPECT_EQ(metric_reaching("rpc_http_connections_rejected_total", {}, 1), 1);
    // The admitted connections still work, and a slot frees up when one leaves.
    ASSERT_TRUE(first->post(kSum));
    second.reset();
    bool served = false;
    for (int attempt = 0; attempt < 200 && !served; ++attempt) {
        auto next = connect();
        auto answer = next->post(kSum);
        served = answer && answer->result_int() == 200;
        if (!served) std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(served);
}

TEST_F(ServerLimitsTest, SlowClientIsCutOffWhileOthersAreServed) {
    auto options = test_options();
    options.read_timeout = 500ms;
    start(options);
    auto slow = connect();
    ASSERT_TRUE(slow->write_raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Le"));  // half a head
    auto trickle = connect();
    std::thread trickler([&] {
        // One byte every 50 ms: alive, but never finishing within the read timeout.
        const std::string head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n";
        for (char c : head) {
            if (!trickle->write_raw(std::string(1, c))) return;
            std::this_thread::sleep_for(50ms);
        }
    });
    auto normal = connect();
    for (int i = 0; i < 5; ++i) {
        auto r = normal->post(kSum);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->result_int(), 200u);
    }
    EXPECT_TRUE(slow->wait_closed(10s));
    trickler.join();
    EXPECT_TRUE(trickle->wait_closed(10s));
    EXPECT_GE(metric_reaching("rpc_http_timeouts_total", {{"phase", "read"}}, 2), 2);
    EXPECT_TRUE(normal->post(kSum));
}

TEST_F(ServerLimitsTest, IdleKeepAliveConnectionsAreClosed) {
    auto options = test_options();
    options.idle_timeout = 200ms;
    start(options);
    auto client = connect();
    ASSERT_TRUE(client->post(kSum));
    EXPECT_TRUE(client->wait_closed(10s));
    EXPECT_EQ(metric_reaching("rpc_http_timeouts_total", {{"phase", "idle"}}, 1), 1);
}

TEST_F(ServerLimitsTest, HalfClosedClientStillGetsItsAnswer) {
    start();
    auto client = connect();
    const std::string body = kSum;
    ASSERT_TRUE(
        client->write_raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          "Content-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body));
    client->shutdown_send();
    auto r = client->read_response();
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(json::parse(r->body())["result"], 6);
    EXPECT_TRUE(client->wait_closed(5s));
    // A client that half-closes in the middle of a request is dropped without an answer.
    auto partial = connect();
    ASSERT_TRUE(partial->write_raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{"));
    partial->shutdown_send();
    EXPECT_TRUE(partial->wait_closed(5s));
    EXPECT_TRUE(connect()->post(kSum));
}

TEST_F(ServerLimitsTest, ResetConnectionsLeaveTheServerServing) {
    start();
    auto midway = connect();
    ASSERT_TRUE(midway->write_raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{"));
    midway->reset();
    auto before_answer = connect();
    const std::string body = R"({"jsonrpc":"2.0","method":"sleep","params":[100],"id":1})";
    ASSERT_TRUE(before_answer->write_raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                         std::to_string(body.size()) + "\r\n\r\n" + body));
    while (log_.slow_started == 0) std::this_thread::sleep_for(2ms);
    before_answer->reset();
    while (log_.slow_finished == 0) std::this_thread::sleep_for(2ms);
    auto client = connect();
    auto r = client->post(kSum);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200u);
}

TEST_F(ServerLimitsTest, HandlerPastItsTimeGets503WhileOthersAreServed) {
    auto options = test_options();
    options.request_timeout = 200ms;
    start(options);
    auto client = connect();
    std::optional<core::Result<test::Response>> stuck;
    std::thread caller([&] {
        stuck = client->post(R"({"jsonrpc":"2.0","method":"sleep","params":[1500],"id":1})");
    });
    while (log_.slow_started == 0) std::this_thread::sleep_for(2ms);
    auto other = connect();
    auto health = other->get("/health");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->result_int(), 200u);
    caller.join();
    ASSERT_TRUE(stuck && *stuck) << (stuck ? stuck->error().message : "no result");
    EXPECT_EQ((*stuck)->result_int(), 503u);
    EXPECT_EQ(json::parse((*stuck)->body())["error"]["code"], -32010);
    EXPECT_EQ(log_.slow_finished, 0);  // answered before the handler ended
    EXPECT_EQ(metric("rpc_http_timeouts_total", {{"phase", "handler"}}), 1);
    // The connection stays usable; the late result is dropped.
    auto r = client->post(kSum);
    ASSERT_TRUE(r);
    EXPECT_EQ(json::parse(r->body())["result"], 6);
}

TEST_F(ServerLimitsTest, InlineHandlersServeWithoutWorkerThreads) {
    auto options = test_options();
    options.worker_threads = 0;
    start(options);
    auto client = connect();
    auto r = client->post(kSum);
    ASSERT_TRUE(r);
    EXPECT_EQ(json::parse(r->body())["result"], 6);
}

}  // namespace
}  // namespace mfd::rpc
