#pragma once
/// The network model of the simulation: per-link latency (base + jitter), loss, and partitions
/// that heal, all drawn from the simulation's seed. Links are FIFO (as TCP connections are).
/// Not thread-safe.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "chain_sim/net/rng.hpp"

namespace mfd::chain::net {

/// A split of the nodes into `side` and everyone else, from start_us until end_us.
struct Partition {
    std::int64_t start_us = 0;
    std::int64_t end_us = 0;
    std::vector<std::size_t> side;
};

/// How messages travel.
struct NetworkConfig {
    std::int64_t base_latency_us = 10'000;
    std::int64_t jitter_us = 5'000;
    double loss = 0.0;  ///< chance that one delivery is lost
    std::vector<Partition> partitions;
    /// From this time on the network is healed: no loss, no partition (none: loss never stops).
    std::optional<std::int64_t> heal_us;
};

class NetworkModel {
public:
    NetworkModel(NetworkConfig config, std::size_t nodes);

    /// When a message sent at `now` from `from` reaches `to`, or nothing when it is lost or cut
    /// by a partition.
    [[nodiscard]] std::optional<std::int64_t> arrival(std::size_t from, std::size_t to,
                                                      std::int64_t now, Rng& rng);
    /// True when a partition separates the two nodes at `now`.
    [[nodiscard]] bool cut(std::size_t a, std::size_t b, std::int64_t now) const noexcept;
    /// The time after which no partition is active and, when heal_us is set, no loss either.
    [[nodiscard]] std::int64_t healed_at() const noexcept;
    [[nodiscard]] const NetworkConfig& config() const noexcept { return config_; }

private:
    NetworkConfig config_;
    std::size_t nodes_;
    std::vector<std::vector<bool>> sides_;    // per partition: membership of each node
    std::vector<std::int64_t> last_arrival_;  // per link, for FIFO order
};

}  // namespace mfd::chain::net
