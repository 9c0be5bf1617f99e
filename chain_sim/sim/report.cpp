#include "chain_sim/sim/report.hpp"

#include <algorithm>
#include <cstdio>

#include "plugin/rpc/eth_params.hpp"

namespace mfd::chain::sim {
namespace {

using Json = nlohmann::json;

double ratio(std::uint64_t a, std::uint64_t b) {
    return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}

Json counts_json(const FateCounts& c) {
    Json causes = Json::object();
    Json shares = Json::object();
    for (std::size_t k = 0; k < kCauseCount; ++k) {
        const std::string name(cause_name(static_cast<Cause>(k)));
        causes[name] = c.kept_out_by_cause[k];
        shares[name] = ratio(c.kept_out_by_cause[k], c.sent);
    }
    return {{"sent", c.sent},
            {"executed", c.executed},
            {"pending", c.pending},
            {"waiting", c.waiting},
            {"kept_out", c.kept_out()},
            {"rejected_at_admission", c.rejected},
            {"excluded_by_consensus", c.excluded},
            {"invalid_at_execution", c.skipped},
            {"stuck_behind_a_kept_out_nonce", c.stuck},
            {"kept_out_share", ratio(c.kept_out(), c.resolved())},
            {"kept_out_by_cause", causes},
            {"kept_out_by_cause_share_of_sent", shares},
            {"executed_unflagged", c.executed_unflagged},
            {"executed_flagged_below_rule", c.executed_outvoted}};
}

Json phases_json(const node::NodeStats& s) {
    Json out = Json::object();
    for (std::size_t i = 0; i < node::kPhaseCount; ++i) {
        const auto phase = static_cast<node::Phase>(i);
        out[std::string(node::phase_name(phase))] = {
            {"seconds", static_cast<double>(s.nanos[i]) / 1e9}, {"calls", s.calls[i]}};
    }
    return out;
}

std::string line(const char* fmt, auto... args) {
    char buf[256];
    std::snprintf(buf, sizeof buf, fmt, args...);
    return buf;
}

}  // namespace

double percentile(std::vector<std::int64_t> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto rank =
        static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size() - 1) + 0.5);
    return static_cast<double>(values[std::min(rank, values.size() - 1)]);
}

Json report_json(const RunFigures& f) {
    const Detection& d = f.detection;
    Json typologies = Json::object();
    for (const auto& [name, c] : d.by_typology) {
        typologies[name] = counts_json(c);
        if (const auto it = d.detectable_by_typology.find(name);
            it != d.detectable_by_typology.end()) {
            typologies[name]["kept_out_share_detectable"] =
                ratio(it->second.kept_out(), it->second.resolved());
        }
    }
    Json slashing = Json::array();
    for (const auto& s : f.slashing) {
        slashing.push_back({{"height", s.height},
                            {"kind", s.kind},
                            {"validator", rpc::to_checksum_address(s.validator)},
                            {"slashed", s.slashed}});
    }
    return {
        {"validators", f.validators},
        {"byzantine", f.byzantine},
        {"seed", f.seed},
        {"plugin", f.plugin},
        {"rpc", f.rpc},
        {"chain",
         {{"start_height", f.start_height},
          {"end_height", f.end_height},
          {"resumed", f.start_height > 0}}},
        {"interrupted", f.interrupted},
        {"blocks_committed", f.blocks},
        {"txs_committed", f.txs},
        {"candidates_announced", f.announced},
        {"blocks_after_round_0", f.rounds_over_zero},
        {"wall_seconds", f.wall_s},
        {"traffic_seconds", f.traffic_s},
        {"simulated_seconds", f.simulated_s},
        {"tx_per_second", ratio(f.txs, 1) / std::max(f.wall_s, 1e-9)},
        {"finality_ms",
         {{"p50", percentile(f.finality_us, 50) / 1000.0},
          {"p99", percentile(f.finality_us, 99) / 1000.0},
          {"samples", f.finality_us.size()}}},
        {"traffic", {{"transactions", f.traffic_txs}, {"executed_earlier", f.traffic_earlier}}},
        {"detection",
         {{"fraud", counts_json(d.fraud)},
          {"fraud_detectable", counts_json(d.fraud_detectable)},
          {"honest_valid", counts_json(d.honest_valid)},
          {"honest_invalid", counts_json(d.honest_invalid)},
          {"by_typology", typologies},
          {"rejection_reasons", d.rejection_reasons},
          {"execution_skip_reasons", d.skip_reasons},
          {"pending_at_end", d.pending_at_end},
          {"pending_at_end_share_of_sent",
           ratio(d.pending_at_end, d.fraud.sent + d.honest_valid.sent + d.honest_invalid.sent)}}},
        {"wallets",
         {{"cancels_sent", f.wallets.cancels_sent},
          {"cancels_executed", f.wallets.cancels_executed},
          {"gaps_unfilled", f.wallets.gaps_unfilled},
          {"sent_late", f.wallets.waited}}},
        {"drain_blocks", f.drain_blocks},
        {"experts", f.experts},
        {"slashing", slashing},
        {"validator0",
         {{"phases", phases_json(f.node0)},
          {"admitted", f.node0.admitted},
          {"rejected", f.node0.rejected},
          {"plugin_errors", f.node0.plugin_errors},
          {"txs_dropped", f.node0.txs_dropped}}},
        {"sender_cache", {{"hits", f.cache_hits}, {"recoveries", f.cache_misses}}},
        {"network",
         {{"events", f.driver.events},
          {"deliveries", f.driver.deliveries},
          {"lost", f.driver.lost},
          {"timers", f.driver.timers}}},
    };
}

