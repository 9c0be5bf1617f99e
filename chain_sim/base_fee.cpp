#include "chain_sim/base_fee.hpp"

namespace mfd::chain {
namespace {

/// base · diff / target / 8; when base · diff overflows 256 bits (base fees above 2^192), the
/// division goes first, which loses only digits far below the fee.
core::U256 fee_delta(const core::U256& base, std::uint64_t diff, std::uint64_t target) {
    core::U256 product;
    if (core::checked_mul(base, diff, product)) {
        return product / target / kBaseFeeChangeDenominator;
    }
    return base / target / kBaseFeeChangeDenominator * diff;
}

}  // namespace

core::U256 next_base_fee(std::uint64_t parent_gas_limit, std::uint64_t parent_gas_used,
                         const core::U256& parent_base_fee) noexcept {
    const std::uint64_t target = parent_gas_limit / kElasticityMultiplier;
    if (target == 0 || parent_gas_used == target) return parent_base_fee;
    if (parent_gas_used > target) {
        core::U256 delta = fee_delta(parent_base_fee, parent_gas_used - target, target);
        if (delta.is_zero()) delta = 1;
        core::U256 raised;
        return core::checked_add(parent_base_fee, delta, raised) ? raised : core::U256::max();
    }
    return parent_base_fee - fee_delta(parent_base_fee, target - parent_gas_used, target);
}

}  // namespace mfd::chain
