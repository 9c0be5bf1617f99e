#pragma once
/// Feature rows of a whole sequence of transactions, each from the history before it: the
/// replay that training, evaluation and the detector's batch replay share.

#include <cstdint>
#include <span>
#include <vector>

#include "core/tx_event.hpp"
#include "fraud/feature_extractor.hpp"

namespace mfd::fraud {

/// Row-major feature rows with the groups computed for each.
struct FeatureRows {
    std::vector<float> values;  ///< size() × kFeatures
    std::vector<GroupMask> masks;

    [[nodiscard]] std::size_t size() const noexcept { return masks.size(); }
    [[nodiscard]] std::span<const float> row(std::size_t i) const {
        return {values.data() + i * kFeatures, kFeatures};
    }
};

/// Which events a replay adds to the history after extracting their row: all of them (empty
/// span), or those whose entry is kObserve (e.g. only what the chain included); an entry
/// kRefusedStale records a refusal for a spent nonce instead (observe_refused_stale).
using ObserveMask = std::span<const std::uint8_t>;
inline constexpr std::uint8_t kSkip = 0;
inline constexpr std::uint8_t kObserve = 1;
inline constexpr std::uint8_t kRefusedStale = 2;

/// Appends the row of each event to `out`, extracting it from the history as it stands and
/// then observing the event when `observe` says so. `contexts` is empty or one per event.
/// Fails with kInvalidArgument when a span's size does not match, or with observe()'s error
/// (rows extracted so far stay in `out`).
[[nodiscard]] core::Result<void> replay_features(FeatureExtractor& extractor,
                                                 std::span<const core::TxEvent> events,
                                                 FeatureRows& out, ObserveMask observe = {},
                                                 std::span<const TxContext> contexts = {});

}  // namespace mfd::fraud
