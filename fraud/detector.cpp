#include "fraud/detector.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "fraud/explain.hpp"
#include "fraud/host_model.hpp"
#include "fraud/thresholds.hpp"

namespace mfd::fraud {

struct Detector::Impl {
    models::Model model;
    HostModel host;
    models::Scorer scorer;
    AccountHistory history;
    FeatureExtractor extractor{history};
    DetectorOptions options;
    float threshold = 0.5F;
    mutable std::mutex mutex;
    HostScore host_score;
    FeatureRows rows;
    models::ScoreBatch batch;
    std::vector<float> effects = std::vector<float>(kFeatures);
    FeatureSink sink;

    Impl(models::Model m, HostModel h, models::Scorer s, core::KvStore* store,
         const DetectorOptions& o)
        : model(std::move(m)),
          host(std::move(h)),
          scorer(std::move(s)),
          history(store, o.cache_accounts),
          options(o) {}

    Score score_host(std::span<const float> row, GroupMask mask);
    core::Result<void> score_rows(std::vector<Score>& out);
};

Score Detector::Impl::score_host(std::span<const float> row, GroupMask mask) {
    host.score(row, host_score);
    host.feature_effects(host_score, effects);
    Score s;
    s.probability = host_score.probability;
    s.quantised = quantise(s.probability);
    s.explanation =
        explain(model.config(), row, mask, host_score.weight, host_score.expert_logits, effects);
    s.flagged = flag_decision(s.probability, threshold, row.data());
    return s;
}

core::Result<void> Detector::Impl::score_rows(std::vector<Score>& out) {
    const std::size_t n = rows.size();
    out.resize(n);
    const std::size_t chunk = std::max<std::size_t>(1, options.batch_rows);
    std::vector<float> weights(host.n_experts());
    for (std::size_t start = 0; start < n; start += chunk) {
        const std::size_t m = std::min(chunk, n - start);
        const std::span<const float> part(rows.values.data() + start * kFeatures, m * kFeatures);
        if (auto r = scorer.score(part, batch); !r) return r;
        for (std::size_t i = 0; i < m; ++i) {
            const auto row = rows.row(start + i);
            Score& s = out[start + i];
            s.probability = batch.probability[i];
            s.flagged = flag_decision(s.probability, threshold, row.data());
            s.quantised = quantise(s.probability);
            mixing_weights(model.config(), batch.gate(i), batch.used(i), weights);
            std::span<const float> fx;
            if (s.flagged || options.explain_all) {
                host.score(row, host_score);
                host.feature_effects(host_score, effects);
                fx = effects;
            }
            s.explanation =
                explain(model.config(), row, rows.masks[start + i], weights, batch.logits(i), fx);
        }
    }
    return {};
}

Detector::Detector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Detector::Detector(Detector&&) noexcept = default;
Detector& Detector::operator=(Detector&&) noexcept = default;
Detector::~Detector() = default;

core::Result<Detector> Detector::create(const models::Model& model, core::KvStore* store,
                                        const DetectorOptions& options) {
    if (model.info().schema_version != kSchemaVersion || model.config().n_features != kFeatures) {
        return core::fail(core::Errc::kInvalidArgument,
                          "detector: the model was fit on feature schema '" +
                              model.info().schema_version + "' with " +
                              std::to_string(model.config().n_features) +
                              " columns; this build "
                              "needs '" +
                              std::string(kSchemaVersion) + "' with " + std::to_string(kFeatures));
    }
    auto points = parse_thresholds(model.info().thresholds_json);
    if (!points) return core::fail(points.error());
    auto host = HostModel::create(model);
    if (!host) return core::fail(host.error());
    auto scorer = models::Scorer::create(model, {.device = options.device});
    if (!scorer) return core::fail(scorer.error());
    auto impl = std::make_unique<Impl>(model, std::move(*host), std::move(*scorer), store, options);
    impl->threshold = options.threshold.value_or(pick_threshold(*points, options.target_fpr));
    if (auto r = impl->history.load(); !r) return core::fail(r.error());
    return Detector(std::move(impl));
}

core::Result<Detector> Detector::load(const std::filesystem::path& path, core::KvStore* store,
                                      const DetectorOptions& options) {
    auto model = models::Model::load(path, kSchemaVersion);
    if (!model) return core::fail(model.error());
    return create(*model, store, options);
}

Score Detector::score(const core::TxEvent& event, const TxContext& context) {
    std::lock_guard lock(impl_->mutex);
    auto& s = *impl_;
    s.history.trim_cache();
    float row[kFeatures];
    const GroupMask mask = s.extractor.extract(event, context, row);
    if (s.sink) s.sink(event, row, mask);
    return s.score_host(row, mask);
}

core::Result<void> Detector::score_batch(std::span<const core::TxEvent> events,
                                         std::vector<Score>& out,
                                         std::span<const TxContext> contexts) {
    if (!contexts.empty() && contexts.size() != events.size()) {
        return core::fail(core::Errc::kInvalidArgument,
                          "score_batch: contexts must be empty or one per event");
    }
    std::lock_guard lock(impl_->mutex);
    auto& s = *impl_;
    s.history.trim_cache();
    s.rows.values.resize(events.size() * kFeatures);
    s.rows.masks.resize(events.size());
    const TxContext none;
    for (std::size_t i = 0; i < events.size(); ++i) {
        std::span<float> row(s.rows.values.data() + i * kFeatures, kFeatures);
        s.rows.masks[i] =
            s.extractor.extract(events[i], contexts.empty() ? none : contexts[i], row);
        if (s.sink) s.sink(events[i], row, s.rows.masks[i]);
    }
    return s.score_rows(out);
}

core::Result<void> Detector::replay(std::span<const core::TxEvent> events, std::vector<Score>& out,
                                    ObserveMask observe, std::span<const TxContext> contexts) {
    std::lock_guard lock(impl_->mutex);
    auto& s = *impl_;
    s.history.trim_cache();
    s.rows.values.clear();
    s.rows.masks.clear();
    if (auto r = replay_features(s.extractor, events, s.rows, observe, contexts); !r) return r;
    return s.score_rows(out);
}

core::Result<void> Detector::observe(const core::TxEvent& event) {
    std::lock_guard lock(impl_->mutex);
    return impl_->extractor.observe(event);
}

void Detector::note_seen(const core::TxEvent& event) {
    if (event.signature == core::SignatureStatus::kUnavailable || event.tx.r.is_zero()) return;
    std::lock_guard lock(impl_->mutex);
    impl_->history.note_seen_r(event.tx.r, event.tx.s);
}

core::Result<void> Detector::observe_excluded(const core::TxEvent& event) {
    std::lock_guard lock(impl_->mutex);
    return impl_->extractor.observe_excluded(event);
}

core::Result<void> Detector::observe_refused_stale(const core::TxEvent& event) {
    std::lock_guard lock(impl_->mutex);
    return impl_->extractor.observe_refused_stale(event);
}

core::Result<void> Detector::observe_seen(const core::TxEvent& event, bool flagged) {
    std::lock_guard lock(impl_->mutex);
    impl_->history.set_seen_mode(true);
    auto r = impl_->extractor.observe(event);
    if (r && flagged) r = impl_->extractor.observe_excluded(event);
    impl_->history.set_seen_mode(false);
    return r;
}

bool Detector::reuses_r(const core::TxEvent& event) const {
    if (event.signature == core::SignatureStatus::kUnavailable || event.tx.r.is_zero()) {
        return false;
    }
    std::lock_guard lock(impl_->mutex);
    return impl_->history.r_seen(event.tx.r, event.tx.s);
}

void Detector::clear_seen() {
    std::lock_guard lock(impl_->mutex);
    impl_->history.clear_seen();
}

void Detector::set_feature_sink(FeatureSink sink) {
    std::lock_guard lock(impl_->mutex);
    impl_->sink = std::move(sink);
}

void Detector::commit(core::WriteBatch& batch) {
    std::lock_guard lock(impl_->mutex);
    impl_->history.flush(batch);
}

void Detector::discard() {
    std::lock_guard lock(impl_->mutex);
    impl_->history.discard();
}

float Detector::threshold() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->threshold;
}

void Detector::set_threshold(float threshold) {
    std::lock_guard lock(impl_->mutex);
    impl_->threshold = threshold;
}

models::Device Detector::device() const {
    return impl_->scorer.device();
}

const models::Model& Detector::model() const {
    return impl_->model;
}

models::ScorerStats Detector::stats() const {
    return impl_->scorer.stats();
}

}  // namespace mfd::fraud
