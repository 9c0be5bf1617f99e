#pragma once
/// The gas schedule of the built-in contracts, charged on top of Ethereum's intrinsic gas
/// (core::intrinsic_gas); docs/contracts.md has it as a table. The workload generator's budgets
/// above intrinsic gas (chain_sim/workload/contract_calls.hpp: transfer 90,000, approve 70,000,
/// transferFrom 110,000, swap 250,000, addLiquidity 300,000, escrow calls 90,000, deployments
/// 600,000) hold with room to spare; tests pin the ERC20 transfer and the pool's figures.

#include <cstdint>

namespace mfd::chain::contracts {

inline constexpr std::uint64_t kCallGas = 2'600;           ///< each call, top-level or nested
inline constexpr std::uint64_t kValueTransferGas = 9'000;  ///< a nested call or payout with value
inline constexpr std::uint64_t kCodeDepositGas = 200;      ///< per byte of a deployed record
inline constexpr std::uint64_t kStorageReadGas = 800;      ///< per slot read
inline constexpr std::uint64_t kStorageSetGas = 20'000;    ///< a slot from zero to non-zero
inline constexpr std::uint64_t kStorageUpdateGas = 5'000;  ///< any other change of a slot
/// A write that leaves the slot as it was costs a read.
inline constexpr std::uint64_t kStorageNoopGas = kStorageReadGas;
inline constexpr std::uint64_t kLogGas = 375;       ///< per log
inline constexpr std::uint64_t kLogTopicGas = 375;  ///< per topic
inline constexpr std::uint64_t kLogDataGas = 8;     ///< per byte of log data
inline constexpr unsigned kMaxCallDepth = 64;       ///< nested calls beyond revert

}  // namespace mfd::chain::contracts
