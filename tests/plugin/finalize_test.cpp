// finalize_block through the real plugin: history, outcomes and findings in the data directory,
// surviving destroy and create.
#include <gtest/gtest.h>

#include "tests/plugin/plugin_fixture.hpp"

namespace mfd::plugin::test {
namespace {

using json = nlohmann::json;

class Finalize : public ::testing::Test {
protected:
    void SetUp() override { open(); }
    void open() {
        plugin_.reset();
        plugin_ = make_instance(base_config(dir_.path()));
        ASSERT_NE(plugin_, nullptr);
    }
    json ask(const std::string& method, const json& params) {
        auto r = plugin_->query(method, params.dump());
        EXPECT_TRUE(r) << r.error().to_string();
        if (!r) return nullptr;
        EXPECT_TRUE(r->ok) << r->json;
        return json::parse(r->json);
    }
    /// Block 1: alice's transfer executed, mallory's excluded by 3 of 4 stake.
    void commit_first_block() {
        ASSERT_TRUE(plugin_->check_tx(fraud_));
        BlockInput block{1, hash_of(honest_), 5000, {honest_}, {}};
        block.flags.push_back({hash_of(fraud_), 3, 4, 9100, true});
        auto r = plugin_->finalize_block(block);
        ASSERT_TRUE(r) << r.error().to_string();
    }

