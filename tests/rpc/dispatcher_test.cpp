#include "plugin/rpc/dispatcher.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "tests/rpc/response_matchers.hpp"
#include "tests/rpc/test_methods.hpp"

namespace mfd::rpc {
namespace {

using json = nlohmann::json;

class DispatcherTest : public ::testing::Test {
protected:
    DispatcherTest() { test::register_test_methods(dispatcher_, log_); }

    /// handle() parsed; a JSON null when nothing came back.
    json call(std::string_view body) {
        const auto out = dispatcher_.handle(body);
        if (!out) return nullptr;
        auto parsed = json::parse(*out, nullptr, false);
        EXPECT_FALSE(parsed.is_discarded()) << *out;
        return parsed;
    }

    static json error(int code, std::string message, json id = nullptr) {
        return {{"jsonrpc", "2.0"}, {"error", {{"code", code}, {"message", message}}}, {"id", id}};
    }

    test::MethodLog log_;
    Registry registry_;
    Dispatcher dispatcher_{DispatchLimits{}, &registry_};
};

TEST_F(DispatcherTest, EchoesEveryKindOfIdExactly) {
    for (const json& id : {json("abc"), json(""), json(0), json(-7), json(1.5),
                           json(18446744073709551615ULL), json(nullptr)}) {
        const json request = {
            {"jsonrpc", "2.0"}, {"method", "sum"}, {"params", {1, 2}}, {"id", id}};
        const json r = call(request.dump());
        EXPECT_EQ(r, (json{{"jsonrpc", "2.0"}, {"result", 3}, {"id", id}})) << id;
    }
}

// Issue 11: 123456789012345678901234567890 came back as 1.2345678901234568e+29 and -0 as 0.
// The id is echoed as written, in single calls, batches and errors.
TEST_F(DispatcherTest, EchoesNumericIdsAsWritten) {
    // The id's text, whole: followed by the end of the object or the next member.
    const auto holds_id = [](const std::string& text, const std::string& id) {
        const auto at = text.find("\"id\":" + id);
        if (at == std::string::npos) return false;
        const char next = text[at + 5 + id.size()];
        return next == '}' || next == ',';
    };
    for (const std::string id :
         {"-0", "123456789012345678901234567890", "1e3", "1.50", "-0.0", "2E-7", "-12"}) {
        const auto ok =
            dispatcher_.handle(R"({"jsonrpc":"2.0","method":"sum","params":[1],"id":)" + id + "}");
        ASSERT_TRUE(ok);
        EXPECT_TRUE(holds_id(*ok, id)) << *ok;
        EXPECT_EQ(json::parse(*ok)["result"], 1) << *ok;
        const auto unknown =
            dispatcher_.handle(R"([{"jsonrpc":"2.0","method":"nope","id":)" + id +
                               R"(},{"jsonrpc":"2.0","method":"sum","params":[2],"id":7}])");
        ASSERT_TRUE(unknown);
        EXPECT_TRUE(holds_id(*unknown, id)) << *unknown;
        EXPECT_EQ(json::parse(*unknown)[0]["error"]["code"], -32601) << *unknown;
        EXPECT_EQ(json::parse(*unknown)[1]["id"], 7) << *unknown;
    }
}

TEST_F(DispatcherTest, IdOfAnInvalidTypeIsAnInvalidRequestWithNullId) {
    for (const json& id : {json::object(), json::array({1}), json(true)}) {
        const json request = {{"jsonrpc", "2.0"}, {"method", "sum"}, {"params", {1}}, {"id", id}};
        EXPECT_EQ(call(request.dump()), error(-32600, "Invalid Request")) << id;
    }
}

TEST_F(DispatcherTest, RequestObjectRulesAreEnforced) {
    for (const char* body :
         {R"({"method":"sum","params":[1],"id":1})",                  // no jsonrpc
          R"({"jsonrpc":"1.0","method":"sum","params":[1],"id":1})",  // wrong version
          R"({"jsonrpc":2.0,"method":"sum","params":[1],"id":1})",    // version not a string
          R"({"jsonrpc":"2.0","params":[1],"id":1})",                 // no method
          R"({"jsonrpc":"2.0","method":null,"id":1})",                // method not a string
          R"({"jsonrpc":"2.0","method":"sum","params":5,"id":1})",    // params not structured
          R"({"jsonrpc":"2.0","method":"sum","params":"x","id":1})",
          R"({"jsonrpc":"2.0","method":"sum","params":null,"id":1})", R"("just a string")", R"(42)",
          R"(null)"}) {
        const json r = call(body);
        ASSERT_TRUE(r.is_object()) << body;
        EXPECT_EQ(r["error"]["code"], -32600) << body;
        EXPECT_EQ(r["error"]["message"], "Invalid Request") << body;
    }
    // A usable id is echoed even when the rest of the request is invalid.
    EXPECT_EQ(call(R"({"jsonrpc":"1.0","method":"sum","id":9})")["id"], 9);
}

TEST_F(DispatcherTest, ExtraMembersAreIgnored) {
    EXPECT_EQ(
        call(R"({"jsonrpc":"2.0","method":"sum","params":[2],"id":1,"extra":true})")["result"], 2);
}

TEST_F(DispatcherTest, MalformedJsonIsAParseError) {
    for (std::string body : {std::string(""), std::string("   "), std::string("{"),
                             std::string("{}x"), std::string("[1,]"), std::string("\"\xff\""),
                             std::string("{\"a\":1}\0", 8), std::string("nul")}) {
        EXPECT_EQ(call(body), error(-32700, "Parse error"))
            << json(body).dump(-1, ' ', true, json::error_handler_t::replace);
    }
}

TEST_F(DispatcherTest, NotificationsRunButGetNoResponse) {
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","method":"update","params":[1]})"), json(nullptr));
    EXPECT_EQ(log_.notifications, 1);
    // Not even for unknown methods, failing handlers or invalid params.
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","method":"nope"})"), json(nullptr));
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","method":"throw_std"})"), json(nullptr));
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","method":"subtract","params":["a"]})"), json(nullptr));
}

