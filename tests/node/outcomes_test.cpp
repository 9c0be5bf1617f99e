#include <gtest/gtest.h>

#include "chain_sim/sim/outcomes.hpp"

namespace mfd::chain::sim {
namespace {

core::Hash hash_of(std::uint8_t b) {
    core::Hash h;
    h.bytes[0] = b;
    return h;
}

Traffic four_txs() {
    Traffic t;
    const std::pair<std::int8_t, core::Errc> kinds[] = {{1, core::Errc::kOk},
                                                        {1, core::Errc::kOk},
                                                        {0, core::Errc::kOk},
                                                        {0, core::Errc::kTxSignatureHighS}};
    std::uint8_t b = 1;
    for (const auto& [label, expected] : kinds) {
        TrafficTx tx;
        tx.hash = hash_of(b++);
        tx.label = label;
        tx.expected = expected;
        tx.typology = label == 1 ? "fraud:drain" : "honest:retail";
        t.txs.push_back(tx);
    }
    return t;
}

TEST(OutcomeTracker, ClassifiesByGroundTruth) {
    const Traffic t = four_txs();
    OutcomeTracker tracker(t);
    for (std::size_t i = 0; i < 4; ++i) tracker.on_sent(i, 1000);
    node::Admission refused;
    refused.hash = hash_of(4);
    refused.code = core::Errc::kTxSignatureHighS;
    tracker.on_admission(refused);
    node::BlockOutcome block;
    block.included = {hash_of(2), hash_of(3)};
    consensus::AggregatedFlag flag;
    flag.tx = hash_of(1);
    flag.excluded = true;
    block.flags = {flag};
    tracker.on_block(block, 251'000);

    const Detection d = tracker.detection();
    EXPECT_EQ(d.fraud.sent, 2U);
    EXPECT_EQ(d.fraud.excluded, 1U);
    EXPECT_EQ(d.fraud.executed, 1U);
    EXPECT_EQ(d.honest_valid.executed, 1U);
    EXPECT_EQ(d.honest_valid.kept_out(), 0U);
    EXPECT_EQ(d.honest_invalid.rejected, 1U);
    EXPECT_EQ(d.rejection_reasons.at(std::string(core::reason_name(core::Errc::kTxSignatureHighS))),
              1U);
    EXPECT_EQ(d.by_typology.at("fraud:drain").kept_out(), 1U);
    ASSERT_EQ(tracker.finality_us().size(), 2U);
    EXPECT_EQ(tracker.finality_us()[0], 250'000);
}

TEST(OutcomeTracker, AResendAdmittedLaterIsPendingAgain) {
    const Traffic t = four_txs();
    OutcomeTracker tracker(t);
    tracker.on_sent(2, 0);
    node::Admission a;
    a.hash = hash_of(3);
    a.code = core::Errc::kTxInsufficientFunds;
    tracker.on_admission(a);
    EXPECT_EQ(tracker.fate(2), Fate::kRejected);
    a.accepted = true;
    tracker.on_admission(a);
    EXPECT_EQ(tracker.fate(2), Fate::kPending);
}

TEST(OutcomeTracker, TransactionsOfAnEarlierRunAreNotCounted) {
    const Traffic t = four_txs();
    OutcomeTracker tracker(t);
    tracker.mark_earlier(0);
    tracker.on_sent(0, 0);
    EXPECT_EQ(tracker.fate(0), Fate::kEarlier);
    EXPECT_EQ(tracker.detection().fraud.sent, 0U);
}

}  // namespace
}  // namespace mfd::chain::sim
