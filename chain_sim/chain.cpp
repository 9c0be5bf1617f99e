#include "chain_sim/chain.hpp"

#include <algorithm>

#include "chain_sim/base_fee.hpp"
#include "chain_sim/state_overlay.hpp"
#include "storage/chain_meta.hpp"
#include "storage/chain_records.hpp"

namespace mfd::chain {
namespace {

constexpr std::string_view kConfigKey = "chain_config_digest";

/// Block 0: the allocations, committed with the config digest.
core::Result<core::BlockHeader> commit_genesis(core::KvStore& store, const ChainConfig& config) {
    StateOverlay state(store);
    for (const auto& a : config.allocations) {
        AccountState account = state.account(a.address);
        account.balance = a.balance;
        state.set_account(a.address, account);
    }
    if (state.error()) return core::fail(*state.error());
    ExecutedBlock genesis;
    genesis.changes = state.changes();
    core::BlockHeader& h = genesis.block.header;
    h.timestamp_ms = config.genesis_timestamp_ms;
    h.gas_limit = config.block_gas_limit;
    h.base_fee = config.initial_base_fee;
    h.state_root = next_state_root(core::Hash{}, genesis.changes);
    h.receipts_root = core::receipts_root({});
    core::seal_block_body(genesis.block);
    auto batch = commit_batch(genesis);
    if (!batch) return core::fail(batch.error());
    batch->put(core::Column::kMeta, core::as_bytes(kConfigKey), config_digest(config).view());
    if (auto written = store.write(*batch); !written) return core::fail(written.error());
    return h;
}

/// The head of a store that committed before, after checking it was made with `config`.
core::Result<core::BlockHeader> resume(const core::KvStore& store, const ChainConfig& config,
                                       std::uint64_t height) {
    auto digest = store.get(core::Column::kMeta, core::as_bytes(kConfigKey));
    if (!digest) return core::fail(digest.error());
    if (!*digest || **digest != config_digest(config).to_bytes()) {
        return core::fail(core::Errc::kInvalidArgument,
                          "the store holds a chain with another configuration");
    }
    auto block = storage::get_block(store, height);
    if (!block) return core::fail(block.error());
    if (!*block) {
        return core::fail(core::Errc::kCorruption,
                          "committed block " + std::to_string(height) + " is missing");
    }
    return (*block)->header;
}

}  // namespace

Chain::Chain(core::KvStore& store, ChainConfig config, core::BlockHeader head)
    : store_(&store),
      config_(std::move(config)),
      head_(std::move(head)),
      head_hash_(core::block_hash(head_)) {}

core::Result<std::unique_ptr<Chain>> Chain::open(core::KvStore& store, const ChainConfig& config) {
    if (auto valid = validate_config(config); !valid) return core::fail(valid.error());
    auto height = storage::last_committed_height(store);
    if (!height) return core::fail(height.error());
    auto head = *height ? resume(store, config, **height) : commit_genesis(store, config);
    if (!head) return core::fail(head.error());
    return std::unique_ptr<Chain>(new Chain(store, config, std::move(*head)));
}

core::U256 Chain::next_base_fee() const noexcept {
    if (head_.number == 0) return config_.initial_base_fee;
    return std::max(chain::next_base_fee(head_.gas_limit, head_.gas_used, head_.base_fee),
                    config_.min_base_fee);
}

core::TxRules Chain::tx_rules() const noexcept {
    return core::TxRules{config_.chain_id, config_.allow_unprotected};
}

}  // namespace mfd::chain
