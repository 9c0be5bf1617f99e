// reload_model: the swap happens while other threads score, without a failed or degraded call,
// and a bad file leaves the old model in force.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "fraud/feature_schema.hpp"
#include "fraud/thresholds.hpp"
#include "models/model.hpp"
#include "tests/plugin/plugin_fixture.hpp"

namespace mfd::plugin::test {
namespace {

using json = nlohmann::json;

std::string model_version(PluginInstance& p) {
    auto r = p.query("fraud_getModelInfo", "[]");
    EXPECT_TRUE(r && r->ok);
    return r && r->ok ? json::parse(r->json)["version"].get<std::string>() : "";
}

/// Waits (up to a generous bound, so a broken plugin fails instead of hanging) until `counter`
/// has moved `steps` past its value now.
void wait_for_progress(const std::atomic<int>& counter, int steps) {
    const int target = counter.load() + steps;
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (counter.load() < target && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::yield();
    }
    ASSERT_GE(counter.load(), target) << "scoring threads made no progress";
}

TEST(HotReload, SwapsWhileOtherThreadsScoreWithoutAFailedCall) {
    TempDir dir;
    json config = base_config(dir.path());
    config["budgets_us"]["check_tx"] = 30'000'000;
    auto plugin = make_instance(config);
    ASSERT_NE(plugin, nullptr);
    const std::string first = model_version(*plugin);
    std::atomic<bool> stop{false};
    std::atomic<int> calls{0};
    std::atomic<int> bad{0};
    std::vector<std::thread> scorers;
    for (int t = 0; t < 3; ++t) {
        scorers.emplace_back([&, t] {
            for (std::uint64_t n = 0; !stop.load(); ++n) {
                auto r = plugin->check_tx(transfer("scorer" + std::to_string(t), n, n % 2 == 0));
                if (!r || r->score.degraded || r->score.status != FP_OK) bad.fetch_add(1);
                calls.fetch_add(1);
            }
        });
    }
    std::string last = first;
    for (int i = 0; i < 6; ++i) {
        ASSERT_NO_FATAL_FAILURE(wait_for_progress(calls, 3));
        const auto& path = i % 2 == 0 ? other_model() : tiny_model();
        auto r = plugin->reload_model(path);
        ASSERT_TRUE(r) << r.error().to_string();
        const std::string now = model_version(*plugin);
        EXPECT_NE(now, last) << "reload " << i << " swapped the model in";
        last = now;
    }
    ASSERT_NO_FATAL_FAILURE(wait_for_progress(calls, 3));
    stop = true;
    for (auto& t : scorers) t.join();
    EXPECT_EQ(bad.load(), 0) << "of " << calls.load() << " calls";
    EXPECT_EQ(last, first) << "six reloads end on the first model";
    auto info = plugin->query("fraud_getModelInfo", "");
    ASSERT_TRUE(info && info->ok);
    EXPECT_EQ(json::parse(info->json)["reloads"], "0x6");
    EXPECT_EQ(metric(*plugin, "fraud_model_reloads_total", {{"outcome", "ok"}}), 6);
}

TEST(HotReload, ABadFileLeavesTheOldModelInForce) {
    TempDir dir;
    auto plugin = make_instance(base_config(dir.path()));
    ASSERT_NE(plugin, nullptr);
    const std::string before = model_version(*plugin);
    const auto garbage = dir.path() / "garbage.safetensors";
    std::ofstream(garbage) << "not a model";
    auto r = plugin->reload_model(garbage);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("FP_ERR_MODEL"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("garbage.safetensors"), std::string::npos);
    EXPECT_FALSE(plugin->reload_model(dir.path() / "missing.safetensors"));
    auto other_schema = models::Model::initialise(fraud::schema_config({1, 1, 1}, 2, 8), 5);
    ASSERT_TRUE(other_schema);
    other_schema->set_info({"another-schema", fraud::thresholds_json({}), "{}"});
    ASSERT_TRUE(other_schema->save(dir.path() / "other.safetensors"));
    auto schema = plugin->reload_model(dir.path() / "other.safetensors");
    ASSERT_FALSE(schema);
    EXPECT_NE(schema.error().message.find("another-schema"), std::string::npos)
        << schema.error().message;
    EXPECT_EQ(model_version(*plugin), before);
    auto still = plugin->check_tx(transfer("mallory", 0, false));
    ASSERT_TRUE(still);
    EXPECT_TRUE(still->score.flagged) << "the old model still scores";
    EXPECT_EQ(metric(*plugin, "fraud_model_reloads_total", {{"outcome", "failed"}}), 3);
}

// Issue 11: a model with finite but extreme weights (every expert's output layer at 3e38)
// loaded and hot-reloaded, and its NaN scores were answered as "flagged": false. It is refused
// at create and at reload (the old model stays), and scores stay finite.
TEST(HotReload, AModelWithExtremeWeightsIsRefusedAndScoresStayFinite) {
    TempDir dir;
    auto tiny = models::Model::load(tiny_model(), fraud::kSchemaVersion);
    ASSERT_TRUE(tiny) << tiny.error().to_string();
    auto tensors = tiny->tensors();
    for (std::size_t e = 0; e < tiny->config().total_experts(); ++e) {
        for (auto& v : tensors["experts." + std::to_string(e) + ".out.weight"].values) v = 3e38F;
    }
    auto extreme = models::Model::from_tensors(tiny->config(), std::move(tensors), tiny->info());
    ASSERT_TRUE(extreme) << extreme.error().to_string();
    const auto path = dir.path() / "extreme.safetensors";
    ASSERT_TRUE(extreme->save(path));

    json config = base_config(dir.path() / "a");
    config["model"] = path.string();
    char err[512] = "";
    fp_plugin* raw = nullptr;
    EXPECT_EQ(real_library()->api().create(config.dump().c_str(), &raw, err, sizeof(err)),
              FP_ERR_MODEL);
    real_library()->api().destroy(raw);
    EXPECT_NE(std::string(err).find("probe rows"), std::string::npos) << err;

    auto plugin = make_instance(base_config(dir.path() / "b"));
    ASSERT_NE(plugin, nullptr);
    const std::string before = model_version(*plugin);
    auto r = plugin->reload_model(path);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("probe rows"), std::string::npos) << r.error().message;
    EXPECT_EQ(model_version(*plugin), before);
    const auto tx = transfer("mallory", 0, false);
    auto q = plugin->query("fraud_scoreRawTransaction", json::array({core::to_hex(tx)}).dump());
    ASSERT_TRUE(q && q->ok) << (q ? q->json : q.error().to_string());
    const auto answer = json::parse(q->json);
    ASSERT_TRUE(answer["score"].is_number()) << q->json;
    EXPECT_TRUE(answer["flagged"].get<bool>()) << q->json;
}

}  // namespace
}  // namespace mfd::plugin::test
