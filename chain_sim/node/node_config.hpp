#pragma once
/// What a validator node is made of: where its chain lives, the chain and consensus parameters
/// every validator shares, its key, its mempool bounds, and (for simulated Byzantine
/// validators) how it misuses its vote extension. Plain values.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "chain_sim/chain_config.hpp"
#include "chain_sim/mempool.hpp"
#include "consensus/params.hpp"
#include "consensus/types.hpp"
#include "storage/rocks_store.hpp"

namespace mfd::chain::node {

/// What a validator puts in its vote extension.
enum class FlagBehaviour : std::uint8_t {
    kHonest,    ///< the plugin's flags
    kWithhold,  ///< no flags at all
    kInvert,    ///< flags every candidate the plugin did not flag (a censorship attempt)
};

struct NodeConfig {
    /// The chain's RocksDB directory (created).
    std::filesystem::path data_dir;
    storage::RocksStoreOptions store;
    ChainConfig chain;
    consensus::ConsensusParams consensus;
    std::vector<consensus::ValidatorUpdate> genesis_validators;
    /// The validator's key; none for a node that follows without voting.
    std::optional<core::PrivateKey> key;
    MempoolConfig mempool;
    /// A candidate announced this many times without executing is dropped from the mempool.
    std::size_t max_announcements = 8;
    FlagBehaviour flag_behaviour = FlagBehaviour::kHonest;
};

/// Memory budgets for a node of a many-validator simulation (one process holds them all).
[[nodiscard]] inline storage::RocksStoreOptions small_store_options() {
    storage::RocksStoreOptions o;
    o.block_cache_bytes = std::size_t{32} << 20;
    o.write_buffer_bytes = std::size_t{16} << 20;
    o.total_write_buffer_bytes = std::size_t{64} << 20;
    return o;
}

}  // namespace mfd::chain::node
