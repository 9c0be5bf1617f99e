#include "tests/consensus/scenario.hpp"

#include <algorithm>
#include <sstream>

namespace mfd::test {

using chain::net::kAllBehaviours;
using chain::net::NodeSpec;
using chain::net::Rng;
using chain::net::SimTx;
using chain::net::TxKind;

core::PrivateKey node_key(std::uint64_t seed, std::size_t i) {
    return core::PrivateKey::derive(
        core::as_bytes("scenario-" + std::to_string(seed) + "-node-" + std::to_string(i)));
}

namespace {

// Marks random validators Byzantine while their stake stays below a third of the total.
void pick_byzantine(Rng& rng, Scenario& s, std::size_t validators) {
    std::int64_t total = 0;
    for (const NodeSpec& n : s.config.nodes) total += n.genesis_power;
    std::int64_t byz = 0;
    const std::size_t wanted = static_cast<std::size_t>(rng.uniform(0, 2));
    for (std::size_t k = 0; k < wanted; ++k) {
        const auto i =
            static_cast<std::size_t>(rng.uniform(0, static_cast<std::int64_t>(validators) - 1));
        NodeSpec& n = s.config.nodes[i];
        if (n.behaviours != 0 || 3 * (byz + n.genesis_power) >= total) continue;
        n.behaviours = static_cast<std::uint32_t>(rng.uniform(1, kAllBehaviours));
        byz += n.genesis_power;
        ++s.byzantine_count;
    }
}

void make_network(Rng& rng, Scenario& s, std::size_t nodes) {
    chain::net::NetworkConfig& net = s.config.network;
    net.base_latency_us = rng.uniform(5'000, 25'000);
    net.jitter_us = rng.uniform(0, 15'000);
    net.loss = static_cast<double>(rng.uniform(0, 10)) / 100.0;
    const auto partitions = rng.uniform(0, 2);
    std::int64_t heal = rng.uniform(300'000, 1'500'000);
    for (std::int64_t p = 0; p < partitions; ++p) {
        chain::net::Partition part;
        part.start_us = rng.uniform(0, 1'500'000);
        part.end_us = part.start_us + rng.uniform(200'000, 1'500'000);
        for (std::size_t i = 0; i < nodes; ++i) {
            if (rng.chance(0.5)) part.side.push_back(i);
        }
        heal = std::max(heal, part.end_us);
        net.partitions.push_back(std::move(part));
    }
    net.heal_us = heal;
    s.heal_us = heal;
}

void make_transactions(Rng& rng, Scenario& s) {
    const auto count = rng.uniform(6, 12);
    s.honest_deadline_us = s.heal_us + 1'500'000;
    for (std::int64_t i = 0; i < count; ++i) {
        SimTx tx{rng.chance(0.3) ? TxKind::kFraud : TxKind::kTransfer,
                 static_cast<std::uint64_t>(i) + 1,
                 {},
                 0};
        const std::int64_t at = rng.uniform(0, s.honest_deadline_us);
        s.config.txs.push_back({at, tx});
        const core::Hash h = chain::net::tx_hash(chain::net::encode_tx(tx));
        if (tx.kind == TxKind::kFraud) {
            s.fraud_txs.insert(h);
        } else {
            s.honest_txs.emplace_back(at, h);
        }
    }
}

}  // namespace

Scenario make_scenario(std::uint64_t seed) {
    Scenario s;
    s.seed = seed;
    Rng rng(seed * 0x9e3779b97f4a7c15ULL + 1);
    const auto validators = static_cast<std::size_t>(rng.uniform(4, 7));
    for (std::size_t i = 0; i < validators; ++i) {
        NodeSpec n;
        n.key = node_key(seed, i);
        n.genesis_power = rng.uniform(1, 10);
        s.config.nodes.push_back(n);
    }
    pick_byzantine(rng, s, validators);
    const bool bonding = rng.chance(0.3);
    if (bonding) {
        NodeSpec joiner;
        joiner.key = node_key(seed, validators);
        s.config.nodes.push_back(joiner);
    }
    make_network(rng, s, s.config.nodes.size());
    make_transactions(rng, s);
    if (bonding) {
        const core::PrivateKey& k = s.config.nodes.back().key;
        s.config.txs.push_back({rng.uniform(0, s.heal_us),
                                SimTx{TxKind::kBond, 1000, k.public_key(), rng.uniform(1, 10)}});
    }
    s.config.seed = seed;
    s.config.params.downtime_window = 1000;  // partitions must not jail honest validators here
    s.config.params.downtime_max_missed = 900;
    s.config.duration_us = s.heal_us + 4'000'000;
    return s;
}

std::string Scenario::describe() const {
    std::ostringstream out;
    out << "seed " << seed << ": heal at " << heal_us / 1000 << " ms, latency "
        << config.network.base_latency_us / 1000 << "+" << config.network.jitter_us / 1000
        << " ms, loss " << config.network.loss << ", partitions "
        << config.network.partitions.size() << "\n";
    for (std::size_t i = 0; i < config.nodes.size(); ++i) {
        out << "  node " << i << ": power " << config.nodes[i].genesis_power << ", "
            << chain::net::behaviour_names(config.nodes[i].behaviours) << "\n";
    }
    return out.str();
}

}  // namespace mfd::test
