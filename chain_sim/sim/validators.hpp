#pragma once
/// The validators of a simulated run: for each, its key, its node (chain in its own RocksDB
/// under <data-dir>/validator-<i>/chain, mempool, consensus engine) and its own fraud plugin
/// instance created through the loader (dlopen, data in <data-dir>/validator-<i>/fraud).

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chain_sim/node/node.hpp"
#include "chain_sim/sim/byzantine.hpp"
#include "consensus/verifier.hpp"
#include "plugin/loader/plugin_instance.hpp"
#include "plugin/loader/plugin_library.hpp"

namespace mfd::chain::sim {

/// What every validator shares.
struct ValidatorsConfig {
    std::size_t count = 4;
    std::filesystem::path data_dir;
    ChainConfig chain;
    ByzantineSpec byzantine;
    /// Shared by every validator; chain_id is taken from `chain`.
    consensus::ConsensusParams params;
    /// The plugin library; none: validators run without a detector (nothing is flagged).
    std::optional<std::filesystem::path> plugin;
    /// Without a plugin: the detector of validator i (tests pass node::ListedHooks), or none.
    std::function<std::shared_ptr<node::FraudHooks>(std::size_t)> hooks;
    std::filesystem::path model;
    std::string device = "auto";
    /// Overrides the model's decision threshold in every plugin.
    std::optional<double> threshold;
    /// Picks the model's threshold for this false-positive rate (the plugins' target_fpr).
    std::optional<double> target_fpr;
    /// Validator 0's plugin writes every row it scores here (the plugin's feature_log).
    std::optional<std::filesystem::path> feature_log;
    /// Move every plugin store aside (to fraud.replaced) and rebuild it from the chain.
    bool rebuild_plugin_stores = false;
};

/// The validator key of index `i` (deterministic; the same for every run).
[[nodiscard]] core::PrivateKey validator_key(std::size_t i);

/// Every validator of a run. Destroying it closes the nodes, then the plugin instances.
class Validators {
public:
    /// Opens (creating or resuming) every validator. Fails with the loader's error (kNotFound
    /// naming where it looked, kUnavailable), the plugin's (a bad model is kCorruption naming
    /// the file), or Node::open's (kUnavailable when another process holds a directory,
    /// kInvalidArgument for a directory of another chain).
    [[nodiscard]] static core::Result<std::unique_ptr<Validators>> open(
        const ValidatorsConfig& config);

    ~Validators();
    Validators(const Validators&) = delete;
    Validators& operator=(const Validators&) = delete;

    [[nodiscard]] std::size_t size() const noexcept { return nodes_.size(); }
    [[nodiscard]] node::Node& node(std::size_t i) { return *nodes_[i]; }
    /// The plugin instance of validator `i`; null without a plugin.
    [[nodiscard]] const std::shared_ptr<plugin::PluginInstance>& plugin(std::size_t i) const {
        return plugins_[i];
    }
    [[nodiscard]] node::CheckedTxCache& cache() noexcept { return *cache_; }
    /// The transports carrying out each validator's Byzantine behaviours (moved out once).
    [[nodiscard]] std::vector<ByzantineTransport> take_transports(std::uint64_t seed) const;
    [[nodiscard]] const std::vector<core::Address>& addresses() const noexcept {
        return addresses_;
    }
    [[nodiscard]] std::uint32_t behaviours(std::size_t i) const;

private:
    Validators() = default;

    ValidatorsConfig config_;
    std::unique_ptr<node::CheckedTxCache> cache_;
    std::unique_ptr<consensus::CachingVerifier> verifier_;
    std::vector<core::Address> addresses_;
    std::vector<std::shared_ptr<plugin::PluginInstance>> plugins_;
    std::vector<std::unique_ptr<node::Node>> nodes_;
};

}  // namespace mfd::chain::sim
