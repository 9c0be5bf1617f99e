// The host's state through the C ABI: the *_with_state hooks score with the sender's and
// recipient's balance and nonce; an old host's calls (no state) and an old plugin (the first
// table, without the state hooks, behind a new host) still work, scoring with the state group
// masked and saying so; refusals the host reports (report_refusal); and the feature log a
// plugin writes.
#include <gtest/gtest.h>

#include <cmath>

#include "fraud/feature_log.hpp"
#include "tests/plugin/plugin_fixture.hpp"

namespace mfd::plugin::test {
namespace {

using json = nlohmann::json;

TxState funded_state() {
    TxState s;
    s.sender = AccountState{core::U256(5) * core::U256(1'000'000'000'000'000'000ULL), 0};
    s.recipient = AccountState{core::U256{}, 0};
    return s;
}

/// The explanation fraud_getScore gives for `raw` (scored before).
json explanation(PluginInstance& plugin, const core::Bytes& raw) {
    auto q = plugin.query("fraud_getScore", json::array({hash_of(raw).hex()}).dump());
    EXPECT_TRUE(q && q->ok);
    if (!q || !q->ok) return {};
    return json::parse(q->json)["local"]["explanation"];
}

bool state_missing(const json& e) {
    for (const auto& g : e["missingGroups"]) {
        if (g == "state") return true;
    }
    return false;
}

TEST(HostState, AStatePassedWithTheTransactionIsScored) {
    TempDir dir;
    auto plugin = make_instance(base_config(dir.path()));
    ASSERT_TRUE(plugin->library().has_state_hooks());
    const auto raw = transfer("alice", 0, true);
    const TxState state = funded_state();
    ASSERT_TRUE(plugin->check_tx(raw, &state));
    EXPECT_FALSE(state_missing(explanation(*plugin, raw)));
}

TEST(HostState, AnOldHostsCallIsScoredWithTheStateMaskedAndSaysSo) {
    TempDir dir;
    auto plugin = make_instance(base_config(dir.path()));
    const auto raw = transfer("alice", 0, true);
    ASSERT_TRUE(plugin->check_tx(raw));  // check_tx of the first table
    const json e = explanation(*plugin, raw);
    EXPECT_TRUE(state_missing(e)) << e.dump();
    EXPECT_NE(e["summary"].get<std::string>().find("no balances or nonces"), std::string::npos);
}

TEST(HostState, AnOldPluginServesANewHostWithoutTheState) {
    auto old = PluginLibrary::open(MFD_BINARY_DIR "/lib/fake_plugin_v1shim.so");
    ASSERT_TRUE(old) << old.error().to_string();
    EXPECT_EQ((*old)->api().struct_size, FP_API_V1_SIZE);
    EXPECT_FALSE((*old)->has_state_hooks());
    TempDir dir;
    auto plugin = PluginInstance::create(*old, base_config(dir.path()).dump());
    ASSERT_TRUE(plugin) << plugin.error().to_string();
    const auto raw = transfer("alice", 0, true);
    const TxState state = funded_state();
    auto checked = (*plugin)->check_tx(raw, &state);
    ASSERT_TRUE(checked) << checked.error().to_string();
    EXPECT_EQ(checked->verdict, Verdict::kAccept);
    const std::vector<TxState> states(1, state);
    const std::vector<core::ByteView> raws = {raw};
    EXPECT_TRUE((*plugin)->score_batch(raws, states));
    EXPECT_TRUE(state_missing(explanation(**plugin, raw)));
    EXPECT_FALSE((*old)->has_refusal_hook());
    EXPECT_TRUE((*plugin)->report_refusal(raw, Refusal::kNonceTooLow)) << "not asked: no hook";
}

TEST(HostState, StatesMustMatchTheTransactions) {
    TempDir dir;
    auto plugin = make_instance(base_config(dir.path()));
    const auto raw = transfer("alice", 0, true);
    const std::vector<core::ByteView> raws = {raw, raw};
    const std::vector<TxState> one(1, funded_state());
    auto r = plugin->score_batch(raws, one);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument);
}

TEST(FeatureLog, ThePluginLogsEveryScoredRowAndClosesTheLog) {
    TempDir dir;
    const auto log = dir.path() / "features.jsonl";
    json config = base_config(dir.path() / "data");
    config["feature_log"] = log.string();
    {
        auto plugin = make_instance(config);
        const TxState state = funded_state();
        ASSERT_TRUE(plugin->check_tx(transfer("alice", 0, true), &state));
        ASSERT_TRUE(plugin->check_tx(transfer("bob", 0, false)));
        const std::vector<core::Bytes> owned = {transfer("carol", 0, true)};
        const std::vector<core::ByteView> raws(owned.begin(), owned.end());
        ASSERT_TRUE(plugin->extend_vote(1, raws, 16));
    }
    auto read = fraud::read_feature_log(log);
    ASSERT_TRUE(read) << read.error().to_string();
    ASSERT_EQ(read->rows.size(), 3u);
    EXPECT_FALSE(read->labelled);
    EXPECT_EQ(read->rows[0].hook, "check_tx");
    EXPECT_EQ(read->rows[0].hash, hash_of(transfer("alice", 0, true)));
    EXPECT_EQ(read->rows[0].x[fraud::kStateAvailable], 1.0F);
    EXPECT_EQ(read->rows[1].x[fraud::kStateAvailable], 0.0F);
    EXPECT_EQ(read->rows[1].x[fraud::kSigNoChainId], 1.0F);
    EXPECT_EQ(read->rows[2].hook, "extend_vote");
}

/// Finalises block 1, which executes alice's and bob's nonce 0.
void finalize_first_payments(PluginInstance& plugin) {
    const core::Bytes alice0 = transfer("alice", 0, true);
    const core::Bytes bob0 = transfer("bob", 0, true);
    BlockInput block;
    block.height = 1;
    block.hash = hash_of(alice0);
    block.time_ms = 1000;
    block.executed = {alice0, bob0};
    ASSERT_TRUE(plugin.finalize_block(block));
}

TEST(Refusals, ASpentNonceRefusalCountsAgainstItsSenderButAReBroadcastDoesNot) {
    TempDir dir;
    const auto log = dir.path() / "features.jsonl";
    json config = base_config(dir.path() / "data");
    config["feature_log"] = log.string();
    ASSERT_TRUE(real_library()->has_refusal_hook());
    {
        auto plugin = make_instance(config);
        ASSERT_NO_FATAL_FAILURE(finalize_first_payments(*plugin));
        const core::Bytes alice0 = transfer("alice", 0, true);
        const core::Bytes bob0 = transfer("bob", 0, true);
        // Alice: another transaction with her spent nonce 0. Bob: his mined one again. Carol:
        // refused for funds, which is no stale refusal.
        ASSERT_TRUE(plugin->report_refusal(transfer("alice", 0, false), Refusal::kNonceTooLow));
        ASSERT_TRUE(plugin->report_refusal(bob0, Refusal::kNonceTooLow));
        ASSERT_TRUE(
            plugin->report_refusal(transfer("carol", 0, true), Refusal::kInsufficientFunds));
        for (const char* who : {"alice", "bob", "carol"}) {
            ASSERT_TRUE(plugin->check_tx(transfer(who, 1, true)));
        }
        EXPECT_EQ(metric(*plugin, "fraud_host_refusals_total", {{"reason", "nonce_too_low"}}), 2);
        EXPECT_EQ(metric(*plugin, "fraud_host_refusals_total", {{"reason", "insufficient_funds"}}),
                  1);

        const core::Bytes junk = {0x01, 0x02, 0x03};
        EXPECT_FALSE(plugin->report_refusal(junk, Refusal::kNonceTooLow));
        const fp_api& api = plugin->library().api();
        const fp_bytes raw{alice0.data(), alice0.size()};
        EXPECT_EQ(api.report_refusal(plugin->handle(), raw, 9), FP_ERR_INVALID_ARGUMENT);
        EXPECT_EQ(api.report_refusal(nullptr, raw, FP_REFUSED_NONCE_TOO_LOW),
                  FP_ERR_INVALID_ARGUMENT);
    }
    auto read = fraud::read_feature_log(log);
    ASSERT_TRUE(read) << read.error().to_string();
    ASSERT_EQ(read->rows.size(), 3u);
    EXPECT_NEAR(read->rows[0].x[fraud::kSenderStaleRefused], std::log1p(1.0), 1e-3) << "alice";
    EXPECT_EQ(read->rows[1].x[fraud::kSenderStaleRefused], 0.0F) << "bob's re-broadcast";
    EXPECT_EQ(read->rows[2].x[fraud::kSenderStaleRefused], 0.0F) << "carol's funds";
}

// A stale copy may reach the host after the transfer it goes with was admitted: the vote then
// scores that transfer again instead of reusing its admission score. A refusal before the
// admission was part of what the admission read, however close in time.
TEST(Refusals, AVoteRescoresATransactionWhoseSenderWasRefusedAfterItsAdmission) {
    TempDir dir;
    const auto log = dir.path() / "features.jsonl";
    json config = base_config(dir.path() / "data");
    config["feature_log"] = log.string();
    const core::Bytes alice1 = transfer("alice", 1, true);
    const core::Bytes bob1 = transfer("bob", 1, true);
    const core::Bytes carol1 = transfer("carol", 1, true);
    {
        auto plugin = make_instance(config);
        ASSERT_NO_FATAL_FAILURE(finalize_first_payments(*plugin));
        ASSERT_TRUE(plugin->report_refusal(transfer("carol", 0, false), Refusal::kNonceTooLow));
        ASSERT_TRUE(plugin->check_tx(carol1));
        ASSERT_TRUE(plugin->check_tx(alice1));
        ASSERT_TRUE(plugin->check_tx(bob1));
        ASSERT_TRUE(plugin->report_refusal(transfer("alice", 0, false), Refusal::kNonceTooLow));
        const std::vector<core::ByteView> views = {alice1, bob1, carol1};
        ASSERT_TRUE(plugin->extend_vote(2, views, 64));
        const auto origin = [&](const core::Bytes& raw) {
            auto q = plugin->query("fraud_getScore", json::array({hash_of(raw).hex()}).dump());
            EXPECT_TRUE(q && q->ok);
            return q && q->ok ? json::parse(q->json)["local"]["origin"] : json();
        };
        EXPECT_EQ(origin(alice1), "extend_vote");
        EXPECT_EQ(origin(bob1), "check_tx") << "no refusal: the admission score stands";
        EXPECT_EQ(origin(carol1), "check_tx") << "refused before its admission: it stands";
    }
    auto read = fraud::read_feature_log(log);
    ASSERT_TRUE(read) << read.error().to_string();
    ASSERT_EQ(read->rows.size(), 4u) << "carol, alice, bob at admission, alice again at the vote";
    EXPECT_NEAR(read->rows[0].x[fraud::kSenderStaleRefused], std::log1p(1.0), 1e-3) << "carol";
    EXPECT_EQ(read->rows[1].x[fraud::kSenderStaleRefused], 0.0F);
    EXPECT_NEAR(read->rows[3].x[fraud::kSenderStaleRefused], std::log1p(1.0), 1e-3);
}

TEST(FeatureLog, AnUnwritableLogFailsCreateNamingIt) {
    TempDir dir;
    json config = base_config(dir.path() / "data");
    config["feature_log"] = (dir.path() / "no" / "such" / "dir" / "log.jsonl").string();
    auto plugin = PluginInstance::create(real_library(), config.dump());
    ASSERT_FALSE(plugin);
    EXPECT_NE(plugin.error().message.find("log.jsonl"), std::string::npos);
}

}  // namespace
}  // namespace mfd::plugin::test
