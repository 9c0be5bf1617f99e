#pragma once
/// CometBFT's proposer selection: weighted round robin over proposer priorities
/// (cometbft spec/consensus/proposer-selection.md, types/validator_set.go). Generic over the
/// entry type so that the validator set (20-byte addresses) and the `chain_sim proposers`
/// command (names as addresses) share one implementation. Pure functions; thread-safe.
///
/// An entry type V has `power` and `priority` (std::int64_t) and `address`, viewable as bytes
/// through address_bytes(); ties between equal priorities go to the smaller address
/// (bytes.Compare order: lexicographic, a prefix first).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "core/bytes.hpp"

namespace mfd::consensus {

/// CometBFT's MaxTotalVotingPower: int64 max / 8, so that 1.125 * P and 2 * P cannot overflow.
inline constexpr std::int64_t kMaxTotalVotingPower = std::numeric_limits<std::int64_t>::max() / 8;
/// Priorities are rescaled so that max - min stays within this factor of the total power.
inline constexpr std::int64_t kPriorityWindowSizeFactor = 2;

/// a + b, clipped to the int64 range (Go's safeAddClip).
[[nodiscard]] std::int64_t safe_add_clip(std::int64_t a, std::int64_t b) noexcept;
/// a - b, clipped to the int64 range (Go's safeSubClip).
[[nodiscard]] std::int64_t safe_sub_clip(std::int64_t a, std::int64_t b) noexcept;
/// floor(sum / count) of the priorities, exact (Go's big.Int Euclidean division); count > 0.
[[nodiscard]] std::int64_t average_priority(std::span<const std::int64_t> priorities) noexcept;
/// The priority CometBFT gives a validator that joins a set whose total power, with every
/// update applied but before removals, is `updated_total`: -(P + P/8).
[[nodiscard]] constexpr std::int64_t new_validator_priority(std::int64_t updated_total) noexcept {
    return -(updated_total + (updated_total >> 3));
}

[[nodiscard]] inline core::ByteView address_bytes(const core::Bytes& a) noexcept {
    return a;
}
template <std::size_t N>
[[nodiscard]] core::ByteView address_bytes(const core::FixedBytes<N>& a) noexcept {
    return a.view();
}

/// True when `a` wins the proposer slot over `b`: higher priority, then the smaller address.
template <class V>
[[nodiscard]] bool has_more_priority(const V& a, const V& b) noexcept {
    if (a.priority != b.priority) return a.priority > b.priority;
    const core::ByteView x = address_bytes(a.address);
    const core::ByteView y = address_bytes(b.address);
    return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end());
}

/// Divides every priority by ceil(diff / diff_max) when max - min exceeds diff_max
/// (RescalePriorities); diff_max <= 0 leaves them alone.
template <class V>
void rescale_priorities(std::span<V> vals, std::int64_t diff_max) noexcept {
    if (diff_max <= 0 || vals.empty()) return;
    std::int64_t lo = std::numeric_limits<std::int64_t>::max();
    std::int64_t hi = std::numeric_limits<std::int64_t>::min();
    for (const V& v : vals) {
        lo = std::min(lo, v.priority);
        hi = std::max(hi, v.priority);
    }
    // Go computes max - min in wrapping int64 and takes the absolute value.
    const auto wrapped =
        static_cast<std::int64_t>(static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo));
    const std::int64_t diff = wrapped < 0 ? -wrapped : wrapped;
    if (diff <= diff_max) return;
    const std::int64_t ratio = (diff + diff_max - 1) / diff_max;
    for (V& v : vals) v.priority /= ratio;
}

/// Subtracts the (floored) average priority from every priority (shiftByAvgProposerPriority).
template <class V>
void shift_by_average(std::span<V> vals) {
    if (vals.empty()) return;
    std::vector<std::int64_t> priorities;
    priorities.reserve(vals.size());
    for (const V& v : vals) priorities.push_back(v.priority);
    const std::int64_t avg = average_priority(priorities);
    for (V& v : vals) v.priority = safe_sub_clip(v.priority, avg);
}

/// One election: every priority grows by its power, the highest is elected and loses `total`.
/// Returns the elected index; `vals` must not be empty.
template <class V>
std::size_t elect_once(std::span<V> vals, std::int64_t total) noexcept {
    for (V& v : vals) v.priority = safe_add_clip(v.priority, v.power);
    std::size_t best = 0;
    for (std::size_t i = 1; i < vals.size(); ++i) {
        if (has_more_priority(vals[i], vals[best])) best = i;
    }
    vals[best].priority = safe_sub_clip(vals[best].priority, total);
    return best;
}

/// IncrementProposerPriority(times): rescale to a window of 2 * total, centre on the average,
/// then elect `times` times. Returns the last elected index; `vals` non-empty, times >= 1.
template <class V>
std::size_t increment_proposer_priority(std::span<V> vals, std::int64_t total, int times) {
    rescale_priorities(vals, kPriorityWindowSizeFactor * total);
    shift_by_average(vals);
    std::size_t proposer = 0;
    for (int i = 0; i < times; ++i) proposer = elect_once(vals, total);
    return proposer;
}

}  // namespace mfd::consensus
