#include "plugin/plugin_metrics.hpp"

#include <optional>
#include <string>

namespace mfd::plugin {
namespace {

/// The child of `family` for `labels`; Family::with fails only on a wrong label count.
template <class T>
core::Result<T*> child(core::Result<rpc::Family<T>*> family, std::vector<std::string> labels) {
    if (!family) return core::fail(family.error());
    return (*family)->with(std::move(labels));
}

/// Stores the value of `r` into `out`; on failure keeps the first error in `err`.
template <class T>
void take(core::Result<T*> r, T*& out, std::optional<core::Error>& err) {
    if (r) {
        out = *r;
    } else if (!err) {
        err = r.error();
    }
}

}  // namespace

std::vector<double> hook_buckets() {
    return {1e-5,   2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2,
            2.5e-2, 5e-2,   0.1,  0.25, 0.5,    1.0,  2.5,  5.0,    10.0};
}

core::Result<PluginMetrics> PluginMetrics::create(rpc::Registry& r) {
    PluginMetrics m;
    std::optional<core::Error> err;
    auto duration = r.histogram_family("fraud_hook_duration_seconds",
                                       "Time spent in each plugin hook", {"hook"}, hook_buckets());
    auto calls = r.counter_family("fraud_hook_calls_total", "Calls of each plugin hook", {"hook"});
    auto over = r.counter_family("fraud_hook_over_budget_total",
                                 "Hook calls that took longer than their budget", {"hook"});
    auto failures =
        r.counter_family("fraud_hook_failures_total",
                         "Model calls that timed out or failed, by hook", {"hook", "kind"});
    auto degraded = r.counter_family("fraud_degraded_total",
                                     "Transactions decided by the failure policy", {"hook"});
    for (std::size_t h = 0; h < kHookCount; ++h) {
        const std::string name(hook_name(static_cast<Hook>(h)));
        HookMeters& x = m.hooks_[h];
        take(child(duration, {name}), x.duration, err);
        take(child(calls, {name}), x.calls, err);
        take(child(over, {name}), x.over_budget, err);
        take(child(failures, {name, "timeout"}), x.timeouts, err);
        take(child(failures, {name, "error"}), x.errors, err);
        take(child(degraded, {name}), x.degraded, err);
    }
    take(r.counter_family("fraud_scored_total", "Transactions scored", {"origin"}), m.scored_, err);
    take(r.counter_family("fraud_flagged_total", "Transactions flagged locally", {"origin"}),
         m.flagged_, err);
    for (std::size_t o = 0; o < kOrigins && !err; ++o) {
        const std::string name(o < kHookCount ? hook_name(static_cast<Hook>(o)) : kRpcOrigin);
        take(m.scored_->with({name}), m.scored_by_origin_[o], err);
        take(m.flagged_->with({name}), m.flagged_by_origin_[o], err);
    }
    take(r.counter_family("fraud_check_tx_total", "check_tx verdicts by reason",
                          {"verdict", "reason"}),
         m.checks_, err);
    take(r.counter_family("fraud_expert_selected_total", "Scores in which each expert was selected",
                          {"expert"}),
         m.experts_, err);
    take(r.gauge_family("fraud_expert_utilisation",
                        "Share of scored transactions that selected each expert (current "
                        "model, updated per block and per fraud_getExpertStats)",
                        {"expert"}),
         m.utilisation_, err);
    auto refusals =
        r.counter_family("fraud_host_refusals_total",
                         "Transactions the host reported refusing, by reason", {"reason"});
    take(child(refusals, {"nonce_too_low"}), m.refusals_[0], err);
    take(child(refusals, {"insufficient_funds"}), m.refusals_[1], err);
    take(child(refusals, {"other"}), m.refusals_[2], err);
    auto committed = r.counter_family("fraud_committed_flags_total",
                                      "Flags in committed blocks, by outcome", {"outcome"});
    take(child(committed, {"excluded"}), m.flags_excluded_, err);
    take(child(committed, {"kept"}), m.flags_kept_, err);
    take(r.gauge("fraud_consensus_height", "Height of the last block finalised"), m.height_, err);
    auto reloads =
        r.counter_family("fraud_model_reloads_total", "Model reloads by outcome", {"outcome"});
    take(child(reloads, {"ok"}), m.reloads_ok_, err);
    take(child(reloads, {"failed"}), m.reloads_failed_, err);
    take(r.gauge("fraud_threshold", "Decision threshold in force"), m.threshold_, err);
    if (err) return core::fail(*err);
    return m;
}

void PluginMetrics::observe_call(Hook hook, std::chrono::nanoseconds elapsed,
                                 std::chrono::microseconds budget) noexcept {
    auto& h = hooks_[static_cast<std::size_t>(hook)];
    h.duration->observe(std::chrono::duration<double>(elapsed).count());
    h.calls->inc();
    if (budget.count() > 0 && elapsed > budget) h.over_budget->inc();
}

void PluginMetrics::count_failure(Hook hook, FailureKind kind, std::size_t degraded) noexcept {
    auto& h = hooks_[static_cast<std::size_t>(hook)];
    (kind == FailureKind::kTimeout ? h.timeouts : h.errors)->inc();
    h.degraded->inc(degraded);
}

std::size_t PluginMetrics::origin_index(std::string_view origin) noexcept {
    for (std::size_t h = 0; h < kHookCount; ++h) {
        if (origin == hook_name(static_cast<Hook>(h))) return h;
    }
    return kHookCount;
}

void PluginMetrics::count_scored(std::string_view origin, std::size_t n, std::size_t flagged) {
    const std::size_t o = origin_index(origin);
    scored_by_origin_[o]->inc(n);
    if (flagged > 0) flagged_by_origin_[o]->inc(flagged);
}

void PluginMetrics::count_experts(const fraud::Explanation& explanation) {
    for (std::size_t i = 0; i < explanation.expert_count; ++i) {
        const auto e = explanation.experts[i].expert;
        if (explanation.experts[i].weight <= 0.0F || e >= kMaxExperts) continue;
        auto& slot = (*expert_counters_)[e];
        rpc::Counter* c = slot.load(std::memory_order_acquire);
        if (c == nullptr) {
            auto made = experts_->with({std::to_string(e)});
            if (!made) continue;
            c = *made;
            slot.store(c, std::memory_order_release);
        }
        c->inc();
    }
}

void PluginMetrics::count_check(bool accepted, std::string_view reason) {
    const std::string r = reason.empty() ? "none" : std::string(reason);
    if (auto c = checks_->with({accepted ? "accept" : "reject", r})) (*c)->inc();
}

void PluginMetrics::count_refusal(std::uint32_t reason) noexcept {
    if (reason >= 1 && reason <= refusals_.size()) refusals_[reason - 1]->inc();
}

void PluginMetrics::count_block(std::uint64_t height, std::size_t flags,
                                std::size_t excluded) noexcept {
    height_->set(static_cast<double>(height));
    flags_excluded_->inc(excluded);
    flags_kept_->inc(flags - excluded);
}

void PluginMetrics::set_utilisation(const std::vector<double>& shares) {
    for (std::size_t e = 0; e < shares.size(); ++e) {
        if (auto g = utilisation_->with({std::to_string(e)})) (*g)->set(shares[e]);
    }
}

void PluginMetrics::count_reload(bool ok, float threshold) noexcept {
    (ok ? reloads_ok_ : reloads_failed_)->inc();
    if (ok) threshold_->set(threshold);
}

void PluginMetrics::set_threshold(float threshold) noexcept {
    threshold_->set(threshold);
}

}  // namespace mfd::plugin