TEST_F(DispatcherTest, NullIdIsARequestNotANotification) {
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","method":"update","id":null})"),
              (json{{"jsonrpc", "2.0"}, {"result", nullptr}, {"id", nullptr}}));
}

TEST_F(DispatcherTest, BatchAnswersEachCallAndSkipsNotifications) {
    const json r = call(R"([
        {"jsonrpc":"2.0","method":"sum","params":[1,2],"id":"a"},
        {"jsonrpc":"2.0","method":"update","params":[]},
        {"jsonrpc":"2.0","method":"missing","id":"b"},
        5,
        [],
        {"jsonrpc":"2.0","method":"subtract","params":{"minuend":5,"subtrahend":8},"id":"c"}])");
    const json expected = {
        {{"jsonrpc", "2.0"}, {"result", 3}, {"id", "a"}},
        error(-32601, "Method not found", "b"),
        error(-32600, "Invalid Request"),
        error(-32600, "Invalid Request"),
        {{"jsonrpc", "2.0"}, {"result", -3}, {"id", "c"}},
    };
    EXPECT_EQ(test::canonical(r), test::canonical(expected));
    EXPECT_EQ(log_.notifications, 1);
}

TEST_F(DispatcherTest, BatchOfOnlyNotificationsReturnsNothing) {
    EXPECT_FALSE(dispatcher_.handle(R"([{"jsonrpc":"2.0","method":"update"},
                                        {"jsonrpc":"2.0","method":"unknown"}])"));
    EXPECT_EQ(log_.notifications, 1);
}

TEST_F(DispatcherTest, EmptyBatchIsOneInvalidRequest) {
    EXPECT_EQ(call("[]"), error(-32600, "Invalid Request"));
    EXPECT_EQ(call(" [ ] "), error(-32600, "Invalid Request"));
}

TEST_F(DispatcherTest, BatchLengthIsBounded) {
    const json one = {{"jsonrpc", "2.0"}, {"method", "sum"}, {"params", {1}}, {"id", 1}};
    json batch = json::array();
    for (int i = 0; i < 100; ++i) batch.push_back(one);
    const json full = call(batch.dump());
    ASSERT_TRUE(full.is_array());
    EXPECT_EQ(full.size(), 100u);
    batch.push_back(one);
    const json over = call(batch.dump());
    ASSERT_TRUE(over.is_object());
    EXPECT_EQ(over["error"]["code"], -32600);
    EXPECT_NE(over["error"]["data"].get<std::string>().find("limit of 100"), std::string::npos);
    EXPECT_EQ(over["id"], nullptr);
}

