// check_tx and score_batch through the real plugin: valid, flagged, invalid and garbage bytes.
#include <gtest/gtest.h>

#include "core/transaction.hpp"
#include "tests/plugin/plugin_fixture.hpp"

namespace mfd::plugin::test {
namespace {

class CheckTx : public ::testing::Test {
protected:
    void SetUp() override {
        plugin_ = make_instance(base_config(dir_.path()));
        ASSERT_NE(plugin_, nullptr);
    }
    /// The reason name the decoder gives `raw`.
    static std::string decode_reason(const core::Bytes& raw) {
        auto tx = core::decode_transaction(raw);
        return tx ? "" : std::string(core::reason_name(tx.error().code));
    }
    CheckResult check(const core::Bytes& raw) {
        auto r = plugin_->check_tx(raw);
        EXPECT_TRUE(r) << r.error().to_string();
        return r ? *r : CheckResult{};
    }

    TempDir dir_;
    std::unique_ptr<PluginInstance> plugin_;
};

TEST_F(CheckTx, AcceptsAnHonestTransaction) {
    const auto raw = transfer("alice", 0, true);
    const auto r = check(raw);
    EXPECT_EQ(r.verdict, Verdict::kAccept);
    EXPECT_EQ(r.reason, "");
    EXPECT_FALSE(r.score.flagged);
    EXPECT_FALSE(r.score.degraded);
    EXPECT_LT(r.score.probability, 0.5F);
    EXPECT_EQ(r.score.status, FP_OK);
    EXPECT_EQ(r.score.tx_hash, hash_of(raw));
}

TEST_F(CheckTx, FlagsButAcceptsAnUnprotectedTransactionByDefault) {
    const auto r = check(transfer("mallory", 0, false));
    EXPECT_EQ(r.verdict, Verdict::kAccept) << "flags go to consensus unless reject_flagged";
    EXPECT_TRUE(r.score.flagged);
    EXPECT_GE(r.score.probability, 0.5F);
    EXPECT_EQ(r.score.score_bp, static_cast<std::uint16_t>(std::lround(r.score.probability * 1e4)));
}

TEST_F(CheckTx, RejectFlaggedRejectsWithReasonFlagged) {
    TempDir other;
    auto config = base_config(other.path());
    config["reject_flagged"] = true;
    auto strict = make_instance(config);
    ASSERT_NE(strict, nullptr);
    auto flagged = strict->check_tx(transfer("mallory", 0, false));
    ASSERT_TRUE(flagged);
    EXPECT_EQ(flagged->verdict, Verdict::kReject);
    EXPECT_EQ(flagged->reason, "FLAGGED");
    auto honest = strict->check_tx(transfer("alice", 0, true));
    ASSERT_TRUE(honest);
    EXPECT_EQ(honest->verdict, Verdict::kAccept);
}

TEST_F(CheckTx, RejectsGarbageWithTheDecodersReason) {
    const core::Bytes garbage = {0xf8, 0xff, 0x01, 0x02};
    const auto r = check(garbage);
    EXPECT_EQ(r.verdict, Verdict::kReject);
    EXPECT_EQ(r.reason, decode_reason(garbage));
    EXPECT_FALSE(r.reason.empty());
    EXPECT_EQ(r.score.status, FP_ERR_DECODE);
    const auto empty = check({});
    EXPECT_EQ(empty.verdict, Verdict::kReject);
    EXPECT_FALSE(empty.reason.empty());
    const core::Bytes typed_raw = {0x7f, 0xc0};
    const auto typed = check(typed_raw);
    EXPECT_EQ(typed.verdict, Verdict::kReject);
    EXPECT_EQ(typed.reason, decode_reason(typed_raw));
}

TEST_F(CheckTx, RejectsAnotherChainsTransaction) {
    const auto r = check(transfer("alice", 0, true, 1));
    EXPECT_EQ(r.verdict, Verdict::kReject);
    EXPECT_EQ(r.reason, "INVALID_CHAINID");
}

TEST_F(CheckTx, RejectsOversizedBytesBeforeDecoding) {
    const auto r = check(core::Bytes(200 * 1024, 0xc0));
    EXPECT_EQ(r.verdict, Verdict::kReject);
    EXPECT_EQ(r.reason, "OVERSIZED");
}

TEST_F(CheckTx, NullPointersAreInvalidArguments) {
    const fp_api& api = plugin_->library().api();
    EXPECT_EQ(api.check_tx(plugin_->handle(), {nullptr, 3}, nullptr), FP_ERR_INVALID_ARGUMENT);
    fp_check_result out{};
    EXPECT_EQ(api.check_tx(nullptr, {nullptr, 0}, &out), FP_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(api.check_tx(plugin_->handle(), {nullptr, 3}, &out), FP_ERR_INVALID_ARGUMENT);
    char message[256];
    EXPECT_GT(api.last_error(message, sizeof(message)), 0U);
    EXPECT_NE(std::string(message).find("check_tx"), std::string::npos) << message;
}

TEST_F(CheckTx, ScoreBatchMarksUndecodableEntriesOnly) {
    const auto a = transfer("alice", 1, true);
    const auto m = transfer("mallory", 1, false);
    const core::Bytes bad = {0x01};
    const std::vector<core::ByteView> raws = {a, bad, m};
    auto scores = plugin_->score_batch(raws);
    ASSERT_TRUE(scores) << scores.error().to_string();
    ASSERT_EQ(scores->size(), 3U);
    EXPECT_EQ((*scores)[0].status, FP_OK);
    EXPECT_FALSE((*scores)[0].flagged);
    EXPECT_EQ((*scores)[1].status, FP_ERR_DECODE);
    EXPECT_EQ((*scores)[2].status, FP_OK);
    EXPECT_TRUE((*scores)[2].flagged);
    EXPECT_EQ((*scores)[2].tx_hash, hash_of(m));
}

TEST_F(CheckTx, ScoreBatchSplitsALargeBatchAcrossWorkersInOrder) {
    std::vector<core::Bytes> raws;
    for (std::uint64_t i = 0; i < 64; ++i) raws.push_back(transfer("batch", i, i % 2 == 0));
    const std::vector<core::ByteView> views(raws.begin(), raws.end());
    auto scores = plugin_->score_batch(views);
    ASSERT_TRUE(scores);
    for (std::size_t i = 0; i < raws.size(); ++i) {
        EXPECT_EQ((*scores)[i].tx_hash, hash_of(raws[i])) << i;
        EXPECT_EQ((*scores)[i].flagged, i % 2 == 1) << i;
    }
}

TEST_F(CheckTx, ALargeChunkGoesThroughTheBatchScorerWithTheSameScores) {
    TempDir other;
    auto config = base_config(other.path());
    config["workers"] = 1;
    auto single = make_instance(config);
    ASSERT_NE(single, nullptr);
    std::vector<core::Bytes> raws;
    for (std::uint64_t i = 0; i < 80; ++i) raws.push_back(transfer("bulk", i, i % 4 != 0));
    const std::vector<core::ByteView> views(raws.begin(), raws.end());
    auto batch = single->score_batch(views);
    ASSERT_TRUE(batch) << batch.error().to_string();
    // One at a time through score_batch (the host path below 64 rows; score_batch, unlike
    // check_tx, adds nothing to the pool overlay that would change the next one's history).
    for (std::size_t i = 0; i < raws.size(); ++i) {
        auto one = plugin_->score_batch(std::span(&views[i], 1));
        ASSERT_TRUE(one);
        EXPECT_NEAR((*batch)[i].probability, (*one)[0].probability, 1e-4) << i;
        EXPECT_EQ((*batch)[i].flagged, i % 4 == 0) << i;
    }
}

}  // namespace
}  // namespace mfd::plugin::test
