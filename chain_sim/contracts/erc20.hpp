#pragma once
/// The ERC20 token kind (docs/contracts.md): name, symbol and decimals live in the stored
/// constructor arguments; total supply in slot 0, balances in mapping slot 1, allowances in
/// mapping slot 2 (keccak(spender || keccak(owner || 2))). Other kinds move tokens through the
/// helpers below, which make a real nested call. Not thread-safe (runs inside one call).

#include "chain_sim/contracts/frame.hpp"

namespace mfd::chain::contracts {

/// The storage slot of `owner`'s token balance.
[[nodiscard]] core::Hash erc20_balance_slot(const core::Address& owner) noexcept;
/// The storage slot of `owner`'s allowance to `spender`.
[[nodiscard]] core::Hash erc20_allowance_slot(const core::Address& owner,
                                              const core::Address& spender) noexcept;

/// Calls `token`.transferFrom(from, to, amount) with the running contract as sender; fails
/// with the token's failure (or kRevert when it returns false).
[[nodiscard]] core::Result<void> erc20_transfer_from(Frame& f, const core::Address& token,
                                                     const core::Address& from,
                                                     const core::Address& to,
                                                     const core::U256& amount);
/// Calls `token`.transfer(to, amount) with the running contract as sender.
[[nodiscard]] core::Result<void> erc20_transfer(Frame& f, const core::Address& token,
                                                const core::Address& to, const core::U256& amount);

}  // namespace mfd::chain::contracts
