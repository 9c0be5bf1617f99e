#include "consensus/proposer_priority.hpp"

namespace mfd::consensus {

namespace {
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
}  // namespace

std::int64_t safe_add_clip(std::int64_t a, std::int64_t b) noexcept {
    std::int64_t out = 0;
    if (__builtin_add_overflow(a, b, &out)) return b > 0 ? kMax : kMin;
    return out;
}

std::int64_t safe_sub_clip(std::int64_t a, std::int64_t b) noexcept {
    std::int64_t out = 0;
    if (__builtin_sub_overflow(a, b, &out)) return b < 0 ? kMax : kMin;
    return out;
}

std::int64_t average_priority(std::span<const std::int64_t> priorities) noexcept {
    __extension__ using Wide = __int128;
    Wide sum = 0;
    for (std::int64_t p : priorities) sum += p;
    const auto n = static_cast<Wide>(priorities.size());
    Wide quotient = sum / n;
    if (sum % n != 0 && sum < 0) --quotient;  // floor, as Go's Euclidean big.Int.Div
    return static_cast<std::int64_t>(quotient);
}

}  // namespace mfd::consensus
