#include "chain_sim/sim/validators.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "plugin/rpc/eth_params.hpp"
#include "storage/chain_records.hpp"

namespace mfd::chain::sim {
namespace {

constexpr std::int64_t kValidatorPower = 10;

std::string plugin_config(const ValidatorsConfig& c, const std::filesystem::path& dir,
                          std::size_t i) {
    // Budgets of 0: scoring runs on the calling thread to completion, so a seed replays the
    // same flags whatever the machine's load.
    nlohmann::json budgets = {
        {"check_tx", 0}, {"score_batch", 0}, {"prepare_proposal", 0}, {"extend_vote", 0}};
    nlohmann::json j = {{"data_dir", dir.string()},
                        {"chain_id", c.chain.chain_id},
                        {"model", c.model.string()},
                        {"device", c.device},
                        {"workers", 1},
                        {"max_flags", c.params.max_extension_flags},
                        {"budgets_us", budgets}};
    if (i == 0 && c.feature_log) j["feature_log"] = c.feature_log->string();
    if (c.threshold) j["threshold"] = *c.threshold;
    if (c.target_fpr && !c.threshold) j["target_fpr"] = *c.target_fpr;
    return j.dump();
}

core::Result<std::shared_ptr<plugin::PluginInstance>> create_plugin(
    const ValidatorsConfig& c, const std::shared_ptr<const plugin::PluginLibrary>& library,
    const std::filesystem::path& dir, std::size_t i) {
    auto instance = plugin::PluginInstance::create(library, plugin_config(c, dir, i));
    if (!instance) return core::fail(instance.error());
    return std::shared_ptr<plugin::PluginInstance>(std::move(*instance));
}

// A plugin store that no longer opens is moved aside and rebuilt: the node's replay finalises
// every committed block again for the fresh store. When a fresh store fails too (a bad model),
// the old one is put back and the first error returned.
core::Result<std::shared_ptr<plugin::PluginInstance>> open_plugin(
    const ValidatorsConfig& c, const std::shared_ptr<const plugin::PluginLibrary>& library,
    std::size_t i) {
    const auto dir = c.data_dir / ("validator-" + std::to_string(i)) / "fraud";
    const auto named = [i](const core::Error& e) {
        return core::fail(e.code, "validator " + std::to_string(i) + ": " + e.message);
    };
    std::error_code ec;
    if (c.rebuild_plugin_stores && std::filesystem::exists(dir, ec)) {
        auto aside = dir;
        aside += ".replaced";
        std::filesystem::remove_all(aside, ec);
        std::filesystem::rename(dir, aside, ec);
        if (ec) {
            return core::fail(core::Errc::kIo,
                              "validator " + std::to_string(i) +
                                  ": cannot move its plugin store aside: " + ec.message());
        }
        std::fprintf(stderr,
                     "validator %zu: plugin store moved to %s; rebuilding it from the chain\n", i,
                     aside.string().c_str());
    }
    auto instance = create_plugin(c, library, dir, i);
    if (instance || !std::filesystem::exists(dir, ec)) {
        return instance ? instance : named(instance.error());
    }
    auto aside = dir;
    aside += ".unreadable";
    std::filesystem::remove_all(aside, ec);
    std::filesystem::rename(dir, aside, ec);
    if (ec) return named(instance.error());
    auto fresh = create_plugin(c, library, dir, i);
    if (!fresh) {
        std::filesystem::remove_all(dir, ec);
        std::filesystem::rename(aside, dir, ec);
        return named(instance.error());
    }
    std::fprintf(stderr,
                 "validator %zu: its plugin store did not open (%s); moved to %s and rebuilt "
                 "from the chain\n",
                 i, instance.error().message.c_str(), aside.string().c_str());
    return fresh;
}

// The handshake of a node with its plugin at start (as CometBFT's with an ABCI application's
// Info): the plugin's last finalised block must be one the chain holds. A plugin ahead of the
// chain means committed blocks went missing from the chain store; a different block at the same
// height means the two stores belong to different chains. Either refuses to start.
core::Result<void> check_plugin_head(const node::Node& node, plugin::PluginInstance& plugin) {
    auto answer = plugin.query("fraud_getHead", "[]");
    if (!answer) return core::fail(answer.error());
    const auto doc = nlohmann::json::parse(answer->json, nullptr, false);
    if (!answer->ok || !doc.is_object()) {
        return core::fail(core::Errc::kUnavailable, "fraud_getHead failed: " + answer->json);
    }
    auto height = rpc::read_quantity_u64(doc.value("blockNumber", nlohmann::json()), "blockNumber");
    if (!height) return core::fail(height.error());
    const std::uint64_t chain_height = node.chain().head().number;
    const std::string repair =
        " Restore the chain store from a copy, or start again with --rebuild-plugin-stores to "
        "go on from the chain's block " +
        std::to_string(chain_height) + " (what came after it is then lost on this validator)";
    if (*height > chain_height) {
        return core::fail(core::Errc::kCorruption,
                          "its chain store holds blocks up to " + std::to_string(chain_height) +
                              " but its plugin store has finalised block " +
                              std::to_string(*height) +
                              ": committed blocks are missing from the chain store (a damaged, "
                              "truncated or deleted write-ahead log?)." +
                              repair);
    }
    if (*height == 0) return {};
    auto block = storage::get_block(node.store(), *height);
    if (!block) return core::fail(block.error());
    const std::string theirs = doc.value("blockHash", std::string());
    const std::string ours = *block ? core::block_hash((**block).header).hex() : std::string();
    if (ours != theirs) {
        return core::fail(core::Errc::kCorruption,
                          "its plugin store finalised block " + std::to_string(*height) + " as " +
                              theirs + " but its chain store holds " +
                              (ours.empty() ? std::string("no such block") : ours) +
                              ": the two stores are of different chains." + repair);
    }
    return {};
}

}  // namespace

core::PrivateKey validator_key(std::size_t i) {
    return core::PrivateKey::derive(core::as_bytes("mfd-chain-sim-validator-" + std::to_string(i)));
}

core::Result<std::unique_ptr<Validators>> Validators::open(const ValidatorsConfig& config) {
    std::unique_ptr<Validators> v(new Validators());
    v->config_ = config;
    v->cache_ = std::make_unique<node::CheckedTxCache>(
        core::TxRules{config.chain.chain_id, config.chain.allow_unprotected});
    v->verifier_ = std::make_unique<consensus::CachingVerifier>();
    std::vector<consensus::ValidatorUpdate> genesis;
    for (std::size_t i = 0; i < config.count; ++i) {
        const core::PrivateKey key = validator_key(i);
        v->addresses_.push_back(key.address());
        genesis.push_back({key.address(), key.public_key(), kValidatorPower});
    }
    std::shared_ptr<const plugin::PluginLibrary> library;
    if (config.plugin) {
        auto opened = plugin::PluginLibrary::open(*config.plugin);
        if (!opened) return core::fail(opened.error());
        library = *opened;
    }
    for (std::size_t i = 0; i < config.count; ++i) {
        std::shared_ptr<plugin::PluginInstance> instance;
        if (library) {
            auto p = open_plugin(config, library, i);
            if (!p) return core::fail(p.error());
            instance = *p;
        }
        v->plugins_.push_back(instance);
        node::NodeConfig nc;
        nc.data_dir = config.data_dir / ("validator-" + std::to_string(i)) / "chain";
        nc.store = node::small_store_options();
        nc.chain = config.chain;
        nc.consensus = config.params;
        nc.consensus.chain_id = config.chain.chain_id;
        nc.genesis_validators = genesis;
        nc.key = validator_key(i);
        nc.flag_behaviour = flag_behaviour_of(v->behaviours(i));
        std::shared_ptr<node::FraudHooks> hooks;
        if (instance) {
            hooks = std::make_shared<node::PluginHooks>(instance);
        } else if (config.hooks) {
            hooks = config.hooks(i);
        }
        auto node = node::Node::open(std::move(nc), hooks, *v->cache_, *v->verifier_);
        if (!node) {
            return core::fail(node.error().code,
                              "validator " + std::to_string(i) + ": " + node.error().message);
        }
        if (instance) {
            if (auto ok = check_plugin_head(**node, *instance); !ok) {
                return core::fail(ok.error().code,
                                  "validator " + std::to_string(i) + ": " + ok.error().message);
            }
        }
        v->nodes_.push_back(std::move(*node));
    }
    return v;
}

Validators::~Validators() {
    nodes_.clear();
    plugins_.clear();
}

std::uint32_t Validators::behaviours(std::size_t i) const {
    const auto it = config_.byzantine.find(i);
    return it == config_.byzantine.end() ? 0 : it->second;
}

std::vector<ByzantineTransport> Validators::take_transports(std::uint64_t seed) const {
    std::vector<ByzantineTransport> out;
    net::Rng rng(seed ^ 0x6279'7a61'6e74'696eULL);
    for (std::size_t i = 0; i < addresses_.size(); ++i) {
        out.emplace_back(i, behaviours(i), validator_key(i), addresses_, rng.fork(i + 1));
    }
    return out;
}

}  // namespace mfd::chain::sim