TEST_F(DispatcherTest, BodySizeIsBounded) {
    Dispatcher small(DispatchLimits{.max_body_bytes = 64});
    test::register_test_methods(small, log_);
    const std::string body =
        R"({"jsonrpc":"2.0","method":"echo","params":[")" + std::string(100, 'x') + R"("],"id":1})";
    const auto out = small.handle(body);
    ASSERT_TRUE(out);
    const json r = json::parse(*out);
    EXPECT_EQ(r["error"]["code"], -32600);
    EXPECT_NE(r["error"]["data"].get<std::string>().find("exceeds the limit of 64"),
              std::string::npos);
}

// Issue 11: a 9 KB batch of 100 full blocks made a 63 MB answer. The answer now stops at the
// budget: the call that would cross it and every later one get -32005 with their own ids.
TEST_F(DispatcherTest, AnswersAreBoundedPerCallAndPerBatch) {
    Dispatcher small(DispatchLimits{.max_response_bytes = 1000});
    test::register_test_methods(small, log_);
    const auto echo = [](int id, std::size_t bytes) {
        return json{{"jsonrpc", "2.0"},
                    {"method", "echo"},
                    {"params", {std::string(bytes, 'x')}},
                    {"id", id}};
    };
    const json single = json::parse(*small.handle(echo(9, 2000).dump()));
    EXPECT_EQ(single["error"]["code"], -32005);
    EXPECT_EQ(single["error"]["message"], "response too large");
    EXPECT_EQ(single["error"]["data"]["limit"], 1000);
    EXPECT_EQ(single["id"], 9);
    EXPECT_EQ(
        json::parse(*small.handle(echo(1, 500).dump()))["result"][0].get<std::string>().size(),
        500U);

    json batch = json::array({echo(1, 600), echo(2, 600), echo(3, 10), echo(4, 10)});
    batch.push_back({{"jsonrpc", "2.0"}, {"method", "notify_hello"}, {"params", {7}}});
    const auto text = small.handle(batch.dump());
    ASSERT_TRUE(text);
    EXPECT_LT(text->size(), 1000U + 3 * 200);  // the budget, and the small errors after it
    const json answers = json::parse(*text);
    ASSERT_EQ(answers.size(), 4U) << answers;  // the notification gets no answer
    EXPECT_TRUE(answers[0].contains("result"));
    for (int i = 1; i < 4; ++i) {
        EXPECT_EQ(answers[i]["error"]["code"], -32005) << answers[i];
        EXPECT_EQ(answers[i]["id"], i + 1);
    }
}

