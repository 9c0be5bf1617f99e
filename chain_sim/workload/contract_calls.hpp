#pragma once
/// Calldata and deployment payloads for the chain's built-in contracts (docs/contracts.md),
/// built with core/abi.hpp, plus the CREATE address and the SwapPool price formula the
/// generator uses to keep its own view of token balances. Thread-safe: pure functions.

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/uint256.hpp"

namespace mfd::chain::workload {

/// Gas the generator allows above intrinsic gas for each kind of call. The chain's schedule
/// (chain_sim/contracts/gas.hpp) must stay below these for calls to succeed; a call that runs
/// out is still included (the sender pays), so transaction validity never depends on them.
inline constexpr std::uint64_t kGasErc20Transfer = 90'000;
inline constexpr std::uint64_t kGasErc20Approve = 70'000;
inline constexpr std::uint64_t kGasErc20TransferFrom = 110'000;
inline constexpr std::uint64_t kGasSwap = 250'000;
inline constexpr std::uint64_t kGasAddLiquidity = 300'000;
inline constexpr std::uint64_t kGasEscrowCall = 90'000;
inline constexpr std::uint64_t kGasDeploy = 600'000;

/// The 4-byte kind tag of a built-in contract: keccak256("mfd.contract.<kind>")[0..4].
[[nodiscard]] core::Bytes contract_kind_tag(std::string_view kind);

/// ERC20 constructor payload: tag || (string name, string symbol, uint8 decimals, uint256 supply).
[[nodiscard]] core::Bytes erc20_deploy(std::string_view name, std::string_view symbol,
                                       std::uint8_t decimals, const core::U256& supply);
/// SwapPool constructor payload: tag || (address tokenA, address tokenB).
[[nodiscard]] core::Bytes swap_pool_deploy(const core::Address& token_a,
                                           const core::Address& token_b);
/// Escrow constructor payload: tag || (address beneficiary, address arbiter).
[[nodiscard]] core::Bytes escrow_deploy(const core::Address& beneficiary,
                                        const core::Address& arbiter);
/// Multisig constructor payload: tag || (address[] owners, uint256 threshold).
[[nodiscard]] core::Bytes multisig_deploy(const std::vector<core::Address>& owners,
                                          std::uint64_t threshold);

/// transfer(address,uint256)
[[nodiscard]] core::Bytes erc20_transfer(const core::Address& to, const core::U256& amount);
/// approve(address,uint256)
[[nodiscard]] core::Bytes erc20_approve(const core::Address& spender, const core::U256& amount);
/// transferFrom(address,address,uint256)
[[nodiscard]] core::Bytes erc20_transfer_from(const core::Address& from, const core::Address& to,
                                              const core::U256& amount);
/// addLiquidity(uint256,uint256)
[[nodiscard]] core::Bytes pool_add_liquidity(const core::U256& amount_a,
                                             const core::U256& amount_b);
/// swap(address,uint256,uint256)
[[nodiscard]] core::Bytes pool_swap(const core::Address& token_in, const core::U256& amount_in,
                                    const core::U256& min_amount_out);
/// release()
[[nodiscard]] core::Bytes escrow_release();
/// deposit() (Escrow and Multisig)
[[nodiscard]] core::Bytes payable_deposit();

/// Ethereum's CREATE address: keccak256(rlp([sender, nonce]))[12:].
[[nodiscard]] core::Address create_address(const core::Address& sender, std::uint64_t nonce);

/// SwapPool's output: reserveOut·amountIn·997 / (reserveIn·1000 + amountIn·997), 0 when the
/// product overflows 256 bits.
[[nodiscard]] core::U256 swap_output(const core::U256& reserve_in, const core::U256& reserve_out,
                                     const core::U256& amount_in);

}  // namespace mfd::chain::workload
