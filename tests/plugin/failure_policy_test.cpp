// The failure policy: a model call that overruns its budget or throws is answered by the policy,
// counted and marked degraded; the deterministic hooks are never affected. The overrun is forced
// with testing.score_delay_us (300 ms) far beyond the budget (2 ms).
#include <gtest/gtest.h>

#include "tests/plugin/plugin_fixture.hpp"

namespace mfd::plugin::test {
namespace {

using json = nlohmann::json;

json slow_config(const std::filesystem::path& dir, const std::string& policy) {
    json c = base_config(dir);
    c["failure_policy"] = policy;
    c["budgets_us"] = {{"check_tx", 2000},
                       {"score_batch", 2000},
                       {"prepare_proposal", 2000},
                       {"extend_vote", 2000}};
    c["testing"] = {{"score_delay_us", 300000}};
    return c;
}

json failing_config(const std::filesystem::path& dir, const std::string& policy) {
    json c = base_config(dir);
    c["failure_policy"] = policy;
    c["testing"] = {{"score_error", true}};
    return c;
}

TEST(FailurePolicy, FailOpenAcceptsATimedOutTransactionAsDegraded) {
    TempDir dir;
    auto plugin = make_instance(slow_config(dir.path(), "fail-open"));
    ASSERT_NE(plugin, nullptr);
    auto r = plugin->check_tx(transfer("mallory", 0, false));
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ(r->verdict, Verdict::kAccept);
    EXPECT_EQ(r->reason, "TIMEOUT");
    EXPECT_TRUE(r->score.degraded);
    EXPECT_FALSE(r->score.flagged);
    EXPECT_EQ(r->score.status, FP_ERR_TIMEOUT);
    const auto fraud = transfer("m2", 0, false);
    const std::vector<core::ByteView> raws = {fraud};
    auto flags = plugin->extend_vote(1, raws, 8);
    ASSERT_TRUE(flags);
    EXPECT_TRUE(flags->empty()) << "fail-open flags nothing";
    auto order = plugin->prepare_proposal(1, raws);
    ASSERT_TRUE(order);
    EXPECT_EQ(order->keep, std::vector<std::uint8_t>{1});
    EXPECT_EQ(*plugin->process_proposal(1, raws), Verdict::kAccept)
        << "process_proposal does not consult the model";
}

TEST(FailurePolicy, FailClosedRejectsAndFlagsATimedOutTransaction) {
    TempDir dir;
    auto plugin = make_instance(slow_config(dir.path(), "fail-closed"));
    ASSERT_NE(plugin, nullptr);
    const auto honest = transfer("alice", 0, true);
    auto r = plugin->check_tx(honest);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->verdict, Verdict::kReject);
    EXPECT_EQ(r->reason, "TIMEOUT");
    EXPECT_TRUE(r->score.degraded);
    EXPECT_TRUE(r->score.flagged);
    const std::vector<core::ByteView> raws = {honest};
    auto flags = plugin->extend_vote(1, raws, 8);
    ASSERT_TRUE(flags);
    ASSERT_EQ(flags->size(), 1U);
    EXPECT_EQ((*flags)[0].score, FP_MAX_SCORE);
    auto order = plugin->prepare_proposal(1, raws);
    ASSERT_TRUE(order);
    EXPECT_EQ(order->keep, std::vector<std::uint8_t>{0});
    auto batch = plugin->score_batch(raws);
    ASSERT_TRUE(batch);
    EXPECT_TRUE((*batch)[0].degraded);
    EXPECT_EQ((*batch)[0].status, FP_ERR_TIMEOUT);
}

TEST(FailurePolicy, AThrowingModelIsAnsweredByThePolicyAndCounted) {
    TempDir open_dir;
    auto open = make_instance(failing_config(open_dir.path(), "fail-open"));
    ASSERT_NE(open, nullptr);
    auto r = open->check_tx(transfer("alice", 0, true));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->verdict, Verdict::kAccept);
    EXPECT_EQ(r->reason, "SCORING_FAILED");
    EXPECT_EQ(r->score.status, FP_ERR_INTERNAL);
    EXPECT_EQ(metric(*open, "fraud_hook_failures_total", {{"hook", "check_tx"}, {"kind", "error"}}),
              1);
    EXPECT_EQ(metric(*open, "fraud_degraded_total", {{"hook", "check_tx"}}), 1);
    TempDir closed_dir;
    auto closed = make_instance(failing_config(closed_dir.path(), "fail-closed"));
    ASSERT_NE(closed, nullptr);
    auto c = closed->check_tx(transfer("alice", 0, true));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->verdict, Verdict::kReject);
    EXPECT_EQ(c->reason, "SCORING_FAILED");
    auto rpc =
        closed->query("fraud_scoreRawTransaction",
                      json::array({"0x" + core::to_hex(transfer("bob", 0, true), false)}).dump());
    ASSERT_TRUE(rpc);
    EXPECT_FALSE(rpc->ok) << "the JSON-RPC answers an error, never crashes";
    EXPECT_EQ(json::parse(rpc->json)["code"], -32603);
}

TEST(FailurePolicy, TimeoutsAreCountedPerHook) {
    TempDir dir;
    auto plugin = make_instance(slow_config(dir.path(), "fail-open"));
    ASSERT_NE(plugin, nullptr);
    ASSERT_TRUE(plugin->check_tx(transfer("alice", 0, true)));
    ASSERT_TRUE(plugin->check_tx(transfer("alice", 1, true)));
    EXPECT_EQ(
        metric(*plugin, "fraud_hook_failures_total", {{"hook", "check_tx"}, {"kind", "timeout"}}),
        2);
    EXPECT_EQ(metric(*plugin, "fraud_hook_calls_total", {{"hook", "check_tx"}}), 2);
}

}  // namespace
}  // namespace mfd::plugin::test
