// Chain: read-only calls, admission checks and state reads against the committed state.
#include "chain_sim/chain.hpp"
#include "chain_sim/contracts/frame.hpp"
#include "chain_sim/contracts/host.hpp"
#include "chain_sim/tx_checks.hpp"
#include "storage/keys.hpp"

namespace mfd::chain {
namespace {

/// The intrinsic gas of a transaction carrying the request's destination and data.
std::uint64_t request_intrinsic_gas(const CallRequest& request) {
    core::Transaction tx;
    tx.to = request.to;
    tx.data = request.data;
    return core::intrinsic_gas(tx);
}

core::Result<core::Bytes> run_call(contracts::Host& host, StateOverlay& state,
                                   const CallRequest& request) {
    if (request.to) {
        return host.call(
            contracts::Message{request.from, *request.to, request.value, request.data});
    }
    const std::uint64_t nonce = state.account(request.from).nonce;
    auto created = host.create(request.from, nonce, request.value, request.data);
    if (!created) return core::fail(created.error());
    return core::Bytes(contracts::address_word(*created).to_bytes());
}

}  // namespace

core::Result<CallResult> Chain::call(const CallRequest& request) const {
    const std::uint64_t gas = request.gas.value_or(config_.block_gas_limit);
    const std::uint64_t intrinsic = request_intrinsic_gas(request);
    if (gas < intrinsic) {
        return core::fail(
            core::Errc::kTxIntrinsicGasTooLow,
            "gas " + std::to_string(gas) + " below intrinsic gas " + std::to_string(intrinsic));
    }
    StateOverlay state(*store_);
    contracts::Host host(state, gas - intrinsic);
    auto output = run_call(host, state, request);
    if (state.error()) return core::fail(*state.error());
    if (!output) return core::fail(output.error());
    return CallResult{std::move(*output), gas - host.gas_left(), std::move(host.logs())};
}

core::Result<void> Chain::check_admission(const core::CheckedTransaction& tx) const {
    auto sender = account(tx.sender);
    if (!sender) return core::fail(sender.error());
    const TxCheckContext context{tx_rules(), next_base_fee(), config_.block_gas_limit, false};
    return check_transaction_state(tx, *sender, context);
}

core::Result<AccountState> Chain::account(const core::Address& address) const {
    auto record = store_->get(core::Column::kAccounts, address.view());
    if (!record) return core::fail(record.error());
    if (!*record) return AccountState{};
    return decode_account(**record);
}

core::Result<core::Hash> Chain::storage_at(const core::Address& contract,
                                           const core::Hash& slot) const {
    const auto key = storage::storage_slot_key(contract, slot);
    auto value = store_->get(core::Column::kContractStorage, key.view());
    if (!value) return core::fail(value.error());
    if (!*value) return core::Hash{};
    auto word = core::Hash::from(**value);
    if (!word) return core::fail(core::Errc::kCorruption, "storage slot is not 32 bytes");
    return *word;
}

}  // namespace mfd::chain
