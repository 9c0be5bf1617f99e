// The plugin's JSON-RPC server over real HTTP on an ephemeral loopback port: every fraud_*
// method, the spec's errors, the bearer token, /metrics, and the same methods through `query`
// and through a host dispatcher that forwards to it.
#include <gtest/gtest.h>

#include "plugin/loader/rpc_forward.hpp"
#include "plugin/rpc/eth_params.hpp"
#include "tests/plugin/plugin_fixture.hpp"
#include "tests/rpc/http_client.hpp"
#include "tests/rpc/prometheus_text.hpp"

namespace mfd::plugin::test {
namespace {

using json = nlohmann::json;

class RpcMethods : public ::testing::Test {
protected:
    void SetUp() override { start(""); }
    void start(const std::string& token) {
        plugin_.reset();
        json config = base_config(dir_.path());
        config["rpc"] = {{"enabled", true}, {"port", 0}, {"token", token}};
        plugin_ = make_instance(config);
        ASSERT_NE(plugin_, nullptr);
        auto endpoint = plugin_->rpc_endpoint();
        ASSERT_TRUE(endpoint);
        ASSERT_EQ(endpoint->rfind("127.0.0.1:", 0), 0U) << *endpoint;
        port_ = static_cast<std::uint16_t>(std::stoi(endpoint->substr(10)));
        client_ = std::make_unique<rpc::test::HttpClient>(port_);
        ASSERT_TRUE(client_->connected());
    }
    /// The whole response object of one call over HTTP.
    json call(const std::string& method, const json& params) {
        const json request = {
            {"jsonrpc", "2.0"}, {"id", 7}, {"method", method}, {"params", params}};
        return post(request.dump());
    }
    json post(const std::string& body) {
        auto r = client_->post(body);
        EXPECT_TRUE(r) << r.error().to_string();
        if (!r) return nullptr;
        EXPECT_EQ(r->result_int(), 200) << r->body();
        return json::parse(r->body(), nullptr, false);
    }
    json result(const std::string& method, const json& params) {
        const json r = call(method, params);
        EXPECT_TRUE(r.contains("result")) << r.dump();
        return r.value("result", json());
    }
    static std::string hex(const core::Bytes& b) { return "0x" + core::to_hex(b, false); }

