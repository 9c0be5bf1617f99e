// Property tests of consensus over many random scenarios (tests/consensus/scenario.cpp):
// agreement, validity, liveness after healing, slashing of observed equivocators, and the fraud
// rule against a Byzantine minority. Seeds 0..499 by default; MFD_CONSENSUS_SEEDS=N runs N seeds
// from MFD_CONSENSUS_SEED_FIRST (default 0); MFD_CONSENSUS_SEED=S replays one seed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include "tests/consensus/scenario.hpp"

namespace mfd::test {
namespace {

using chain::net::Simulation;
using consensus::Height;

constexpr int kShards = 4;

std::optional<std::uint64_t> env_number(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::strtoull(v, nullptr, 10);
}

std::vector<std::size_t> honest_nodes(const Simulation& sim) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < sim.size(); ++i) {
        if (sim.node(i).honest()) out.push_back(i);
    }
    return out;
}

// No two honest validators commit different blocks at one height.
void check_agreement(const Simulation& sim) {
    std::map<Height, consensus::BlockId> seen;
    for (std::size_t i : honest_nodes(sim)) {
        for (const auto& c : sim.commits(i)) {
            const auto [it, fresh] = seen.emplace(c.record.height, c.record.block->id());
            EXPECT_TRUE(fresh || it->second == c.record.block->id())
                << "node " << i << " committed another block at height " << c.record.height;
        }
    }
}

// The honest node furthest ahead.
std::size_t leader(const Simulation& sim) {
    std::size_t best = honest_nodes(sim).front();
    for (std::size_t i : honest_nodes(sim)) {
        if (sim.node(i).engine().chain().height() > sim.node(best).engine().chain().height()) {
            best = i;
        }
    }
    return best;
}

// Every committed block passes validation (engine rules + process_proposal) when an independent
// observer replays the chain from genesis.
void check_validity(const Simulation& sim, consensus::SignatureVerifier& verifier) {
    const consensus::Engine& source = sim.node(leader(sim)).engine();
    chain::net::TxListApp app;
    consensus::EngineConfig config{sim.config().params, {}, std::nullopt};
    for (const auto& n : sim.config().nodes) {
        if (n.genesis_power > 0)
            config.genesis.push_back({n.key.address(), n.key.public_key(), n.genesis_power});
    }
    auto auditor = std::move(*consensus::Engine::create(config, app, verifier));
    consensus::Effects fx;
    auditor->start(fx);
    for (Height h = 1; h <= source.chain().height(); ++h) {
        const consensus::DecisionPtr d = source.decision_at(h);
        ASSERT_TRUE(d) << "no decision kept for height " << h;
        auto valid = auditor->validate_block(*d->block);
        ASSERT_TRUE(valid) << "height " << h << ": " << valid.error().message;
        ASSERT_EQ(auditor->on_message(d, fx), consensus::Outcome::kAccepted) << "height " << h;
        fx.clear();
    }
}

// After the network heals every honest validator keeps committing, and a height the network
// starts after the healing (the first commit of its predecessor came after it) is decided in
// few rounds: at most one failed round per Byzantine validator, plus one.
void check_liveness(const Simulation& sim, const Scenario& s) {
    std::map<Height, std::int64_t> first_commit;
    std::map<Height, consensus::Round> round_of;
    for (std::size_t i : honest_nodes(sim)) {
        for (const auto& c : sim.commits(i)) {
            auto [it, fresh] = first_commit.emplace(c.record.height, c.at_us);
            if (!fresh) it->second = std::min(it->second, c.at_us);
            round_of[c.record.height] = std::max(round_of[c.record.height], c.record.round);
        }
    }
    const auto max_round = static_cast<consensus::Round>(s.byzantine_count + 1);
    for (const auto& [h, round] : round_of) {
        const auto prev = first_commit.find(h - 1);
        if (prev != first_commit.end() && prev->second > s.heal_us) {
            EXPECT_LE(round, max_round) << "height " << h << " needed round " << round
                                        << " although it started after the network healed";
        }
    }
    for (std::size_t i : honest_nodes(sim)) {
        if (sim.config().nodes[i].genesis_power == 0) continue;
        std::size_t after_heal = 0;
        for (const auto& c : sim.commits(i)) after_heal += c.at_us > s.heal_us ? 1 : 0;
        EXPECT_GE(after_heal, 5U) << "node " << i << " made too little progress after healing";
    }
}

