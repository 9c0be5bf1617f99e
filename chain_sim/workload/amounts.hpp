#pragma once
/// Internal to the generator: Ether amounts between doubles (for distributions) and wei.
/// Thread-safe: pure functions.

#include "core/uint256.hpp"

namespace mfd::chain::workload::detail {

inline constexpr std::uint64_t kGwei = 1'000'000'000ULL;

/// `eth` Ether in wei, rounded to whole gwei; negative or NaN gives 0, above 10^9 ETH clamps.
[[nodiscard]] core::U256 wei(double eth) noexcept;
/// `g` gwei in wei, to the wei (for gas prices); negative or NaN gives 0.
[[nodiscard]] core::U256 gwei(double g) noexcept;
/// `v` wei in Ether (approximate).
[[nodiscard]] double to_eth(const core::U256& v) noexcept;
/// `v` × `share` (share in [0, 1], resolution 1e-6).
[[nodiscard]] core::U256 share_of(const core::U256& v, double share) noexcept;
/// `eth` rounded to `digits` significant decimal digits (people like round amounts).
[[nodiscard]] double round_significant(double eth, int digits) noexcept;

}  // namespace mfd::chain::workload::detail