    TempDir dir_;
    std::unique_ptr<PluginInstance> plugin_;
    std::uint16_t port_ = 0;
    std::unique_ptr<rpc::test::HttpClient> client_;
};

TEST_F(RpcMethods, ScoreRawTransactionExplainsTheScore) {
    const auto raw = transfer("mallory", 0, false);
    const json r = result("fraud_scoreRawTransaction", json::array({hex(raw)}));
    EXPECT_EQ(r["txHash"], hash_of(raw).hex());
    EXPECT_GE(r["score"].get<double>(), 0.5);
    EXPECT_EQ(r["flagged"], true);
    EXPECT_EQ(r["validity"], "valid");
    EXPECT_EQ(r["sender"], rpc::to_checksum_address(address_of("mallory")));
    const json& experts = r["explanation"]["experts"];
    ASSERT_GE(experts.size(), 1U);
    double weights = 0;
    for (const auto& e : experts) weights += e["weight"].get<double>();
    EXPECT_NEAR(weights, 1.0, 1e-3) << "top-2 weights renormalised";
    EXPECT_TRUE(r["explanation"]["anomalies"].is_array());
    const json info = result("fraud_getModelInfo", json::array());
    EXPECT_EQ(r["model"]["version"], info["version"]);
    EXPECT_EQ(r["latencyUs"].get<std::string>().rfind("0x", 0), 0U);
}

TEST_F(RpcMethods, GetScoreReportsLocalScoresAndNullForUnknown) {
    const auto raw = transfer("alice", 0, true);
    ASSERT_TRUE(plugin_->check_tx(raw));
    const json r = result("fraud_getScore", json::array({hash_of(raw).hex()}));
    EXPECT_EQ(r["local"]["flagged"], false);
    EXPECT_EQ(r["local"]["origin"], "check_tx");
    EXPECT_EQ(r["consensus"], nullptr);
    EXPECT_EQ(result("fraud_getScore", {{"txHash", core::Hash{}.hex()}}), nullptr);
}

TEST_F(RpcMethods, AccountRiskFlagsAnAccountWhoseTransactionWasFlagged) {
    ASSERT_TRUE(plugin_->check_tx(transfer("mallory", 0, false)));
    const json m = result("fraud_getAccountRisk", json::array({address_of("mallory").hex()}));
    EXPECT_GE(m["risk"].get<double>(), 0.5);
    EXPECT_EQ(m["flagged"], true);
    EXPECT_EQ(m["local"]["scored"], "0x1");
    const json nobody = result("fraud_getAccountRisk", json::array({address_of("nobody").hex()}));
    EXPECT_EQ(nobody["risk"], 0.0);
    EXPECT_EQ(nobody["local"], nullptr);
}

TEST_F(RpcMethods, GetFlagsAndExpertStats) {
    EXPECT_EQ(result("fraud_getFlags", json::array()), json::array());
    const auto fraud = transfer("mallory", 0, false);
    ASSERT_TRUE(plugin_->check_tx(fraud));
    BlockInput block{1, {}, 1000, {}, {{hash_of(fraud), 1, 4, 8000, false}}};
    ASSERT_TRUE(plugin_->finalize_block(block));
    const json flags = result("fraud_getFlags", json::array({{{"fromBlock", "0x1"}}}));
    ASSERT_EQ(flags.size(), 1U);
    EXPECT_EQ(flags[0]["severity"], "MEDIUM") << "flagged by a quarter of the stake, kept";
    EXPECT_EQ(flags[0]["type"], "SUSPICIOUS");
    const json stats = result("fraud_getExpertStats", json::array());
    EXPECT_EQ(stats["scored"], "0x1");
    ASSERT_EQ(stats["experts"].size(), 3U);
    double used = 0;
    for (const auto& e : stats["experts"]) used += e["utilisation"].get<double>();
    EXPECT_NEAR(used, 2.0, 1e-9) << "top-2 routing: two experts per score";
    const json info = result("fraud_getModelInfo", json::array());
    EXPECT_EQ(info["threshold"], 0.5);
    EXPECT_EQ(info["architecture"]["experts"].size(), 3U);
    EXPECT_EQ(info["metrics"]["note"], "tiny");
}

TEST_F(RpcMethods, BadInputGetsTheSpecsErrors) {
    EXPECT_EQ(call("fraud_scoreRawTransaction", json::array({"0xzz"}))["error"]["code"], -32602);
    EXPECT_EQ(call("fraud_scoreRawTransaction", json::array({12}))["error"]["code"], -32602);
    EXPECT_EQ(call("fraud_scoreRawTransaction", json::array())["error"]["code"], -32602);
    const json garbage = call("fraud_scoreRawTransaction", json::array({"0xc3"}));
    EXPECT_EQ(garbage["error"]["code"], -32602) << garbage.dump();
    EXPECT_EQ(call("fraud_getScore", json::array({"0x12"}))["error"]["code"], -32602);
    EXPECT_EQ(call("fraud_getAccountRisk", json::array({true}))["error"]["code"], -32602);
    EXPECT_EQ(call("fraud_getModelInfo", json::array({1}))["error"]["code"], -32602);
    EXPECT_EQ(
        call("fraud_getFlags", json::array({{{"fromBlock", "0x1"}, {"x", 1}}}))["error"]["code"],
        -32602);
    EXPECT_EQ(call("fraud_getFlags", json::array({{{"toBlock", "0x100000"}}}))["error"]["code"],
              -32005);
    // Issue 11: the whole range wrapped the block count to "0 blocks".
    const json all = call("fraud_getFlags",
                          json::array({{{"fromBlock", "0x0"}, {"toBlock", "0xffffffffffffffff"}}}));
    EXPECT_EQ(all["error"]["code"], -32005) << all.dump();
    EXPECT_NE(all.dump().find("0..18446744073709551615 spans more than"), std::string::npos)
        << all.dump();
    EXPECT_EQ(call("fraud_nope", json::array())["error"]["code"], -32601);
    EXPECT_EQ(post("{\"jsonrpc\":")["error"]["code"], -32700);
    const json batch = post(R"([{"jsonrpc":"2.0","id":1,"method":"fraud_getModelInfo"},
                 {"jsonrpc":"2.0","id":2,"method":"fraud_getFlags","params":[{}]}])");
    ASSERT_EQ(batch.size(), 2U);
    EXPECT_TRUE(batch[0].contains("result"));
    EXPECT_TRUE(batch[1].contains("result"));
}

TEST_F(RpcMethods, MetricsServeTheHookFigures) {
    ASSERT_TRUE(plugin_->check_tx(transfer("alice", 0, true)));
    ASSERT_TRUE(plugin_->finalize_block({7, {}, 1000, {}, {}}));
    (void)result("fraud_scoreRawTransaction", json::array({hex(transfer("bob", 0, true))}));
    auto r = client_->get("/metrics");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->result_int(), 200);
    const auto m = rpc::test::parse_prometheus(r->body());
    ASSERT_TRUE(m.errors.empty()) << m.errors.front();
    EXPECT_EQ(m.value("fraud_scored_total", {{"origin", "check_tx"}}), 1);
    EXPECT_EQ(m.value("fraud_scored_total", {{"origin", "rpc"}}), 1);
    EXPECT_EQ(m.value("fraud_hook_duration_seconds_count", {{"hook", "check_tx"}}), 1);
    EXPECT_EQ(m.value("fraud_check_tx_total", {{"verdict", "accept"}, {"reason", "none"}}), 1);
    EXPECT_EQ(m.value("fraud_consensus_height"), 7);
    EXPECT_EQ(m.value("fraud_threshold"), 0.5);
    EXPECT_EQ(m.types.at("fraud_hook_duration_seconds"), "histogram");
}