// Every equivocator an honest validator saw is slashed; no honest validator is.
void check_slashing(const Simulation& sim) {
    const consensus::ChainState& chain = sim.node(leader(sim)).engine().chain();
    for (std::size_t i : honest_nodes(sim)) {
        for (const core::Address& who : sim.node(i).engine().observed_equivocators()) {
            const consensus::StakeRecord* rec = chain.stake(who);
            ASSERT_NE(rec, nullptr);
            EXPECT_EQ(rec->status, consensus::StakeStatus::kTombstoned)
                << "equivocator " << who.hex() << " seen by node " << i << " was not slashed";
        }
    }
    for (std::size_t i = 0; i < sim.size(); ++i) {
        const consensus::StakeRecord* rec = chain.stake(sim.node(i).address());
        if (rec == nullptr || rec->status != consensus::StakeStatus::kTombstoned) continue;
        EXPECT_NE(sim.node(i).behaviours() & chain::net::kEquivocate, 0U)
            << "node " << i << " was slashed without equivocating";
    }
}

// No fraudulent transaction executes; every honest one submitted in time does.
void check_fraud_rule(const Simulation& sim, const Scenario& s) {
    for (std::size_t i : honest_nodes(sim)) {
        for (const core::Hash& h : sim.node(i).app().executed()) {
            EXPECT_EQ(s.fraud_txs.count(h), 0U) << "node " << i << " executed fraud tx " << h.hex();
        }
    }
    const chain::net::TxListApp& app = sim.node(leader(sim)).app();
    for (const auto& [at, h] : s.honest_txs) {
        if (at < s.honest_deadline_us) {
            EXPECT_TRUE(app.was_executed(h))
                << "honest tx " << h.hex() << " (submitted at " << at / 1000 << " ms) was kept out";
        }
    }
}

void run_seed(std::uint64_t seed) {
    const Scenario s = make_scenario(seed);
    SCOPED_TRACE("replay with MFD_CONSENSUS_SEED=" + std::to_string(seed) + "\n" + s.describe());
    consensus::CachingVerifier verifier(1 << 15);
    auto sim = Simulation::create(s.config, &verifier);
    ASSERT_TRUE(sim) << sim.error().message;
    (*sim)->run();
    check_agreement(**sim);
    ASSERT_NO_FATAL_FAILURE(check_validity(**sim, verifier));
    check_liveness(**sim, s);
    check_slashing(**sim);
    check_fraud_rule(**sim, s);
}

class ConsensusProperties : public ::testing::TestWithParam<int> {};

TEST_P(ConsensusProperties, HoldOverRandomScenarios) {
    if (const auto one = env_number("MFD_CONSENSUS_SEED")) {
        if (GetParam() == 0) run_seed(*one);
        return;
    }
    const std::uint64_t first = env_number("MFD_CONSENSUS_SEED_FIRST").value_or(0);
    const std::uint64_t end = first + env_number("MFD_CONSENSUS_SEEDS").value_or(500);
    for (std::uint64_t seed = first + static_cast<std::uint64_t>(GetParam()); seed < end;
         seed += kShards) {
        run_seed(seed);
        if (HasFailure()) return;  // the trace above names the seed to replay
    }
}

INSTANTIATE_TEST_SUITE_P(Shards, ConsensusProperties, ::testing::Range(0, kShards));

}  // namespace
}  // namespace mfd::test
