#pragma once
// Random scenarios for the consensus property tests: validators with random stake, a Byzantine
// minority (< 1/3 of stake) with random behaviours, a lossy network with partitions that heal,
// honest and fraudulent transactions, sometimes a validator that bonds mid-run. Everything
// follows from the seed.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "chain_sim/net/simulation.hpp"

namespace mfd::test {

struct Scenario {
    std::uint64_t seed = 0;
    chain::net::SimConfig config;
    std::int64_t heal_us = 0;             ///< no partition or loss from here on
    std::int64_t honest_deadline_us = 0;  ///< honest txs submitted before must execute
    std::set<core::Hash> fraud_txs;
    std::vector<std::pair<std::int64_t, core::Hash>> honest_txs;  ///< (submitted at, hash)
    std::size_t byzantine_count = 0;

    /// One line per node and the network, for failure messages.
    [[nodiscard]] std::string describe() const;
};

/// The scenario of `seed`.
[[nodiscard]] Scenario make_scenario(std::uint64_t seed);

/// The key of simulated node `i` of scenario `seed`.
[[nodiscard]] core::PrivateKey node_key(std::uint64_t seed, std::size_t i);

}  // namespace mfd::test
