#include "plugin/feature_log_sink.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace mfd::plugin {
namespace {

thread_local std::string_view t_hook = "unknown";

}  // namespace

FeatureLogSink::HookScope::HookScope(std::string_view hook) : previous_(t_hook) {
    t_hook = hook;
}

FeatureLogSink::HookScope::~HookScope() {
    t_hook = previous_;
}

core::Result<std::unique_ptr<FeatureLogSink>> FeatureLogSink::open(
    const std::filesystem::path& path) {
    auto writer = fraud::FeatureLogWriter::create(path, false);
    if (!writer) return core::fail(writer.error());
    return std::unique_ptr<FeatureLogSink>(new FeatureLogSink(std::move(*writer)));
}

FeatureLogSink::~FeatureLogSink() {
    std::lock_guard lock(mu_);
    if (failed_) return;
    if (auto r = writer_.close(); !r) {
        spdlog::error("fraud plugin: feature log: {}", r.error().to_string());
    }
}

void FeatureLogSink::add(const core::TxEvent& event, std::span<const float> row,
                         fraud::GroupMask mask) {
    fraud::FeatureLogRow r;
    r.hash = event.hash;
    r.hook = std::string(t_hook);
    r.time_ms = event.time_ms;
    r.mask = mask;
    std::copy_n(row.begin(), std::min(row.size(), r.x.size()), r.x.begin());
    std::lock_guard lock(mu_);
    if (failed_) return;
    if (auto ok = writer_.write(r); !ok) {
        failed_ = true;
        spdlog::error("fraud plugin: feature log stopped: {}", ok.error().to_string());
    }
}

}  // namespace mfd::plugin
