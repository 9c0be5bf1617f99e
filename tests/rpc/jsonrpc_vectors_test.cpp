// Every example of the JSON-RPC 2.0 specification (../shared/vectors/jsonrpc.json), through the
// dispatcher and over HTTP. Over HTTP, "response": null means status 204 with an empty body.

#include <gtest/gtest.h>

#include "plugin/rpc/dispatcher.hpp"
#include "plugin/rpc/server.hpp"
#include "tests/rpc/http_client.hpp"
#include "tests/rpc/response_matchers.hpp"
#include "tests/rpc/test_methods.hpp"
#include "tests/support/shared_data.hpp"

namespace mfd::rpc {
namespace {

using json = nlohmann::json;

struct Case {
    std::string name;
    std::string request;
    json response;  // parsed; null when nothing may be sent
};

std::vector<Case> load_cases() {
    const json file = mfd::test::load_shared_json("vectors/jsonrpc.json");
    std::vector<Case> cases;
    for (const auto& c : file.value("cases", json::array())) {
        json response =
            c.at("response").is_null() ? json() : json::parse(c.at("response").get<std::string>());
        cases.push_back({c.at("name"), c.at("request"), std::move(response)});
    }
    return cases;
}

TEST(JsonRpcVectors, FileHasTheSpecExamples) {
    EXPECT_GE(load_cases().size(), 15u);
}

TEST(JsonRpcVectors, DispatcherAnswersEveryExample) {
    test::MethodLog log;
    Dispatcher dispatcher;
    test::register_test_methods(dispatcher, log);
    for (const auto& c : load_cases()) {
        test::expect_response(dispatcher.handle(c.request), c.response, c.name);
    }
    EXPECT_EQ(log.notifications, 4);  // update; notify_hello; notify_sum and notify_hello
}

TEST(JsonRpcVectors, ServerAnswersEveryExampleOverOneKeepAliveConnection) {
    test::MethodLog log;
    Dispatcher dispatcher;
    test::register_test_methods(dispatcher, log);
    ServerOptions options;
    options.port = 0;
    Server server(dispatcher, options);
    ASSERT_TRUE(server.start());
    test::HttpClient client(server.port());
    ASSERT_TRUE(client.connected());
    for (const auto& c : load_cases()) {
        auto r = client.post(c.request);
        ASSERT_TRUE(r) << c.name << ": " << r.error().message;
        if (c.response.is_null()) {
            EXPECT_EQ(r->result_int(), 204u) << c.name;
            EXPECT_TRUE(r->body().empty()) << c.name;
            continue;
        }
        EXPECT_EQ(r->result_int(), 200u) << c.name;
        test::expect_response(r->body(), c.response, c.name);
    }
}

}  // namespace
}  // namespace mfd::rpc
