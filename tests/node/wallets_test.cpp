// The wallets of a run: a transaction is sent at its time, after its signer's previous one, and
// only once what it depends on (`after`) is decided; a kept-out nonce is filled with a cancel;
// a planted transaction keeps its place among its signer's.
#include "chain_sim/sim/wallets.hpp"

#include <gtest/gtest.h>

#include "core/keccak.hpp"
#include "core/transaction.hpp"

namespace mfd::chain::sim {
namespace {

core::PrivateKey key_of(const std::string& who) {
    return core::PrivateKey::derive(core::as_bytes(who));
}

/// A signed transfer of `who` with `nonce`, as a traffic transaction with `after`.
TrafficTx transfer(const std::string& who, std::uint64_t nonce, std::vector<std::uint64_t> after) {
    core::Transaction tx;
    tx.type = core::TxType::kDynamicFee;
    tx.nonce = nonce;
    tx.to = key_of("someone").address();
    tx.value = 1;
    tx.gas_limit = 21'000;
    tx.max_fee_per_gas = 3'000'000'000ULL;
    tx.max_priority_fee_per_gas = 1'000'000'000ULL;
    tx.chain_id = 1337;
    TrafficTx t;
    t.tx = *core::sign_transaction(tx, key_of(who), 1337);
    t.raw = core::encode_transaction(t.tx);
    t.hash = core::keccak256(t.raw);
    t.signer = key_of(who).address();
    t.key = key_of(who);
    t.after = std::move(after);
    t.typology = "honest:retail";
    return t;
}

struct Sent {
    std::size_t tag;
    std::int64_t at;
    core::Bytes raw;
};

std::vector<Sent> release(Wallets& w, std::int64_t until) {
    std::vector<Sent> out;
    w.release(until, [&](const WalletSend& s) {
        out.push_back({s.tag, s.at_us, core::Bytes(s.raw.begin(), s.raw.end())});
    });
    return out;
}

class WalletsTest : public ::testing::Test {
protected:
    void SetUp() override {
        // 0: x's first; 1: y's, spending what 0 sends it; 2: x's second.
        traffic_.header.chain.chain_id = 1337;
        traffic_.txs = {transfer("x", 0, {}), transfer("y", 0, {0}), transfer("x", 1, {})};
    }
    Traffic traffic_;
};

TEST_F(WalletsTest, ATransactionWaitsForWhatItNeedsAndFollowsItsSignersPrevious) {
    Wallets w(traffic_, {0, 10, 20}, {}, 100);
    auto first = release(w, 1000);
    ASSERT_EQ(first.size(), 2U);  // 0 at its time, then 2 right after it; 1 waits for 0
    EXPECT_EQ(first[0].tag, 0U);
    EXPECT_EQ(first[1].tag, 2U);
    EXPECT_TRUE(w.waiting(1, 1000));
    w.on_admission(traffic_.txs[0].hash, true, false, 30);
    EXPECT_TRUE(release(w, 2000).empty());  // admitted is not executed
    w.on_executed(traffic_.txs[0].hash, 5000);
    auto second = release(w, 10'000);
    ASSERT_EQ(second.size(), 1U);
    EXPECT_EQ(second[0].tag, 1U);
    EXPECT_EQ(second[0].at, 5100);  // the wallet notices within its reaction time
    EXPECT_FALSE(w.waiting(1, 10'000));
}

TEST_F(WalletsTest, AKeptOutNonceIsFilledWithACancelThenTheNextExecutes) {
    Wallets w(traffic_, {0, 10, 20}, {}, 100);
    (void)release(w, 100);
    w.on_kept_out(traffic_.txs[0].hash, 1000);
    const auto sent = release(w, 5000);
    ASSERT_EQ(sent.size(), 2U);  // 1 (its dependency is decided) and the cancel
    const auto cancel =
        std::find_if(sent.begin(), sent.end(), [](const Sent& s) { return s.tag == kWalletTag; });
    ASSERT_NE(cancel, sent.end());
    auto tx = core::decode_transaction(cancel->raw);
    ASSERT_TRUE(tx);
    EXPECT_EQ(tx->nonce, 0U);
    EXPECT_EQ(*tx->to, *traffic_.txs[0].signer);
    EXPECT_TRUE(tx->value.is_zero());
    EXPECT_GT(tx->max_fee_per_gas, traffic_.txs[0].tx.max_fee_per_gas);
    EXPECT_TRUE(w.blocked_by_gap(2));
    w.on_executed(core::keccak256(cancel->raw), 2000);
    EXPECT_FALSE(w.blocked_by_gap(2));
    EXPECT_EQ(w.counters().cancels_executed, 1U);
}

TEST_F(WalletsTest, WithoutAKeyTheGapStaysAndTheLaterNoncesAreGivenUp) {
    for (auto& t : traffic_.txs) t.key.reset();
    Wallets w(traffic_, {0, 10, 20}, {}, 100);
    (void)release(w, 100);
    w.on_kept_out(traffic_.txs[0].hash, 1000);
    EXPECT_TRUE(w.blocked_by_gap(2));
    EXPECT_TRUE(w.gave_up_on(2));
    EXPECT_EQ(w.counters().gaps_unfilled, 1U);
    EXPECT_FALSE(w.gave_up_on(1));
}

TEST_F(WalletsTest, WhatAnEarlierRunExecutedIsNotSentAgain) {
    Wallets w(traffic_, {0, 10, 20}, {true, false, false}, 100);
    const auto sent = release(w, 1000);
    ASSERT_EQ(sent.size(), 2U);
    EXPECT_EQ(sent[0].tag, 2U);  // x's second, at its time
    EXPECT_EQ(sent[1].tag, 1U);  // y's, once the wallet saw 0 executed
    EXPECT_EQ(sent[1].at, 100);
}

// One signer's records reach the chain in stream order: a planted stale copy waits until the
// nonce it repeats is executed, and the signer's next transaction waits until it was refused.
TEST(Wallets, ASignersNextTransactionWaitsForItsPlantedStaleCopyToBeRefused) {
    Traffic traffic;
    traffic.header.chain.chain_id = 1337;
    TrafficTx stale = transfer("x", 0, {});
    stale.tx.value = 2;
    stale.tx = *core::sign_transaction(stale.tx, key_of("x"), 1337);
    stale.raw = core::encode_transaction(stale.tx);
    stale.hash = core::keccak256(stale.raw);
    stale.expected = core::Errc::kTxNonceTooLow;
    traffic.txs = {transfer("x", 0, {}), stale, transfer("x", 1, {})};
    Wallets w(traffic, {0, 10, 20}, {}, 100);
    const auto first = release(w, 1000);
    ASSERT_EQ(first.size(), 1U) << "the next waits for the stale copy, which waits for 0";
    EXPECT_EQ(first[0].tag, 0U);
    w.on_executed(traffic.txs[0].hash, 2000);
    const auto copy = release(w, 3000);
    ASSERT_EQ(copy.size(), 1U);
    EXPECT_EQ(copy[0].tag, 1U);
    EXPECT_EQ(copy[0].at, 2100);
    w.on_kept_out(traffic.txs[1].hash, 2200);
    const auto next = release(w, 4000);
    ASSERT_EQ(next.size(), 1U);
    EXPECT_EQ(next[0].tag, 2U);
    EXPECT_EQ(next[0].at, 2300);
    EXPECT_EQ(w.counters().cancels_sent, 0U) << "a refused stale copy leaves no gap";
}

}  // namespace
}  // namespace mfd::chain::sim