    TempDir dir_;
    std::unique_ptr<PluginInstance> plugin_;
    const core::Bytes honest_ = transfer("alice", 0, true);
    const core::Bytes fraud_ = transfer("mallory", 0, false);
};

TEST_F(Finalize, StoresOutcomesAndFindings) {
    ASSERT_NO_FATAL_FAILURE(commit_first_block());
    const json included = ask("fraud_getScore", json::array({hash_of(honest_).hex()}));
    EXPECT_EQ(included["consensus"]["included"], true);
    EXPECT_EQ(included["consensus"]["blockNumber"], "0x1");
    EXPECT_EQ(included["local"], nullptr) << "never scored here, only executed";
    const json excluded = ask("fraud_getScore", json::array({hash_of(fraud_).hex()}));
    EXPECT_EQ(excluded["consensus"]["excluded"], true);
    EXPECT_EQ(excluded["consensus"]["flaggingStake"], "0x3");
    EXPECT_EQ(excluded["consensus"]["totalStake"], "0x4");
    EXPECT_TRUE(excluded["local"]["flagged"].get<bool>());
    const json flags =
        ask("fraud_getFlags", json::array({{{"fromBlock", "0x1"}, {"toBlock", "0x1"}}}));
    ASSERT_EQ(flags.size(), 1U);
    EXPECT_EQ(flags[0]["severity"], "CRITICAL") << "excluded by 3/4 of the stake";
    EXPECT_EQ(flags[0]["alertId"], "MFD-FRAUD-EXCLUDED");
    EXPECT_EQ(flags[0]["metadata"]["txHash"], hash_of(fraud_).hex());
    ASSERT_EQ(flags[0]["labels"].size(), 2U) << "the transaction and its sender";
    EXPECT_NEAR(flags[0]["labels"][0]["confidence"].get<double>(), 0.91, 1e-9);
    EXPECT_EQ(ask("fraud_getFlags", json::array({{{"fromBlock", "0x2"}}})), json::array());
}

TEST_F(Finalize, HistoryOutcomesAndHeightSurviveARestart) {
    ASSERT_NO_FATAL_FAILURE(commit_first_block());
    const std::string alice = address_of("alice").hex();
    const json before = ask("fraud_getAccountRisk", json::array({alice}));
    ASSERT_NE(before["history"], nullptr);
    EXPECT_EQ(before["history"]["outgoing"], "0x1");
    ASSERT_NO_FATAL_FAILURE(open());
    const json after = ask("fraud_getAccountRisk", json::array({alice}));
    EXPECT_EQ(after["history"], before["history"]) << "account histories survive a restart";
    const json mallory = ask("fraud_getAccountRisk", json::array({address_of("mallory").hex()}));
    EXPECT_EQ(mallory["consensus"]["excluded"], "0x1");
    ASSERT_NE(mallory["history"], nullptr);
    EXPECT_EQ(mallory["history"]["outgoing"], "0x0") << "an excluded transaction is not observed";
    EXPECT_EQ(mallory["history"]["excludedSent"], "0x1") << "it is counted as excluded";
    const json flags = ask("fraud_getFlags", json::array({{{"fromBlock", "earliest"}}}));
    EXPECT_EQ(flags.size(), 1U) << "latest is the committed height, 1, after the restart";
    EXPECT_EQ(ask("fraud_getScore", json::array({hash_of(fraud_).hex()}))["consensus"]["excluded"],
              true);
}

TEST_F(Finalize, ReplayedHeightsAreSkipped) {
    ASSERT_NO_FATAL_FAILURE(commit_first_block());
    const auto again = transfer("alice", 1, true);
    BlockInput old{1, hash_of(honest_), 6000, {again}, {}};
    ASSERT_TRUE(plugin_->finalize_block(old));
    EXPECT_EQ(ask("fraud_getScore", json::array({hash_of(again).hex()})), nullptr)
        << "height 1 was applied already";
    BlockInput next{2, {}, 7000, {again}, {}};
    ASSERT_TRUE(plugin_->finalize_block(next));
    EXPECT_EQ(
        ask("fraud_getScore", json::array({hash_of(again).hex()}))["consensus"]["blockNumber"],
        "0x2");
    const json risk = ask("fraud_getAccountRisk", json::array({address_of("alice").hex()}));
    EXPECT_EQ(risk["history"]["outgoing"], "0x2");
}

// Issue 11: the host's start-up check reads the plugin's head; a block at the head's height
// with another hash is refused (the host's chain and this store disagree).
TEST_F(Finalize, TheHeadIsReportedAndAnotherBlockAtItsHeightIsRefused) {
    EXPECT_EQ(ask("fraud_getHead", json::array())["blockNumber"], "0x0");
    EXPECT_EQ(ask("fraud_getHead", json::array())["blockHash"], nullptr);
    ASSERT_NO_FATAL_FAILURE(commit_first_block());
    const json head = ask("fraud_getHead", json::array());
    EXPECT_EQ(head["blockNumber"], "0x1");
    EXPECT_EQ(head["blockHash"], hash_of(honest_).hex());
    EXPECT_EQ(head["timestamp"], "0x5");
    BlockInput other{1, hash_of(transfer("bob", 0, true)), 5000, {honest_}, {}};
    auto r = plugin_->finalize_block(other);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("disagree"), std::string::npos) << r.error().message;
    EXPECT_EQ(ask("fraud_getHead", json::array())["blockHash"], hash_of(honest_).hex());
}

TEST_F(Finalize, RejectsHeightZeroAndNullBuffers) {
    BlockInput zero{0, {}, 0, {}, {}};
    auto r = plugin_->finalize_block(zero);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("FP_ERR_INVALID_ARGUMENT"), std::string::npos);
    const fp_block bad{1, {}, 0, nullptr, 3, nullptr, 0};
    EXPECT_EQ(plugin_->library().api().finalize_block(plugin_->handle(), &bad),
              FP_ERR_INVALID_ARGUMENT);
}

TEST_F(Finalize, AnUndecodableExecutedTransactionIsSkipped) {
    const core::Bytes garbage = {0xc3, 0x01};
    BlockInput block{1, {}, 1000, {garbage, honest_}, {}};
    ASSERT_TRUE(plugin_->finalize_block(block));
    EXPECT_EQ(ask("fraud_getScore", json::array({hash_of(honest_).hex()}))["consensus"]["included"],
              true);
}

}  // namespace
}  // namespace mfd::plugin::test
