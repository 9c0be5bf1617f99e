// Validators with the real plugin, attached through the loader as `chain_sim run` does. Needs
// the release build's libfraud_plugin.so and a model; skipped in builds without LibTorch.
#include <gtest/gtest.h>

#include "storage/chain_records.hpp"
#include "tests/node/cluster.hpp"

namespace mfd::chain::test {
namespace {

std::optional<std::filesystem::path> built_plugin() {
    const auto lib = std::filesystem::path(MFD_BINARY_DIR) / "lib/libfraud_plugin.so";
    const auto model = std::filesystem::path(MFD_SOURCE_DIR) / "models/default.safetensors";
    if (!std::filesystem::exists(lib) || !std::filesystem::exists(model)) return std::nullopt;
    return lib;
}

TEST(PluginNode, ABlockLivesThroughTheRealPluginsHooks) {
    const auto lib = built_plugin();
    if (!lib) GTEST_SKIP() << "no libfraud_plugin.so or model in this build";
    TempDir dir;
    {
        Cluster c(dir.path(), small_traffic(), nullptr, 3, {}, lib);
        ASSERT_TRUE(c.run_to(6));
        std::size_t included = 0;
        for (const auto& b : c.blocks()) included += b.included.size();
        EXPECT_GT(included, 0U);
        auto& plugin = c.validators().plugin(0);
        ASSERT_TRUE(plugin);
        auto metrics = plugin->metrics_text();
        ASSERT_TRUE(metrics);
        EXPECT_NE(metrics->find("fraud_consensus_height"), std::string::npos);
        auto info = plugin->query("fraud_getModelInfo", "");
        ASSERT_TRUE(info);
        EXPECT_TRUE(info->ok) << info->json;
        EXPECT_GT(c.node(0).stats().calls[static_cast<std::size_t>(node::Phase::kPluginCheckTx)],
                  0U);
    }
    Cluster resumed(dir.path(), small_traffic(), nullptr, 3, {}, lib);
    EXPECT_GE(resumed.node(0).opened_at(), 6U);
    ASSERT_TRUE(resumed.run_to(resumed.node(0).opened_at() + 2));
}

}  // namespace
}  // namespace mfd::chain::test
