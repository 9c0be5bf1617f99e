#include "plugin/result_json.hpp"

#include <algorithm>
#include <cmath>

#include "fraud/feature_schema.hpp"
#include "plugin/rpc/eth_params.hpp"

namespace mfd::plugin {
namespace {

using json = nlohmann::json;

std::string quantity(std::int64_t v) {
    return rpc::to_quantity(static_cast<std::uint64_t>(std::max<std::int64_t>(v, 0)));
}
std::string quantity(std::uint64_t v) {
    return rpc::to_quantity(v);
}

json address_or_null(const std::optional<core::Address>& a) {
    return a ? json(rpc::to_checksum_address(*a)) : json(nullptr);
}

double share(std::int64_t part, std::int64_t total) {
    return total > 0 ? static_cast<double>(part) / static_cast<double>(total) : 0.0;
}

double from_bp(std::uint16_t bp) {
    return static_cast<double>(bp) / FP_MAX_SCORE;
}

json parsed_or_null(const std::string& text) {
    json v = json::parse(text, nullptr, false);
    return v.is_discarded() ? json(nullptr) : v;
}

/// Probabilities rounded to 6 decimals, so answers read well and compare stably.
double rounded(double p) {
    return std::round(p * 1e6) / 1e6;
}

json explanation_json(const fraud::Explanation& e) {
    json experts = json::array();
    for (std::size_t i = 0; i < e.expert_count; ++i) {
        const auto& x = e.experts[i];
        experts.push_back({{"index", quantity(std::uint64_t{x.expert})},
                           {"group", fraud::group_span(x.group).name},
                           {"weight", rounded(x.weight)},
                           {"score", rounded(x.probability)}});
    }
    json features = json::array();
    for (std::size_t i = 0; i < e.feature_count; ++i) {
        const auto& f = e.features[i];
        features.push_back({{"name", fraud::feature_name(f.feature)},
                            {"value", rounded(f.value)},
                            {"effect", rounded(f.effect)}});
    }
    json missing = json::array();
    json anomalies = json::array();
    for (std::size_t g = 0; g < fraud::kGroups; ++g) {
        if ((e.groups & (1U << g)) == 0) missing.push_back(fraud::group_span(fraud::Group(g)).name);
    }
    for (std::size_t f = fraud::kSigInvalid; f <= fraud::kSigNotValid; ++f) {
        if (e.anomalies & (1U << (f - fraud::kSigInvalid)))
            anomalies.push_back(fraud::feature_name(f));
    }
    return {{"experts", experts},
            {"features", features},
            {"missingGroups", missing},
            {"anomalies", anomalies},
            {"summary", fraud::describe(e)}};
}

std::string severity(const Finding& f) {
    const double s = share(f.flagged_power, f.total_power);
    if (f.excluded) return s * 3 >= 2 ? "CRITICAL" : "HIGH";
    return s >= 0.1 ? "MEDIUM" : "LOW";
}

json finding_labels(const Finding& f) {
    const double confidence = rounded(from_bp(f.mean_score));
    json labels = json::array();
    labels.push_back({{"entityType", "TRANSACTION"},
                      {"entity", f.tx.hex()},
                      {"label", f.excluded ? "fraud" : "suspected-fraud"},
                      {"confidence", confidence},
                      {"remove", false}});
    if (f.sender) {
        labels.push_back({{"entityType", "ADDRESS"},
                          {"entity", rpc::to_checksum_address(*f.sender)},
                          {"label", "suspected-fraudster"},
                          {"confidence", confidence},
                          {"remove", false}});
    }
    return labels;
}

json finding_metadata(const Finding& f) {
    json m = {{"txHash", f.tx.hex()},
              {"blockNumber", quantity(f.height)},
              {"flaggingStake", quantity(f.flagged_power)},
              {"totalStake", quantity(f.total_power)},
              {"flaggedShare", std::to_string(rounded(share(f.flagged_power, f.total_power)))},
              {"meanScore", std::to_string(rounded(from_bp(f.mean_score)))},
              {"excluded", f.excluded ? "true" : "false"}};
    if (f.local_probability) m["localScore"] = std::to_string(rounded(*f.local_probability));
    return m;
}

}  // namespace

json score_json(const LocalScore& s, float threshold) {
    return {{"txHash", s.tx_hash.hex()},
            {"score", rounded(s.score.probability)},
            {"flagged", s.score.flagged},
            {"threshold", rounded(threshold)},
            {"degraded", s.degraded},
            {"validity", s.validity == core::Errc::kOk ? "valid" : core::reason_name(s.validity)},
            {"sender", address_or_null(s.sender)},
            {"to", address_or_null(s.to)},
            {"explanation", explanation_json(s.score.explanation)},
            {"model", {{"version", s.model_version ? *s.model_version : ""}}},
            {"latencyUs", quantity(std::uint64_t{s.latency_us})},
            {"origin", s.origin},
            {"seenAtMs", quantity(s.seen_ms)}};
}

json outcome_json(const TxOutcome& o) {
    return {{"blockNumber", quantity(o.height)},
            {"included", o.included},
            {"excluded", o.excluded},
            {"flaggingStake", quantity(o.flagged_power)},
            {"totalStake", quantity(o.total_power)},
            {"flaggedShare", rounded(share(o.flagged_power, o.total_power))},
            {"meanScore", rounded(from_bp(o.mean_score))}};
}

json finding_json(const Finding& f) {
    json addresses = json::array();
    if (f.sender) addresses.push_back(rpc::to_checksum_address(*f.sender));
    if (f.to) addresses.push_back(rpc::to_checksum_address(*f.to));
    const std::string what = f.excluded ? "excluded from block " : "flagged in block ";
    return {{"name", f.excluded ? "Fraudulent transaction excluded" : "Transaction flagged"},
            {"description",
             "Transaction " + f.tx.hex() + " " + what + std::to_string(f.height) + " by " +
                 std::to_string(std::lround(100 * share(f.flagged_power, f.total_power))) +
                 "% of the stake"},
            {"alertId", f.excluded ? "MFD-FRAUD-EXCLUDED" : "MFD-FRAUD-FLAGGED"},
            {"protocol", "mfd"},
            {"severity", severity(f)},
            {"type", f.excluded ? "SCAM" : "SUSPICIOUS"},
            {"addresses", addresses},
            {"labels", finding_labels(f)},
            {"metadata", finding_metadata(f)}};
}

json account_json(const core::Address& address, const AccountReport& r, float threshold) {
    json local = nullptr;
    float risk = 0;
    if (r.local) {
        const auto& a = *r.local;
        risk = a.max_probability;
        const double mean_logit = a.scored ? a.logit_sum / a.scored : 0.0;
        local = {{"scored", quantity(std::uint64_t{a.scored})},
                 {"flagged", quantity(std::uint64_t{a.flagged})},
                 {"maxScore", rounded(a.max_probability)},
                 {"lastScore", rounded(a.last_probability)},
                 {"meanScore", rounded(1.0 / (1.0 + std::exp(-mean_logit)))},
                 {"lastTx", a.last_tx.hex()}};
    }
    json history = nullptr;
    if (r.history) {
        const auto& h = *r.history;
        history = {{"outgoing", quantity(std::uint64_t{h.out_count})},
                   {"incoming", quantity(std::uint64_t{h.in_count})},
                   {"firstSeenMs", quantity(h.first_seen_ms)},
                   {"lastSeenMs", quantity(h.last_seen_ms)},
                   {"etherSent", h.out_value},
                   {"etherReceived", h.in_value},
                   {"nextNonce", quantity(h.next_nonce)},
                   {"excludedSent", quantity(std::uint64_t{h.excluded_out})},
                   {"excludedReceived", quantity(std::uint64_t{h.excluded_in})}};
    }
    return {{"address", rpc::to_checksum_address(address)},
            {"risk", rounded(risk)},
            {"flagged", r.local.has_value() && risk >= threshold},
            {"local", local},
            {"consensus",
             {{"flagged", quantity(std::uint64_t{r.committed.flagged})},
              {"excluded", quantity(std::uint64_t{r.committed.excluded})}}},
            {"history", history}};
}

json model_info_json(const ModelState& m, const PluginConfig& config, std::uint64_t reloads) {
    const auto& model = m.detector->model();
    const auto& cfg = model.config();
    json experts = json::array();
    for (std::size_t e = 0; e < cfg.total_experts(); ++e) {
        experts.push_back({{"index", quantity(std::uint64_t{e})},
                           {"group", cfg.groups[models::expert_group(cfg, e)].name}});
    }
    json hidden = json::array();
    for (auto h : cfg.hidden) hidden.push_back(quantity(std::uint64_t{h}));
    return {{"version", *m.version},
            {"path", m.path.string()},
            {"schemaVersion", model.info().schema_version},
            {"device", models::device_name(m.detector->device())},
            {"threshold", rounded(m.detector->threshold())},
            {"targetFpr", config.threshold ? json(nullptr) : json(config.target_fpr)},
            {"thresholds", parsed_or_null(model.info().thresholds_json)},
            {"metrics", parsed_or_null(model.info().metrics_json)},
            {"architecture",
             {{"features", quantity(std::uint64_t{cfg.n_features})},
              {"experts", experts},
              {"topK", quantity(std::uint64_t{cfg.active_experts()})},
              {"hidden", hidden}}},
            {"loadedAtMs", quantity(m.loaded_at_ms)},
            {"reloads", quantity(reloads)}};
}

json expert_stats_json(const ModelState& m) {
    const auto& cfg = m.detector->model().config();
    const auto snap = m.tally->snapshot();
    const auto util = snap.utilisation();
    json experts = json::array();
    for (std::size_t e = 0; e < snap.selected.size(); ++e) {
        experts.push_back({{"index", quantity(std::uint64_t{e})},
                           {"group", cfg.groups[models::expert_group(cfg, e)].name},
                           {"selected", quantity(snap.selected[e])},
                           {"utilisation", rounded(util[e])},
                           {"meanWeight", rounded(snap.mean_weight[e])},
                           {"meanScore", rounded(snap.mean_probability[e])}});
    }
    return {{"version", *m.version}, {"scored", quantity(snap.scored)}, {"experts", experts}};
}

}  // namespace mfd::plugin
