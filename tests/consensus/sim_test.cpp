// The simulated network and the staking rules it exercises: determinism, partitions that heal,
// FIFO links and loss, the wire codec, slashing, jailing, bonding and unbonding.
#include <gtest/gtest.h>

#include "chain_sim/net/simulation.hpp"
#include "tests/consensus/fixtures.hpp"

namespace mfd::test {
namespace {

using chain::net::NodeSpec;
using chain::net::SimConfig;
using chain::net::SimTx;
using chain::net::Simulation;
using chain::net::TxKind;

SimConfig network_of(int validators, std::int64_t power = 100, int extra = 0) {
    SimConfig c;
    c.seed = 11;
    for (int i = 0; i < validators + extra; ++i) {
        NodeSpec n;
        n.key = key(i);
        n.genesis_power = i < validators ? power : 0;
        c.nodes.push_back(n);
    }
    c.duration_us = 3'000'000;
    return c;
}

std::unique_ptr<Simulation> run(const SimConfig& c) {
    auto sim = Simulation::create(c);
    EXPECT_TRUE(sim) << sim.error().message;
    if (!sim) return nullptr;
    (*sim)->run();
    return std::move(*sim);
}

std::vector<BlockId> chain_of(const Simulation& sim, std::size_t node) {
    std::vector<BlockId> out;
    for (const auto& c : sim.commits(node)) out.push_back(c.record.block->id());
    return out;
}

TEST(Simulation, SameSeedReplaysExactly) {
    SimConfig c = network_of(4);
    c.network.loss = 0.05;
    c.network.jitter_us = 8'000;
    c.nodes[2].behaviours = chain::net::kEquivocate;
    c.txs.push_back({50'000, SimTx{TxKind::kFraud, 1, {}, 0}});
    const auto a = run(c);
    const auto b = run(c);
    ASSERT_TRUE(a && b);
    EXPECT_GT(a->commits(0).size(), 5U);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(chain_of(*a, i), chain_of(*b, i));
    EXPECT_EQ(a->counters().deliveries, b->counters().deliveries);
    EXPECT_EQ(a->counters().lost, b->counters().lost);
    c.seed = 12;
    const auto other = run(c);
    EXPECT_NE(other->counters().deliveries, a->counters().deliveries);
}

TEST(Simulation, IsolatedValidatorCatchesUpAfterHealing) {
    SimConfig c = network_of(4);
    c.network.partitions.push_back({0, 1'500'000, {0}});
    auto sim = Simulation::create(c);
    ASSERT_TRUE(sim);
    (*sim)->run_until(1'400'000);
    EXPECT_EQ((*sim)->node(0).engine().chain().height(), 0);  // alone: no quorum
    EXPECT_GT((*sim)->node(1).engine().chain().height(), 5);  // 3 of 4 still commit
    (*sim)->run();
    const auto lead = (*sim)->node(1).engine().chain().height();
    EXPECT_GE((*sim)->node(0).engine().chain().height(), lead - 2);
    const auto caught_up = chain_of(**sim, 0);
    const auto reference = chain_of(**sim, 1);
    ASSERT_LE(caught_up.size(), reference.size());
    EXPECT_TRUE(std::equal(caught_up.begin(), caught_up.end(), reference.begin()));
}

TEST(Simulation, EvenSplitStallsUntilHealed) {
    SimConfig c = network_of(4);
    c.network.partitions.push_back({0, 1'000'000, {0, 1}});
    auto sim = Simulation::create(c);
    ASSERT_TRUE(sim);
    (*sim)->run_until(990'000);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ((*sim)->node(i).engine().chain().height(), 0);
    (*sim)->run();
    for (std::size_t i = 0; i < 4; ++i) EXPECT_GT((*sim)->node(i).engine().chain().height(), 3);
}

TEST(NetworkModel, LinksAreFifoAndPartitionsCut) {
    chain::net::NetworkConfig cfg;
    cfg.base_latency_us = 1'000;
    cfg.jitter_us = 50'000;
    cfg.partitions.push_back({100, 200, {1}});
    chain::net::NetworkModel net(cfg, 3);
    chain::net::Rng rng(5);
    std::int64_t last = 0;
    for (std::int64_t t = 0; t < 100; ++t) {
        const auto at = net.arrival(0, 2, t, rng);
        ASSERT_TRUE(at);
        EXPECT_GE(*at, last);
        EXPECT_GE(*at, t + 1'000);
        last = *at;
    }
    EXPECT_FALSE(net.arrival(0, 1, 150, rng));
    EXPECT_TRUE(net.arrival(0, 2, 150, rng));
    EXPECT_TRUE(net.arrival(0, 1, 200, rng));
    EXPECT_EQ(net.healed_at(), 200);

    cfg.partitions.clear();
    cfg.loss = 1.0;
    cfg.heal_us = 500;
    chain::net::NetworkModel lossy(cfg, 2);
    EXPECT_FALSE(lossy.arrival(0, 1, 10, rng));
    EXPECT_TRUE(lossy.arrival(0, 1, 500, rng));
}

TEST(Simulation, WireCodecModeDecodesEveryMessage) {
    SimConfig c = network_of(4);
    c.wire_codec = true;
    c.nodes[3].behaviours = chain::net::kForgeExtension | chain::net::kEquivocate;
    c.txs.push_back({10'000, SimTx{TxKind::kTransfer, 1, {}, 0}});
    const auto sim = run(c);
    ASSERT_TRUE(sim);
    EXPECT_EQ(sim->counters().malformed, 0U);
    EXPECT_GT(sim->node(0).engine().chain().height(), 5);
    EXPECT_TRUE(sim->node(0).app().was_executed(
        chain::net::tx_hash(chain::net::encode_tx(SimTx{TxKind::kTransfer, 1, {}, 0}))));
}

// The height at which `who` first appears in a commit summary's updates, or 0.
Height update_height(const Simulation& sim, const core::Address& who) {
    for (const auto& c : sim.commits(0)) {
        for (const auto& u : c.record.summary.updates) {
            if (u.address == who) return c.record.height;
        }
    }
    return 0;
}

TEST(Staking, EquivocatorIsSlashedAndRemovedTwoHeightsLater) {
    SimConfig c = network_of(4);
    c.nodes[3].behaviours = chain::net::kEquivocate;
    const auto sim = run(c);
    ASSERT_TRUE(sim);
    const auto& chain = sim->node(0).engine().chain();
    const core::Address cheat = key(3).address();
    const auto* rec = chain.stake(cheat);
    ASSERT_NE(rec, nullptr);
    EXPECT_EQ(rec->status, consensus::StakeStatus::kTombstoned);
    EXPECT_EQ(rec->stake, 95);  // 5% of 100 slashed
    const Height h = update_height(*sim, cheat);
    ASSERT_GT(h, 0);
    bool reported = false;
    for (const auto& cr : sim->commits(0)) {
        for (const auto& m : cr.record.summary.slashed)
            reported |= m.validator == cheat && m.slashed == 5;
    }
    EXPECT_TRUE(reported);
    EXPECT_EQ(sim->node(1).engine().chain().stake(cheat)->status,
              consensus::StakeStatus::kTombstoned);
    ASSERT_LT(h + 2, chain.height());
    // The evidence is applied at height h: the set of h + 1 was fixed before it and still holds
    // the cheat; from h + 2 on it is gone.
    ASSERT_NE(chain.validators_at(h + 1), nullptr);
    EXPECT_GE(chain.validators_at(h + 1)->index_of(cheat), 0);
    ASSERT_NE(chain.validators_at(h + 2), nullptr);
    EXPECT_LT(chain.validators_at(h + 2)->index_of(cheat), 0);
}

TEST(Staking, SilentValidatorIsJailed) {
    SimConfig c = network_of(4);
    c.params.downtime_window = 10;
    c.params.downtime_max_missed = 5;
    c.nodes[3].behaviours = chain::net::kSilent;
    const auto sim = run(c);
    ASSERT_TRUE(sim);
    const auto& chain = sim->node(0).engine().chain();
    EXPECT_EQ(chain.stake(key(3).address())->status, consensus::StakeStatus::kJailed);
    EXPECT_LT(chain.validators().index_of(key(3).address()), 0);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(chain.stake(key(i).address())->status, consensus::StakeStatus::kBonded);
    }
}

TEST(Staking, BondingAndUnbondingTakeEffectTwoHeightsLater) {
    SimConfig c = network_of(4, 100, 1);
    c.txs.push_back({50'000, SimTx{TxKind::kBond, 1, key(4).public_key(), 50}});
    c.txs.push_back({50'000, SimTx{TxKind::kUnbond, 2, key(2).public_key(), 0}});
    const auto sim = run(c);
    ASSERT_TRUE(sim);
    const auto& chain = sim->node(0).engine().chain();
    const Height bonded = update_height(*sim, key(4).address());
    const Height unbonded = update_height(*sim, key(2).address());
    ASSERT_GT(bonded, 0);
    ASSERT_GT(unbonded, 0);
    ASSERT_LT(std::max(bonded, unbonded) + 2, chain.height());
    EXPECT_LT(chain.validators_at(bonded + 1)->index_of(key(4).address()), 0);
    EXPECT_GE(chain.validators_at(bonded + 2)->index_of(key(4).address()), 0);
    EXPECT_GE(chain.validators_at(unbonded + 1)->index_of(key(2).address()), 0);
    EXPECT_LT(chain.validators_at(unbonded + 2)->index_of(key(2).address()), 0);
    EXPECT_EQ(chain.stake(key(2).address())->status, consensus::StakeStatus::kUnbonded);
    // The new validator votes: its precommit appears in the last block's extended commit.
    bool signed_commit = false;
    for (const auto& v : chain.last_block()->block().last_commit.votes) {
        signed_commit |= v->vote().validator == key(4).address();
    }
    EXPECT_TRUE(signed_commit);
}

TEST(Staking, ForgedExtensionsAreRejectedAndCounted) {
    SimConfig c = network_of(4);
    c.nodes[3].behaviours = chain::net::kForgeExtension;
    const auto sim = run(c);
    ASSERT_TRUE(sim);
    EXPECT_GT(sim->node(0).engine().stats().count(consensus::Outcome::kBadSignature), 0U);
    EXPECT_GT(sim->node(0).engine().chain().height(), 5);
}

}  // namespace
}  // namespace mfd::test
