#include "chain_sim/tx_checks.hpp"

#include <string>

namespace mfd::chain {
namespace {

core::Unexpected reject(core::Errc code, const core::CheckedTransaction& tx, std::string what) {
    return core::fail(code, "transaction " + tx.hash.hex() + ": " + what);
}

}  // namespace

core::U256 upfront_cost(const core::Transaction& tx) noexcept {
    core::U256 gas_cost, total;
    if (!core::checked_mul(core::U256(tx.gas_limit), tx.fee_cap(), gas_cost) ||
        !core::checked_add(gas_cost, tx.value, total)) {
        return core::U256::max();
    }
    return total;
}

core::U256 effective_gas_price(const core::Transaction& tx, const core::U256& base_fee) noexcept {
    if (tx.type != core::TxType::kDynamicFee) return tx.gas_price;
    const core::U256 priority =
        std::min(tx.max_priority_fee_per_gas, tx.max_fee_per_gas - base_fee);
    return base_fee + priority;
}

core::Result<void> check_transaction_state(const core::CheckedTransaction& tx,
                                           const AccountState& sender,
                                           const TxCheckContext& context) {
    if (auto valid = core::validate_transaction(tx.tx, context.rules); !valid) {
        return reject(valid.error().code, tx, valid.error().message);
    }
    if (tx.tx.gas_limit > context.gas_available) {
        return reject(core::Errc::kTxGasLimitExceedsBlock, tx,
                      "gas limit " + std::to_string(tx.tx.gas_limit) + " above the " +
                          std::to_string(context.gas_available) + " gas left in the block");
    }
    if (sender.is_contract) {
        return reject(core::Errc::kTxSenderNotEoa, tx,
                      "sender " + tx.sender.hex() + " is a contract");
    }
    if (tx.tx.nonce < sender.nonce || (context.exact_nonce && tx.tx.nonce > sender.nonce)) {
        return reject(
            tx.tx.nonce < sender.nonce ? core::Errc::kTxNonceTooLow : core::Errc::kTxNonceTooHigh,
            tx,
            "nonce " + std::to_string(tx.tx.nonce) + ", account " + tx.sender.hex() + " is at " +
                std::to_string(sender.nonce));
    }
    if (tx.tx.fee_cap() < context.base_fee) {
        return reject(core::Errc::kTxFeeCapBelowBaseFee, tx,
                      "fee cap " + tx.tx.fee_cap().to_dec() + " below the base fee " +
                          context.base_fee.to_dec());
    }
    if (const core::U256 cost = upfront_cost(tx.tx); sender.balance < cost) {
        return reject(core::Errc::kTxInsufficientFunds, tx,
                      "balance " + sender.balance.to_dec() + " of " + tx.sender.hex() +
                          " below value + gas limit x fee cap = " + cost.to_dec());
    }
    return {};
}

}  // namespace mfd::chain
