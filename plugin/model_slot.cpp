#include "plugin/model_slot.hpp"

#include <chrono>
#include <fstream>
#include <iterator>

#include "core/sha256.hpp"
#include "fraud/feature_schema.hpp"
#include "plugin/wall_clock.hpp"

namespace mfd::plugin {
namespace {

std::unique_ptr<std::atomic<std::uint64_t>[]> zeros(std::size_t n) {
    auto p = std::make_unique<std::atomic<std::uint64_t>[]>(n);
    for (std::size_t i = 0; i < n; ++i) p[i].store(0, std::memory_order_relaxed);
    return p;
}

core::Result<std::string> file_version(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::fail(core::Errc::kIo, "cannot read " + path.string());
    const core::Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const core::Hash digest = core::sha256(bytes);
    return "sha256:" + core::to_hex(digest.view().first(8), false);
}

}  // namespace

ExpertTally::ExpertTally(std::size_t experts)
    : n_(experts),
      selected_(zeros(experts)),
      weight_(zeros(experts)),
      probability_(zeros(experts)) {}

void ExpertTally::add(const fraud::Explanation& explanation) noexcept {
    scored_.fetch_add(1, std::memory_order_relaxed);
    for (std::size_t i = 0; i < explanation.expert_count; ++i) {
        const auto& e = explanation.experts[i];
        if (e.expert >= n_ || e.weight <= 0.0F) continue;
        selected_[e.expert].fetch_add(1, std::memory_order_relaxed);
        weight_[e.expert].fetch_add(static_cast<std::uint64_t>(e.weight * kFixed),
                                    std::memory_order_relaxed);
        probability_[e.expert].fetch_add(static_cast<std::uint64_t>(e.probability * kFixed),
                                         std::memory_order_relaxed);
    }
}

ExpertTally::Snapshot ExpertTally::snapshot() const {
    Snapshot s;
    s.scored = scored_.load(std::memory_order_relaxed);
    s.selected.resize(n_);
    s.mean_weight.resize(n_);
    s.mean_probability.resize(n_);
    for (std::size_t e = 0; e < n_; ++e) {
        const auto n = selected_[e].load(std::memory_order_relaxed);
        s.selected[e] = n;
        if (n == 0) continue;
        const double d = static_cast<double>(n) * kFixed;
        s.mean_weight[e] = static_cast<double>(weight_[e].load(std::memory_order_relaxed)) / d;
        s.mean_probability[e] =
            static_cast<double>(probability_[e].load(std::memory_order_relaxed)) / d;
    }
    return s;
}

std::vector<double> ExpertTally::Snapshot::utilisation() const {
    std::vector<double> u(selected.size());
    if (scored == 0) return u;
    for (std::size_t e = 0; e < u.size(); ++e) {
        u[e] = static_cast<double>(selected[e]) / static_cast<double>(scored);
    }
    return u;
}

core::Result<ModelFile> read_model_file(const std::filesystem::path& path) {
    auto model = models::Model::load(path, fraud::kSchemaVersion);
    if (!model) return core::fail(model.error());
    auto version = file_version(path);
    if (!version) return core::fail(version.error());
    return ModelFile{std::move(*model), std::make_shared<const std::string>(std::move(*version)),
                     path};
}

core::Result<std::shared_ptr<ModelState>> bind_model(const ModelFile& file, core::KvStore* store,
                                                     const fraud::DetectorOptions& options) {
    auto detector = fraud::Detector::create(file.model, store, options);
    if (!detector) return core::fail(detector.error());
    auto state = std::make_shared<ModelState>();
    state->detector = std::make_unique<fraud::Detector>(std::move(*detector));
    state->version = file.version;
    state->path = file.path;
    state->loaded_at_ms = wall_ms();
    state->tally = std::make_shared<ExpertTally>(file.model.config().total_experts());
    return state;
}

}  // namespace mfd::plugin
