#include "chain_sim/sim/feature_labels.hpp"

#include <unordered_map>

#include "fraud/feature_log.hpp"

namespace mfd::chain::sim {

core::Result<LabelledCounts> label_feature_log(
    const std::filesystem::path& raw, const std::filesystem::path& out, const Traffic& traffic,
    const std::function<bool(const core::Hash&)>& is_cancel) {
    auto log = fraud::read_feature_log(raw);
    if (!log) return core::fail(log.error());
    std::unordered_map<core::Hash, const TrafficTx*> truth;
    truth.reserve(traffic.txs.size());
    for (const auto& tx : traffic.txs) truth.emplace(tx.hash, &tx);
    auto writer = fraud::FeatureLogWriter::create(out, true);
    if (!writer) return core::fail(writer.error());
    LabelledCounts counts;
    for (auto& row : log->rows) {
        if (const auto it = truth.find(row.hash); it != truth.end()) {
            row.label = it->second->label;
            row.typology = it->second->typology;
        } else if (is_cancel(row.hash)) {
            row.label = 0;
            row.typology = "wallet:cancel";
        }
        ++(row.label == 1 ? counts.fraud : row.label == 0 ? counts.honest : counts.unknown);
        ++counts.rows;
        if (auto ok = writer->write(row); !ok) return core::fail(ok.error());
    }
    if (auto ok = writer->close(); !ok) return core::fail(ok.error());
    return counts;
}

}  // namespace mfd::chain::sim
