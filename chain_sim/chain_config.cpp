#include "chain_sim/chain_config.hpp"

#include <unordered_set>

#include "core/keccak.hpp"
#include "core/rlp.hpp"

namespace mfd::chain {

core::Result<void> validate_config(const ChainConfig& config) {
    if (config.chain_id == 0) return core::fail(core::Errc::kInvalidArgument, "chain id 0");
    if (config.block_gas_limit < 21'000) {
        return core::fail(core::Errc::kInvalidArgument, "block gas limit below 21000");
    }
    if (config.initial_base_fee.is_zero()) {
        return core::fail(core::Errc::kInvalidArgument, "initial base fee 0");
    }
    if (config.min_base_fee > config.initial_base_fee) {
        return core::fail(core::Errc::kInvalidArgument,
                          "base fee floor above the initial base fee");
    }
    std::unordered_set<core::Address> seen;
    core::U256 total;
    for (const auto& a : config.allocations) {
        if (!seen.insert(a.address).second) {
            return core::fail(core::Errc::kInvalidArgument,
                              "allocation to " + a.address.hex() + " given twice");
        }
        if (!core::checked_add(total, a.balance, total)) {
            return core::fail(core::Errc::kInvalidArgument, "allocations overflow 256 bits");
        }
    }
    return {};
}

core::Hash config_digest(const ChainConfig& config) {
    core::RlpEncoder rlp;
    rlp.begin_list()
        .add_uint(config.chain_id)
        .add_uint(config.block_gas_limit)
        .add_uint(config.initial_base_fee)
        .add_uint(config.genesis_timestamp_ms)
        .add_uint(config.min_base_fee)
        .begin_list();
    for (const auto& a : config.allocations) {
        rlp.begin_list().add_bytes(a.address.view()).add_uint(a.balance).end_list();
    }
    rlp.end_list().end_list();
    auto encoded = rlp.take();
    return core::keccak256(encoded ? *encoded : core::Bytes{});
}

}  // namespace mfd::chain
