#pragma once
/// The JSON shapes of the fraud_* methods' results (docs/rpc.md, "Fraud methods"): Ethereum
/// conventions (hex quantities for integers, 0x data, checksummed addresses), probabilities as
/// JSON numbers, findings shaped like Forta alerts. Thread-safe: pure functions.

#include <nlohmann/json.hpp>

#include "plugin/fraud_service.hpp"

namespace mfd::plugin {

/// A local score: probability, decision, validity, explanation, model version, latency.
[[nodiscard]] nlohmann::json score_json(const LocalScore& s, float threshold);

/// The consensus outcome of a transaction.
[[nodiscard]] nlohmann::json outcome_json(const TxOutcome& o);

/// A committed flag as a Forta-style finding (name, description, alertId, protocol, severity,
/// type, addresses, labels with confidence, metadata of strings).
[[nodiscard]] nlohmann::json finding_json(const Finding& f);

/// An account's risk: local scores, committed flags and history.
[[nodiscard]] nlohmann::json account_json(const core::Address& address, const AccountReport& r,
                                          float threshold);

/// The model in force: version, file, schema, device, threshold, thresholds and metrics from
/// the file, architecture, load time, reload count.
[[nodiscard]] nlohmann::json model_info_json(const ModelState& m, const PluginConfig& config,
                                             std::uint64_t reloads);

/// Per expert: group, times selected, utilisation, mean weight and mean score.
[[nodiscard]] nlohmann::json expert_stats_json(const ModelState& m);

}  // namespace mfd::plugin
