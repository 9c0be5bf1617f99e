#pragma once
/// Small conversions between the plugin's C++ values and the C ABI's structs. Thread-safe: pure.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/bytes.hpp"
#include "plugin/fraud_plugin.h"

namespace mfd::plugin {

/// `d` in whole microseconds, saturating at UINT32_MAX (and 0 for negative durations).
[[nodiscard]] inline std::uint32_t micros(std::chrono::steady_clock::duration d) noexcept {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    return static_cast<std::uint32_t>(std::clamp<std::int64_t>(us, 0, UINT32_MAX));
}

/// round(p × FP_MAX_SCORE), p clamped to [0, 1] (NaN counts as 0).
[[nodiscard]] inline std::uint16_t basis_points(float p) noexcept {
    const float c = std::isnan(p) ? 0.0F : std::clamp(p, 0.0F, 1.0F);
    return static_cast<std::uint16_t>(std::lround(c * static_cast<float>(FP_MAX_SCORE)));
}

[[nodiscard]] inline fp_hash to_fp_hash(const core::Hash& h) noexcept {
    fp_hash out;
    std::memcpy(out.bytes, h.data(), sizeof(out.bytes));
    return out;
}

[[nodiscard]] inline core::Hash from_fp_hash(const fp_hash& h) noexcept {
    core::Hash out;
    std::memcpy(out.data(), h.bytes, sizeof(h.bytes));
    return out;
}

/// Copies `reason` into out.reason, truncated to FP_REASON_LEN - 1 characters.
inline void set_reason(fp_check_result& out, std::string_view reason) noexcept {
    const std::size_t n = std::min(reason.size(), sizeof(out.reason) - 1);
    std::memcpy(out.reason, reason.data(), n);
    out.reason[n] = '\0';
}

}  // namespace mfd::plugin
