#pragma once
/// The stateful transaction rules: what a transaction must satisfy against its sender's
/// account and the block it goes into, in the order they are checked. Errors carry
/// ethereum/tests-style reasons. Thread-safe: pure functions.

#include <cstdint>

#include "chain_sim/account.hpp"
#include "core/transaction_rules.hpp"

namespace mfd::chain {

/// Where a transaction is being checked.
struct TxCheckContext {
    core::TxRules rules;          ///< chain id and whether unprotected legacy is accepted
    core::U256 base_fee;          ///< of the block (for admission: of the next block)
    std::uint64_t gas_available;  ///< block gas left (for admission: the block gas limit)
    bool exact_nonce = true;      ///< block execution; admission accepts future nonces
};

/// value + gas limit × fee cap: what the sender must hold before the transaction runs.
/// Saturates at 2^256-1.
[[nodiscard]] core::U256 upfront_cost(const core::Transaction& tx) noexcept;

/// The price per gas the sender pays in a block with `base_fee`: gas_price for legacy and
/// type 1, min(max fee, base fee + priority fee) for type 2. Assumes fee cap >= base fee.
[[nodiscard]] core::U256 effective_gas_price(const core::Transaction& tx,
                                             const core::U256& base_fee) noexcept;

/// Checks, in order: the stateless rules (core::validate_transaction with the chain's rules),
/// gas limit within the gas available (kTxGasLimitExceedsBlock), a sender without contract
/// (kTxSenderNotEoa), the nonce (kTxNonceTooLow; kTxNonceTooHigh when `exact_nonce`), fee cap
/// at least the base fee (kTxFeeCapBelowBaseFee) and a balance covering upfront_cost
/// (kTxInsufficientFunds). Messages name the transaction by hash and the numbers compared.
[[nodiscard]] core::Result<void> check_transaction_state(const core::CheckedTransaction& tx,
                                                         const AccountState& sender,
                                                         const TxCheckContext& context);

}  // namespace mfd::chain