TEST_F(DispatcherTest, NestingIsBoundedWhileParsing) {
    const auto nested = [](std::size_t depth) {
        // The request object is level 1 and params level 2; the rest are nested arrays.
        return R"({"jsonrpc":"2.0","method":"echo","id":1,"params":)" +
               std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
    };
    EXPECT_TRUE(call(nested(32)).contains("result"));
    const json r = call(nested(33));
    EXPECT_EQ(r["error"]["code"], -32600);
    EXPECT_NE(r["error"]["data"].get<std::string>().find("deeper than 32"), std::string::npos);
    // A million open brackets: refused at level 33, no stack exhaustion, no parse of the rest.
    EXPECT_EQ(call(std::string(1'000'000, '['))["error"]["code"], -32600);
    EXPECT_EQ(call(std::string(500'000, '{'))["error"]["code"], -32700);  // "{{" is a syntax error
}

TEST_F(DispatcherTest, HandlerErrorsBecomeErrorObjects) {
    json r = call(R"({"jsonrpc":"2.0","method":"fail_params","id":1})");
    EXPECT_EQ(r["error"], (json{{"code", -32602},
                                {"message", "param 0 (data): odd number of digits"},
                                {"data", {{"reason", "BAD_HEX"}}}}));
    r = call(R"({"jsonrpc":"2.0","method":"throw_rpc","id":2})");
    EXPECT_EQ(r["error"],
              (json{{"code", 7}, {"message", "custom failure"}, {"data", {{"detail", 1}}}}));
    for (const char* method : {"throw_std", "throw_int"}) {
        r = call(json{{"jsonrpc", "2.0"}, {"method", method}, {"id", 3}}.dump());
        EXPECT_EQ(r, error(-32603, "Internal error", 3)) << method;  // no detail leaks out
    }
}

TEST_F(DispatcherTest, InvalidParamsNameTheParameter) {
    json r = call(R"({"jsonrpc":"2.0","method":"subtract","params":[1,"x"],"id":1})");
    EXPECT_EQ(r["error"]["code"], -32602);
    EXPECT_NE(r["error"]["message"].get<std::string>().find("param 1 (subtrahend)"),
              std::string::npos);
    r = call(R"({"jsonrpc":"2.0","method":"subtract","params":[1],"id":1})");
    EXPECT_EQ(r["error"]["message"], "missing param 1 (subtrahend)");
    r = call(R"({"jsonrpc":"2.0","method":"subtract","params":[1,2,3],"id":1})");
    EXPECT_EQ(r["error"]["code"], -32602);
    r = call(R"({"jsonrpc":"2.0","method":"subtract","params":{"minuend":1,"x":2},"id":1})");
    EXPECT_EQ(r["error"]["message"], "unknown param \"x\"");
}

TEST_F(DispatcherTest, PastDeadlineCallsGetTimeoutErrors) {
    const auto past = Clock::now() - std::chrono::seconds(1);
    const auto out = dispatcher_.handle(R"([{"jsonrpc":"2.0","method":"sum","params":[1],"id":1},
                                            {"jsonrpc":"2.0","method":"update"}])",
                                        past);
    ASSERT_TRUE(out);
    EXPECT_EQ(json::parse(*out), json::array({error(-32010, "Request timed out", 1)}));
    EXPECT_EQ(log_.notifications, 0);
}

TEST_F(DispatcherTest, LaterBatchEntriesAreRefusedOnceTheBudgetIsSpent) {
    // until_deadline returns only once the deadline has passed, so what follows must be refused.
    const auto out = dispatcher_.handle(R"([{"jsonrpc":"2.0","method":"until_deadline","id":1},
                                            {"jsonrpc":"2.0","method":"sum","params":[1],"id":2}])",
                                        Clock::now() + std::chrono::milliseconds(50));
    ASSERT_TRUE(out);
    EXPECT_EQ(test::canonical(json::parse(*out)),
              test::canonical(json::array(
                  {error(-32010, "Request timed out", 1), error(-32010, "Request timed out", 2)})));
}

TEST_F(DispatcherTest, RegistrationRejectsBadNames) {
    const Handler h = [](const json&, const CallContext&) -> MethodResult { return 1; };
    EXPECT_FALSE(dispatcher_.add("", h));
    EXPECT_FALSE(dispatcher_.add("rpc.discover", h));
    EXPECT_FALSE(dispatcher_.add("sum", h));
    EXPECT_FALSE(dispatcher_.add("fresh", Handler{}));
    EXPECT_TRUE(dispatcher_.add("fresh", h));
    EXPECT_TRUE(dispatcher_.has("fresh"));
    EXPECT_FALSE(dispatcher_.has("rpc.discover"));
}

TEST_F(DispatcherTest, ConcurrentCallsAndRegistrationsAreSafe) {
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                if (call(R"({"jsonrpc":"2.0","method":"sum","params":[1,2],"id":1})")["result"] ==
                    3) {
                    ++ok;
                }
                if (i % 50 == 0) {
                    (void)dispatcher_.add(
                        "m" + std::to_string(t) + "_" + std::to_string(i),
                        [](const json&, const CallContext&) -> MethodResult { return 0; });
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(ok, 800);
}

TEST_F(DispatcherTest, CountsCallsInTheRegistry) {
    (void)call(R"({"jsonrpc":"2.0","method":"sum","params":[1],"id":1})");
    (void)call(R"({"jsonrpc":"2.0","method":"sum","params":["x"],"id":1})");
    (void)call(R"({"jsonrpc":"2.0","method":"nope","id":1})");
    (void)call("{");
    const std::string text = registry_.render();
    EXPECT_NE(text.find("rpc_calls_total{method=\"sum\",outcome=\"ok\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("rpc_calls_total{method=\"sum\",outcome=\"error\"} 1\n"),
              std::string::npos);
    EXPECT_NE(text.find("rpc_refused_total{code=\"-32601\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("rpc_refused_total{code=\"-32700\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("rpc_call_duration_seconds_count{method=\"sum\"} 2\n"), std::string::npos);
}

}  // namespace
}  // namespace mfd::rpc
