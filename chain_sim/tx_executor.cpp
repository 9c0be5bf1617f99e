#include "chain_sim/tx_executor.hpp"

#include "chain_sim/contracts/host.hpp"

namespace mfd::chain {
namespace {

/// Runs the value transfer, call or deployment; returns the created address on a deployment.
core::Result<std::optional<core::Address>> run(contracts::Host& host,
                                               const core::CheckedTransaction& tx) {
    if (tx.tx.is_create()) {
        auto created = host.create(tx.sender, tx.tx.nonce, tx.tx.value, tx.tx.data);
        if (!created) return core::fail(created.error());
        return std::optional<core::Address>(*created);
    }
    auto output = host.call(contracts::Message{tx.sender, *tx.tx.to, tx.tx.value, tx.tx.data});
    if (!output) return core::fail(output.error());
    return std::optional<core::Address>();
}

void credit(StateOverlay& state, const core::Address& address, const core::U256& amount) {
    if (amount.is_zero()) return;
    AccountState account = state.account(address);
    account.balance += amount;
    state.set_account(address, account);
}

void record_failure(core::Receipt& receipt, const core::Error& error) {
    receipt.success = false;
    receipt.failure = error.code;
    receipt.message = error.message.substr(0, core::kMaxReceiptMessage);
}

}  // namespace

core::Result<TxOutcome> execute_transaction(StateOverlay& state, const core::CheckedTransaction& tx,
                                            const BlockEnv& env, std::uint64_t gas_available) {
    AccountState sender = state.account(tx.sender);
    if (state.error()) return core::fail(*state.error());
    const TxCheckContext context{env.rules, env.base_fee, gas_available, true};
    if (auto ok = check_transaction_state(tx, sender, context); !ok) return core::fail(ok.error());

    const core::U256 price = effective_gas_price(tx.tx, env.base_fee);
    sender.balance -= core::U256(tx.tx.gas_limit) * price;
    sender.nonce += 1;
    state.set_account(tx.sender, sender);

    contracts::Host host(state, tx.tx.gas_limit - core::intrinsic_gas(tx.tx));
    TxOutcome out;
    auto result = run(host, tx);
    if (result) {
        out.receipt.contract_address = *result;
        out.receipt.logs = std::move(host.logs());
    } else {
        record_failure(out.receipt, result.error());
    }
    const std::uint64_t gas_used = tx.tx.gas_limit - host.gas_left();
    credit(state, tx.sender, core::U256(host.gas_left()) * price);
    out.tip = core::U256(gas_used) * (price - env.base_fee);
    out.burned = core::U256(gas_used) * env.base_fee;
    credit(state, env.proposer, out.tip);
    state.clear_journal();
    if (state.error()) return core::fail(*state.error());

    out.receipt.gas_used = gas_used;
    out.receipt.cumulative_gas_used = gas_used;
    out.receipt.effective_gas_price = price;
    core::make_receipt_bloom(out.receipt);
    return out;
}

}  // namespace mfd::chain
