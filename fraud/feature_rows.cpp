#include "fraud/feature_rows.hpp"

namespace mfd::fraud {

core::Result<void> replay_features(FeatureExtractor& extractor,
                                   std::span<const core::TxEvent> events, FeatureRows& out,
                                   ObserveMask observe, std::span<const TxContext> contexts) {
    if ((!observe.empty() && observe.size() != events.size()) ||
        (!contexts.empty() && contexts.size() != events.size())) {
        return core::fail(core::Errc::kInvalidArgument,
                          "replay: the observe mask and contexts must be empty or one per event");
    }
    const std::size_t base = out.size();
    out.values.resize((base + events.size()) * kFeatures);
    out.masks.reserve(base + events.size());
    const TxContext none;
    for (std::size_t i = 0; i < events.size(); ++i) {
        std::span<float> row(out.values.data() + (base + i) * kFeatures, kFeatures);
        out.masks.push_back(
            extractor.extract(events[i], contexts.empty() ? none : contexts[i], row));
        const std::uint8_t what = observe.empty() ? kObserve : observe[i];
        if (what == kSkip) continue;
        auto r = what == kRefusedStale ? extractor.observe_refused_stale(events[i])
                                       : extractor.observe(events[i]);
        if (!r) {
            out.values.resize(out.masks.size() * kFeatures);
            return r;
        }
    }
    return {};
}

}  // namespace mfd::fraud
