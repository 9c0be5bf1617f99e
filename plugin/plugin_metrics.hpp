#pragma once
/// The plugin's Prometheus metrics (docs/plugin.md lists them): per-hook latency histograms,
/// calls, budget overruns and failures; transactions scored and flagged; check_tx verdicts by
/// reason; expert selection; committed flags; the consensus height; model reloads. Every update
/// is a relaxed atomic on a pointer cached at construction, except check_tx reasons and experts
/// (looked up under the family's lock). Thread-safe.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "fraud/score.hpp"
#include "plugin/plugin_config.hpp"
#include "plugin/rpc/metrics.hpp"

namespace mfd::plugin {

/// How a hook's model call went wrong.
enum class FailureKind : std::uint8_t { kTimeout, kError };

/// Where a score was asked for, besides the hooks.
inline constexpr std::string_view kRpcOrigin = "rpc";

class PluginMetrics {
public:
    /// Registers every metric in `registry`, which must outlive this object. Fails with the
    /// registry's error (a name taken by a metric of another kind).
    [[nodiscard]] static core::Result<PluginMetrics> create(rpc::Registry& registry);

    /// One call of `hook` that took `elapsed` against its `budget` (0: unlimited).
    void observe_call(Hook hook, std::chrono::nanoseconds elapsed,
                      std::chrono::microseconds budget) noexcept;
    /// A model call of `hook` that failed; `degraded` transactions were decided by the policy.
    void count_failure(Hook hook, FailureKind kind, std::size_t degraded) noexcept;
    /// `n` transactions scored for `origin` (a hook name or kRpcOrigin), `flagged` of them flagged.
    void count_scored(std::string_view origin, std::size_t n, std::size_t flagged);
    /// The experts that a score's explanation shows were selected.
    void count_experts(const fraud::Explanation& explanation);
    /// A check_tx verdict with its reason ("" for a plain accept).
    void count_check(bool accepted, std::string_view reason);
    /// A refusal the host reported: `reason` FP_REFUSED_* (1..3; others are ignored).
    void count_refusal(std::uint32_t reason) noexcept;
    /// Committed flags of a finalised block, and its height.
    void count_block(std::uint64_t height, std::size_t flags, std::size_t excluded) noexcept;
    /// Sets each expert's utilisation gauge (share of scored rows that selected it).
    void set_utilisation(const std::vector<double>& shares);
    /// A model reload attempt; sets the threshold gauge on success.
    void count_reload(bool ok, float threshold) noexcept;
    /// The decision threshold in force.
    void set_threshold(float threshold) noexcept;

private:
    struct HookMeters {
        rpc::Histogram* duration = nullptr;
        rpc::Counter* calls = nullptr;
        rpc::Counter* over_budget = nullptr;
        rpc::Counter* timeouts = nullptr;
        rpc::Counter* errors = nullptr;
        rpc::Counter* degraded = nullptr;
    };

    PluginMetrics() = default;
    /// 0..kHookCount-1 for a hook's name, kHookCount for anything else (kRpcOrigin).
    [[nodiscard]] static std::size_t origin_index(std::string_view origin) noexcept;

    static constexpr std::size_t kOrigins = kHookCount + 1;
    static constexpr std::size_t kMaxExperts = 256;

    std::array<HookMeters, kHookCount> hooks_{};
    std::array<rpc::Counter*, kOrigins> scored_by_origin_{};
    std::array<rpc::Counter*, kOrigins> flagged_by_origin_{};
    /// Children of experts_, created on first use (then read without the family's lock).
    std::shared_ptr<std::array<std::atomic<rpc::Counter*>, kMaxExperts>> expert_counters_ =
        std::make_shared<std::array<std::atomic<rpc::Counter*>, kMaxExperts>>();
    rpc::Family<rpc::Counter>* scored_ = nullptr;
    rpc::Family<rpc::Counter>* flagged_ = nullptr;
    rpc::Family<rpc::Counter>* checks_ = nullptr;
    rpc::Family<rpc::Counter>* experts_ = nullptr;
    rpc::Family<rpc::Gauge>* utilisation_ = nullptr;
    std::array<rpc::Counter*, 3> refusals_{};  ///< by FP_REFUSED_* - 1
    rpc::Counter* flags_excluded_ = nullptr;
    rpc::Counter* flags_kept_ = nullptr;
    rpc::Gauge* height_ = nullptr;
    rpc::Counter* reloads_ok_ = nullptr;
    rpc::Counter* reloads_failed_ = nullptr;
    rpc::Gauge* threshold_ = nullptr;
};

/// Hook latency bounds in seconds, 10 µs to 10 s.
[[nodiscard]] std::vector<double> hook_buckets();

}  // namespace mfd::plugin