TEST_F(RpcMethods, TheTokenGuardsPostAndMetrics) {
    ASSERT_NO_FATAL_FAILURE(start("s3cret"));
    auto denied = client_->post(R"({"jsonrpc":"2.0","id":1,"method":"fraud_getModelInfo"})");
    ASSERT_TRUE(denied);
    EXPECT_EQ(denied->result_int(), 401);
    rpc::test::HttpClient again(port_);
    auto allowed =
        again.post(R"({"jsonrpc":"2.0","id":1,"method":"fraud_getModelInfo"})", "s3cret");
    ASSERT_TRUE(allowed);
    EXPECT_EQ(allowed->result_int(), 200);
}

TEST_F(RpcMethods, QueryAndAForwardingHostAnswerLikeTheServer) {
    const std::string params = json::array({hash_of(transfer("x", 0, true)).hex()}).dump();
    auto direct = plugin_->query("fraud_getModelInfo", "");
    ASSERT_TRUE(direct && direct->ok);
    EXPECT_EQ(json::parse(direct->json), result("fraud_getModelInfo", json::array()));
    auto bad = plugin_->query("fraud_getScore", "[\"0x1\"]");
    ASSERT_TRUE(bad);
    EXPECT_FALSE(bad->ok);
    EXPECT_EQ(json::parse(bad->json), call("fraud_getScore", json::array({"0x1"}))["error"]);
    auto unknown = plugin_->query("fraud_nope", "");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(json::parse(unknown->json)["code"], -32601);
    auto not_json = plugin_->query("fraud_getScore", "[");
    ASSERT_TRUE(not_json);
    EXPECT_EQ(json::parse(not_json->json)["code"], -32700);
    // Deep params through the C ABI are refused while parsing, before anything recurses.
    auto deep =
        plugin_->query("fraud_getScore", std::string(1'000'000, '[') + std::string(1'000'000, ']'));
    ASSERT_TRUE(deep);
    EXPECT_FALSE(deep->ok);
    EXPECT_EQ(json::parse(deep->json)["code"], -32700);
    EXPECT_NE(deep->json.find("nests deeper than"), std::string::npos) << deep->json;

    std::shared_ptr<PluginInstance> shared = std::move(plugin_);
    rpc::Dispatcher host;
    ASSERT_TRUE(add_forwarding_methods(host, shared));
    const auto answer = host.handle(
        R"({"jsonrpc":"2.0","id":7,"method":"fraud_getScore","params":)" + params + "}");
    ASSERT_TRUE(answer);
    EXPECT_EQ(json::parse(*answer), call("fraud_getScore", json::parse(params)));
    const auto error =
        host.handle(R"({"jsonrpc":"2.0","id":7,"method":"fraud_getScore","params":["0x1"]})");
    ASSERT_TRUE(error);
    EXPECT_EQ(json::parse(*error), call("fraud_getScore", json::array({"0x1"})));
    plugin_.reset();
    client_.reset();
}

}  // namespace
}  // namespace mfd::plugin::test
