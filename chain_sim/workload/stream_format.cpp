#include "chain_sim/workload/stream_format.hpp"

#include <limits>

namespace mfd::chain::workload {

std::string expected_verdict_name(core::Errc code) {
    if (code == core::Errc::kOk) return "valid";
    return std::string(core::reason_name(code));
}

core::Result<core::Errc> parse_expected_verdict(std::string_view name) {
    if (name == "valid") return core::Errc::kOk;
    for (std::uint32_t v = 1; v <= std::numeric_limits<std::uint16_t>::max(); ++v) {
        const auto code = core::errc_from_value(static_cast<std::uint16_t>(v));
        if (!code) break;
        if (core::reason_name(*code) == name) return *code;
    }
    return core::fail(core::Errc::kCorruption,
                      "unknown expected verdict '" + std::string(name) + "'");
}

}  // namespace mfd::chain::workload
