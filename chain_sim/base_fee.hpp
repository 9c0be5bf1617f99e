#pragma once
/// EIP-1559's base fee update rule. Thread-safe: pure functions.

#include <cstdint>

#include "core/uint256.hpp"

namespace mfd::chain {

inline constexpr std::uint64_t kElasticityMultiplier = 2;      ///< gas target = limit / 2
inline constexpr std::uint64_t kBaseFeeChangeDenominator = 8;  ///< at most 12.5 % per block

/// The base fee of the block after a parent with `parent_gas_limit`, `parent_gas_used` and
/// `parent_base_fee`: unchanged at the target (limit / 2); above it, raised by
/// max(1, base · (used − target) / target / 8); below it, lowered by
/// base · (target − used) / target / 8. Never fails (a zero target keeps the fee).
[[nodiscard]] core::U256 next_base_fee(std::uint64_t parent_gas_limit,
                                       std::uint64_t parent_gas_used,
                                       const core::U256& parent_base_fee) noexcept;

}  // namespace mfd::chain
