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

/// Transactions of signers "x" and "y" with their `after` lists, all valid in stream order.
Traffic chained(std::vector<std::pair<std::string, std::vector<std::uint64_t>>> spec) {
    Traffic t;
    std::uint8_t b = 1;
    for (auto& [who, after] : spec) {
        TrafficTx tx;
        tx.hash = hash_of(b++);
        tx.typology = "honest:retail";
        tx.signer = core::PrivateKey::derive(core::as_bytes(who)).address();
        tx.after = after;
        t.txs.push_back(tx);
    }
    return t;
}

node::Admission refusal(std::uint8_t h, core::Errc code, std::string reason = "") {
    node::Admission a;
    a.hash = hash_of(h);
    a.code = code;
    a.reason = std::move(reason);
    return a;
}

TEST(OutcomeTracker, EachKeptOutTransactionHasItsCause) {
    // 0 (x) excluded; 1 (y) needs 0: collateral; 2 (y) follows 1, whose credit was lost:
    // collateral; 3 (x) refused by the plugin: detector; 4 (x) refused for funds with nothing
    // lost: timing; 5 (x) refused for another rule: rules.
    const Traffic t = chained({{"x", {}}, {"y", {0}}, {"y", {}}, {"x", {}}, {"x", {}}, {"x", {}}});
    OutcomeTracker tracker(t);
    for (std::size_t i = 0; i < t.txs.size(); ++i) tracker.on_sent(i, 0);
    node::BlockOutcome block;
    consensus::AggregatedFlag flag;
    flag.tx = hash_of(1);
    flag.excluded = true;
    flag.flagged_power = 40;
    block.flags = {flag};
    tracker.on_block(block, 1);
    tracker.on_admission(refusal(2, core::Errc::kTxInsufficientFunds));
    tracker.on_admission(refusal(3, core::Errc::kTxInsufficientFunds));
    tracker.on_admission(refusal(4, core::Errc::kInvalidArgument, "plugin: FLAGGED"));
    tracker.on_admission(refusal(5, core::Errc::kTxInsufficientFunds));
    tracker.on_admission(refusal(6, core::Errc::kTxIntrinsicGasTooLow));
    const CauseContext none;
    EXPECT_EQ(tracker.cause_of(0, none), Cause::kDetector);
    EXPECT_EQ(tracker.cause_of(1, none), Cause::kCollateral);
    EXPECT_EQ(tracker.cause_of(2, none), Cause::kCollateral);
    EXPECT_EQ(tracker.cause_of(3, none), Cause::kDetector);
    EXPECT_EQ(tracker.cause_of(4, none), Cause::kTiming);
    EXPECT_EQ(tracker.cause_of(5, none), Cause::kRules);
    const CauseContext gap{[](std::size_t i) { return i == 4; }, {}};
    EXPECT_EQ(tracker.cause_of(4, gap), Cause::kCollateral);  // behind an unfilled nonce
    const Detection d = tracker.detection(none);
    const auto& by = d.honest_valid.kept_out_by_cause;
    EXPECT_EQ(by[static_cast<std::size_t>(Cause::kDetector)], 2U);
    EXPECT_EQ(by[static_cast<std::size_t>(Cause::kCollateral)], 2U);
    EXPECT_EQ(by[static_cast<std::size_t>(Cause::kTiming)], 1U);
    EXPECT_EQ(by[static_cast<std::size_t>(Cause::kRules)], 1U);
}

TEST(OutcomeTracker, ARefusalTheStreamPlannedIsTheRules) {
    Traffic t = four_txs();
    OutcomeTracker tracker(t);
    tracker.on_sent(3, 0);
    tracker.on_admission(refusal(4, core::Errc::kTxSignatureHighS));
    EXPECT_EQ(tracker.cause_of(3, {}), Cause::kRules);
}

TEST(OutcomeTracker, PendingAtTheEndCountsWhatWalletsStillHold) {
    const Traffic t = chained({{"x", {}}, {"y", {}}, {"x", {}}});
    OutcomeTracker tracker(t);
    tracker.on_sent(0, 0);
    const CauseContext waiting{{}, [](std::size_t i) { return i == 1; }};
    const Detection d = tracker.detection(waiting);
    EXPECT_EQ(d.pending_at_end, 2U);  // 0 sent and pending, 1 due and held back
    EXPECT_EQ(d.honest_valid.waiting, 1U);
    EXPECT_EQ(d.honest_valid.sent, 1U);
}

}  // namespace
}  // namespace mfd::chain::sim
