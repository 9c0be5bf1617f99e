#pragma once
/// The plugin's feature log (config key `feature_log`, docs/plugin.md): every row its hooks
/// score, written as the detector scored it (fraud/feature_log.hpp), with the hook's name. The
/// trailer is written when the instance is destroyed. Thread-safe: rows from several scoring
/// threads are serialised by a mutex; a write failure is logged once and stops the log.

#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>

#include "core/result.hpp"
#include "core/tx_event.hpp"
#include "fraud/feature_log.hpp"

namespace mfd::plugin {

class FeatureLogSink {
public:
    /// Creates (truncating) the log at `path`. Fails with kIo naming the file.
    [[nodiscard]] static core::Result<std::unique_ptr<FeatureLogSink>> open(
        const std::filesystem::path& path);
    /// Writes the trailer.
    ~FeatureLogSink();

    /// Appends the row of `event` scored by the hook named by the calling thread's HookScope.
    void add(const core::TxEvent& event, std::span<const float> row, fraud::GroupMask mask);

    /// Names the hook that scores on this thread while it lives (static strings only).
    class HookScope {
    public:
        explicit HookScope(std::string_view hook);
        ~HookScope();
        HookScope(const HookScope&) = delete;
        HookScope& operator=(const HookScope&) = delete;

    private:
        std::string_view previous_;
    };

private:
    explicit FeatureLogSink(fraud::FeatureLogWriter writer) : writer_(std::move(writer)) {}

    std::mutex mu_;
    fraud::FeatureLogWriter writer_;
    bool failed_ = false;
};

}  // namespace mfd::plugin
