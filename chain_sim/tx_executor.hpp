#pragma once
/// Executes one transaction on a StateOverlay: the stateful checks, buying gas, bumping the
/// nonce, the value transfer / contract call / deployment, the refund of unused gas, the
/// priority fee to the proposer and the burn of base fee × gas used. Not thread-safe (the
/// overlay is the caller's).

#include <cstdint>

#include "chain_sim/state_overlay.hpp"
#include "chain_sim/tx_checks.hpp"
#include "core/receipt.hpp"

namespace mfd::chain {

/// The block a transaction runs in.
struct BlockEnv {
    core::Address proposer;
    core::U256 base_fee;
    core::TxRules rules;
};

/// What one executed transaction did beyond its receipt.
struct TxOutcome {
    core::Receipt receipt;  ///< cumulative_gas_used is left at gas_used; the block sets it
    core::U256 burned;      ///< base fee × gas used
    core::U256 tip;         ///< paid to the proposer
};

/// Runs `tx` with `gas_available` block gas left. An invalid transaction fails with its
/// check_transaction_state reason and leaves `state` untouched; a transaction that reverts or
/// runs out of gas succeeds here with a failed receipt (its call rolled back, the gas paid).
/// Fails with the store's error when `state` met one.
[[nodiscard]] core::Result<TxOutcome> execute_transaction(StateOverlay& state,
                                                          const core::CheckedTransaction& tx,
                                                          const BlockEnv& env,
                                                          std::uint64_t gas_available);

}  // namespace mfd::chain
