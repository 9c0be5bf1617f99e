#pragma once
/// Strict unsigned command-line numbers for CLI11. CLI11 reads "-1" into an unsigned option as
/// 2^64 - 1 and saturates a number too large for it; every program here checks its unsigned
/// options with this instead, so such input is refused with a message naming the option.
///
///   app.add_option("--blocks", blocks)->check(mfd::cli::unsigned_in(0, 1'000'000'000));

#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <system_error>

namespace mfd::cli {

/// Accepts a decimal number of digits only (no sign, no spaces, no prefix) in [lo, hi].
inline CLI::Validator unsigned_in(std::uint64_t lo = 0,
                                  std::uint64_t hi = std::numeric_limits<std::uint64_t>::max()) {
    const std::string range = "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    return CLI::Validator(
        [lo, hi, range](std::string& text) -> std::string {
            std::uint64_t value = 0;
            const char* end = text.data() + text.size();
            const auto [ptr, ec] = std::from_chars(text.data(), end, value);
            const bool digits =
                !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
            if (!digits || ptr != end) {
                return "expected a whole number in " + range + ", got '" + text + "'";
            }
            if (ec == std::errc::result_out_of_range || value < lo || value > hi) {
                return "out of range: " + text + " is not in " + range;
            }
            return {};
        },
        "UINT in " + range);
}

}  // namespace mfd::cli
