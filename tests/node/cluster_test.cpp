// A block's life across 4 real nodes: admission, announcement, flags in vote extensions, the
// flag rule, execution and commit in RocksDB; determinism; resume after the nodes are destroyed.
#include <gtest/gtest.h>

#include <array>

#include "chain_sim/net/node.hpp"
#include "storage/chain_records.hpp"
#include "tests/node/cluster.hpp"

namespace mfd::chain::test {
namespace {

using Hooks = std::shared_ptr<node::FraudHooks>;

std::unordered_set<core::Hash> valid_fraud(const sim::Traffic& traffic) {
    std::unordered_set<core::Hash> out;
    for (const auto& tx : traffic.txs) {
        if (tx.label == 1 && tx.expected == core::Errc::kOk) out.insert(tx.hash);
    }
    return out;
}

/// What every validator must agree on at a height: the state, transactions and receipts roots.
/// (Block hashes differ: each validator stores the decision as it saw it, with its own set of
/// precommits, in the block's consensus payload.)
std::array<core::Hash, 3> roots_at(const node::Node& n, std::uint64_t height) {
    auto b = storage::get_block(n.store(), height);
    EXPECT_TRUE(b && *b) << "block " << height;
    if (!b || !*b) return {};
    const auto& h = (*b)->header;
    return {h.state_root, h.transactions_root, h.receipts_root};
}

core::Hash block_hash_at(const node::Node& n, std::uint64_t height) {
    auto b = storage::get_block(n.store(), height);
    EXPECT_TRUE(b && *b) << "block " << height;
    return b && *b ? core::block_hash((*b)->header) : core::Hash{};
}

bool executed(const node::Node& n, const core::Hash& tx) {
    auto stored = storage::get_transaction(n.store(), tx);
    return stored && *stored;
}

TEST(Cluster, TransactionsFlaggedByEveryValidatorNeverExecute) {
    TempDir dir;
    const auto& traffic = small_traffic();
    const auto fraud = valid_fraud(traffic);
    ASSERT_FALSE(fraud.empty());
    Cluster c(dir.path(), traffic,
              [&](std::size_t) -> Hooks { return std::make_shared<node::ListedHooks>(fraud); });
    ASSERT_TRUE(c.run_to(20));
    std::size_t excluded = 0;
    std::size_t included = 0;
    for (const auto& b : c.blocks()) {
        included += b.included.size();
        for (const auto& f : b.flags) {
            EXPECT_TRUE(fraud.contains(f.tx));
            excluded += f.excluded ? 1 : 0;
        }
    }
    EXPECT_GT(excluded, 0U);
    EXPECT_GT(included, 50U);
    for (const auto& h : fraud) {
        for (std::size_t i = 0; i < 4; ++i) EXPECT_FALSE(executed(c.node(i), h));
    }
    for (std::size_t i = 1; i < 4; ++i) {
        EXPECT_EQ(roots_at(c.node(i), 20), roots_at(c.node(0), 20));
    }
}

TEST(Cluster, WithoutFlagsTheSameTransactionsExecute) {
    TempDir dir;
    const auto& traffic = small_traffic();
    const auto fraud = valid_fraud(traffic);
    Cluster c(dir.path(), traffic, [](std::size_t) -> Hooks { return nullptr; });
    ASSERT_TRUE(c.run_to(20));
    std::size_t fraud_executed = 0;
    for (const auto& h : fraud) fraud_executed += executed(c.node(0), h) ? 1 : 0;
    EXPECT_GT(fraud_executed, 0U);
}

TEST(Cluster, OneValidatorsFlagsAreBelowTheShareAndExcludeNothing) {
    TempDir dir;
    const auto& traffic = small_traffic();
    const auto fraud = valid_fraud(traffic);
    Cluster c(dir.path(), traffic, [&](std::size_t i) -> Hooks {
        return std::make_shared<node::ListedHooks>(i == 0 ? fraud
                                                          : std::unordered_set<core::Hash>{});
    });
    ASSERT_TRUE(c.run_to(15));
    bool flagged = false;
    for (const auto& b : c.blocks()) {
        for (const auto& f : b.flags) {
            flagged = true;
            EXPECT_FALSE(f.excluded);
            EXPECT_EQ(f.flagged_power * 4, f.total_power);
        }
    }
    EXPECT_TRUE(flagged);
}

TEST(Cluster, TheSameSeedReplaysTheSameChain) {
    TempDir a;
    TempDir b;
    const auto& traffic = small_traffic();
    const auto fraud = valid_fraud(traffic);
    const auto hooks = [&](std::size_t) -> Hooks {
        return std::make_shared<node::ListedHooks>(fraud);
    };
    Cluster first(a.path(), traffic, hooks, 11);
    Cluster second(b.path(), traffic, hooks, 11);
    ASSERT_TRUE(first.run_to(12));
    ASSERT_TRUE(second.run_to(12));
    for (std::uint64_t h = 1; h <= 12; ++h) {
        EXPECT_EQ(block_hash_at(first.node(0), h), block_hash_at(second.node(0), h)) << h;
    }
}

TEST(Cluster, ReopenedNodesResumeAtTheirCommittedHeight) {
    TempDir dir;
    const auto& traffic = small_traffic();
    std::vector<core::Hash> before;
    {
        Cluster c(dir.path(), traffic, [](std::size_t) -> Hooks { return nullptr; });
        ASSERT_TRUE(c.run_to(6));
        for (std::uint64_t h = 1; h <= 6; ++h) before.push_back(block_hash_at(c.node(0), h));
    }
    std::vector<std::shared_ptr<node::ListedHooks>> hooks;
    Cluster c(dir.path(), traffic, [&](std::size_t) -> Hooks {
        hooks.push_back(std::make_shared<node::ListedHooks>(std::unordered_set<core::Hash>{}));
        return hooks.back();
    });
    EXPECT_GE(c.node(0).opened_at(), 6U);
    ASSERT_EQ(hooks.size(), 4U);
    // The detector missed blocks 1..6: replaying them finalises them for it, in order.
    const auto replayed = hooks[0]->finalized();
    ASSERT_GE(replayed.size(), 6U);
    for (std::uint64_t h = 1; h <= 6; ++h) EXPECT_EQ(replayed[h - 1], h);
    ASSERT_TRUE(c.run_to(c.node(0).opened_at() + 4));
    for (std::uint64_t h = 1; h <= 6; ++h) EXPECT_EQ(block_hash_at(c.node(0), h), before[h - 1]);
    EXPECT_GT(c.blocks().size(), 0U);
    EXPECT_EQ(c.blocks().front().height, c.node(0).opened_at() + 1);
}

TEST(Cluster, ChainRefusalsReachTheDetectorWithTheirReason) {
    TempDir dir;
    const auto& traffic = small_traffic();
    std::unordered_set<core::Hash> stale;
    for (const auto& tx : traffic.txs) {
        if (tx.expected == core::Errc::kTxNonceTooLow) stale.insert(tx.hash);
    }
    ASSERT_FALSE(stale.empty()) << "the traffic has no transaction with a spent nonce";
    std::vector<std::shared_ptr<node::ListedHooks>> hooks;
    Cluster c(dir.path(), traffic, [&](std::size_t) -> Hooks {
        hooks.push_back(std::make_shared<node::ListedHooks>(std::unordered_set<core::Hash>{}));
        return hooks.back();
    });
    ASSERT_TRUE(c.run_to(20));
    // The cluster sends at the stream's times, not as a wallet waiting for the nonce to be
    // spent: send the spent-nonce copies to validator 0 again now that 20 blocks are in.
    for (const auto& tx : traffic.txs) {
        if (stale.contains(tx.hash)) (void)c.node(0).admit(tx.raw);
    }
    std::size_t reported = 0;
    for (const auto& [hash, why] : hooks[0]->refused()) {
        if (!stale.contains(hash)) continue;
        EXPECT_EQ(why, plugin::Refusal::kNonceTooLow);
        ++reported;
    }
    EXPECT_GT(reported, 0U) << "no spent-nonce refusal was reported to validator 0's detector";
}

TEST(Cluster, AnEquivocatingValidatorIsSlashed) {
    TempDir dir;
    const auto& traffic = small_traffic();
    Cluster c(dir.path(), traffic, [](std::size_t) -> Hooks { return nullptr; }, 5,
              {{3, net::kEquivocate}});
    ASSERT_TRUE(c.run_to(8));
    const core::Address byzantine = sim::validator_key(3).address();
    bool slashed = false;
    for (const auto& b : c.blocks()) {
        for (const auto& m : b.slashed) slashed = slashed || m.validator == byzantine;
    }
    EXPECT_TRUE(slashed);
}

TEST(Cluster, ASilentValidatorDoesNotStopTheChain) {
    TempDir dir;
    Cluster c(dir.path(), small_traffic(), [](std::size_t) -> Hooks { return nullptr; }, 5,
              {{2, net::kSilent}});
    ASSERT_TRUE(c.run_to(5));
    EXPECT_EQ(roots_at(c.node(2), 5), roots_at(c.node(0), 5));
}

}  // namespace
}  // namespace mfd::chain::test