std::string summary_text(const RunFigures& f) {
    const Detection& d = f.detection;
    std::string s;
    s += line("\n== chain_sim run: %zu validators%s%s ==\n", f.validators,
              f.byzantine.empty() ? "" : ", byzantine ", f.byzantine.c_str());
    s += line("blocks  %llu committed (height %llu -> %llu%s), %llu decided after round 0\n",
              static_cast<unsigned long long>(f.blocks),
              static_cast<unsigned long long>(f.start_height),
              static_cast<unsigned long long>(f.end_height), f.start_height > 0 ? ", resumed" : "",
              static_cast<unsigned long long>(f.rounds_over_zero));
    s += line("txs     %llu executed in %.1f s wall: %.0f tx/s (traffic prepared in %.1f s)\n",
              static_cast<unsigned long long>(f.txs), f.wall_s,
              static_cast<double>(f.txs) / std::max(f.wall_s, 1e-9), f.traffic_s);
    s += line("finality p50 %.0f ms, p99 %.0f ms (simulated time, sent -> executed)\n",
              percentile(f.finality_us, 50) / 1000.0, percentile(f.finality_us, 99) / 1000.0);
    s += line(
        "fraud   %llu of %llu decided kept out (%.1f%%): %llu at admission, %llu by the "
        "flag rule, %llu invalid at execution; %llu executed, %llu pending\n",
        static_cast<unsigned long long>(d.fraud.kept_out()),
        static_cast<unsigned long long>(d.fraud.resolved()),
        100.0 * ratio(d.fraud.kept_out(), d.fraud.resolved()),
        static_cast<unsigned long long>(d.fraud.rejected),
        static_cast<unsigned long long>(d.fraud.excluded),
        static_cast<unsigned long long>(d.fraud.skipped),
        static_cast<unsigned long long>(d.fraud.executed),
        static_cast<unsigned long long>(d.fraud.pending));
    const FateCounts& h = d.honest_valid;
    const auto cause = [&h](Cause k) {
        return static_cast<unsigned long long>(h.kept_out_by_cause[static_cast<std::size_t>(k)]);
    };
    s += line(
        "honest  %llu of %llu valid ones sent wrongly kept out (%.2f%%): detector %llu, "
        "collateral %llu, timing %llu, rules %llu\n",
        static_cast<unsigned long long>(h.kept_out()), static_cast<unsigned long long>(h.sent),
        100.0 * ratio(h.kept_out(), h.sent), cause(Cause::kDetector), cause(Cause::kCollateral),
        cause(Cause::kTiming), cause(Cause::kRules));
    s += line(
        "pending %llu of the traffic undecided at the end (%.2f%% of sent); wallets "
        "filled %llu kept-out nonces\n",
        static_cast<unsigned long long>(d.pending_at_end),
        100.0 * ratio(d.pending_at_end, d.fraud.sent + d.honest_valid.sent + d.honest_invalid.sent),
        static_cast<unsigned long long>(f.wallets.cancels_executed));
    s += "by typology (kept out / decided):\n";
    for (const auto& [name, c] : d.by_typology) {
        if (name.rfind("fraud:", 0) != 0) continue;
        s += line("  %-26s %5llu / %-5llu %5.1f%%  (flag rule %llu)", name.c_str(),
                  static_cast<unsigned long long>(c.kept_out()),
                  static_cast<unsigned long long>(c.resolved()),
                  100.0 * ratio(c.kept_out(), c.resolved()),
                  static_cast<unsigned long long>(c.excluded));
        const auto it = d.detectable_by_typology.find(name);
        if (it != d.detectable_by_typology.end() && it->second.resolved() != c.resolved()) {
            s += line("; after the first use %.1f%%",
                      100.0 * ratio(it->second.kept_out(), it->second.resolved()));
        }
        s += "\n";
    }
    s += line("slashing: %zu event(s)\n", f.slashing.size());
    for (const auto& e : f.slashing) {
        s += line("  height %llu: %s %s\n", static_cast<unsigned long long>(e.height),
                  e.kind.c_str(), rpc::to_checksum_address(e.validator).c_str());
    }
    if (f.experts.is_object() && f.experts.contains("experts")) {
        s += "expert utilisation (validator 0):";
        for (const auto& e : f.experts["experts"]) {
            s += line(" %s#%llu=%.2f", e.value("group", "?").c_str(),
                      static_cast<unsigned long long>(
                          std::stoull(e.value("index", "0x0").substr(2), nullptr, 16)),
                      e.value("utilisation", 0.0));
        }
        s += "\n";
    }
    return s;
}

}  // namespace mfd::chain::sim
