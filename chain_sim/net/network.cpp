#include "chain_sim/net/network.hpp"

#include <algorithm>

namespace mfd::chain::net {

NetworkModel::NetworkModel(NetworkConfig config, std::size_t nodes)
    : config_(std::move(config)), nodes_(nodes), last_arrival_(nodes * nodes, 0) {
    for (const Partition& p : config_.partitions) {
        std::vector<bool> in(nodes, false);
        for (std::size_t n : p.side) {
            if (n < nodes) in[n] = true;
        }
        sides_.push_back(std::move(in));
    }
}

bool NetworkModel::cut(std::size_t a, std::size_t b, std::int64_t now) const noexcept {
    if (config_.heal_us && now >= *config_.heal_us) return false;
    for (std::size_t i = 0; i < config_.partitions.size(); ++i) {
        const Partition& p = config_.partitions[i];
        if (now >= p.start_us && now < p.end_us && sides_[i][a] != sides_[i][b]) return true;
    }
    return false;
}

std::int64_t NetworkModel::healed_at() const noexcept {
    std::int64_t t = config_.heal_us.value_or(0);
    for (const Partition& p : config_.partitions) t = std::max(t, p.end_us);
    return t;
}

std::optional<std::int64_t> NetworkModel::arrival(std::size_t from, std::size_t to,
                                                  std::int64_t now, Rng& rng) {
    if (cut(from, to, now)) return std::nullopt;
    const bool lossy = config_.loss > 0.0 && !(config_.heal_us && now >= *config_.heal_us);
    if (lossy && rng.chance(config_.loss)) return std::nullopt;
    const std::int64_t jitter = config_.jitter_us > 0 ? rng.uniform(0, config_.jitter_us) : 0;
    std::int64_t& last = last_arrival_[from * nodes_ + to];
    last = std::max(now + config_.base_latency_us + jitter, last);
    return last;
}

}  // namespace mfd::chain::net
