#include "chain_sim/workload/amounts.hpp"

#include <cmath>

namespace mfd::chain::workload::detail {

core::U256 wei(double eth) noexcept {
    if (!(eth > 0)) return core::U256{};
    const double gwei = std::min(eth, 1e9) * 1e9;
    return core::U256(static_cast<std::uint64_t>(std::llround(gwei))) * core::U256(kGwei);
}

core::U256 gwei(double g) noexcept {
    if (!(g > 0)) return core::U256{};
    return core::U256(static_cast<std::uint64_t>(std::llround(std::min(g, 1e9) * 1e9)));
}

double to_eth(const core::U256& v) noexcept {
    return v.to_double() / 1e18;
}

core::U256 share_of(const core::U256& v, double share) noexcept {
    if (!(share > 0)) return core::U256{};
    if (share >= 1) return v;
    const auto ppm = static_cast<std::uint64_t>(std::llround(share * 1e6));
    return v / core::U256(1'000'000) * core::U256(ppm);
}

double round_significant(double eth, int digits) noexcept {
    if (!(eth > 0)) return 0;
    const double scale = std::pow(10.0, digits - 1 - static_cast<int>(std::floor(std::log10(eth))));
    return std::round(eth * scale) / scale;
}

}  // namespace mfd::chain::workload::detail
