#include "tools/fraudctl/training_rows.hpp"

#include <algorithm>
#include <unordered_map>

#include "fraud/account_risk.hpp"
#include "fraud/feature_log.hpp"
#include "fraud/feature_rows.hpp"
#include "models/scorer.hpp"

namespace mfd::tools {

core::Result<fraud::TrainingSet> replay_rows(const LabelledEvents& data) {
    fraud::AccountHistory history(nullptr, 0);
    fraud::FeatureExtractor extractor(history);
    fraud::TrainingSet set;
    if (auto r = fraud::replay_features(extractor, data.events, set.rows, data.observe,
                                        data.contexts);
        !r) {
        return core::fail(r.error());
    }
    set.labels = data.labels;
    set.weights.assign(data.labels.size(), 1.0F);
    return set;
}

core::Result<fraud::TrainingSet> feature_log_rows(const std::vector<std::string>& paths,
                                                 const std::vector<std::string>& hooks,
                                                 std::vector<std::string>* typologies) {
    fraud::TrainingSet set;
    for (const auto& path : paths) {
        auto log = fraud::read_feature_log(std::filesystem::path(path));
        if (!log) return core::fail(log.error());
        if (!log->labelled) {
            return core::fail(core::Errc::kInvalidArgument,
                              path + " is not labelled (write it with chain_sim run "
                                     "--feature-log)");
        }
        for (const auto& row : log->rows) {
            if (row.label < 0) continue;
            if (!hooks.empty() && std::find(hooks.begin(), hooks.end(), row.hook) == hooks.end()) {
                continue;
            }
            set.rows.values.insert(set.rows.values.end(), row.x.begin(), row.x.end());
            set.rows.masks.push_back(row.mask);
            set.labels.push_back(static_cast<float>(row.label));
            set.weights.push_back(1.0F);
            if (typologies != nullptr) typologies->push_back(row.typology);
        }
    }
    return set;
}

core::Result<std::vector<fraud::ThresholdPoint>> thresholds_on(const models::Model& model,
                                                               const std::vector<float>& rows,
                                                               const std::vector<float>& labels) {
    auto scorer = models::Scorer::create(model, {.device = models::Device::kCpu});
    if (!scorer) return core::fail(scorer.error());
    auto scores = scorer->score(rows);
    if (!scores) return core::fail(scores.error());
    std::vector<fraud::ThresholdPoint> points;
    for (double fpr : kThresholdFprs) {
        points.push_back({fpr, fraud::threshold_for_fpr(scores->probability, labels, fpr)});
    }
    return points;
}

std::vector<std::uint8_t> training_accounts(const LabelledEvents& data, const AccountSplit& split) {
    std::vector<std::uint8_t> keep(data.accounts.size());
    const auto selection = selection_accounts(data, split);
    for (std::size_t i = 0; i < keep.size(); ++i) {
        const bool held = fraud::in_holdout(data.accounts[i], split.seed, split.holdout_fraction);
        keep[i] = held || selection[i] ? 0 : 1;
    }
    return keep;
}

std::vector<std::uint8_t> selection_accounts(const LabelledEvents& data,
                                             const AccountSplit& split) {
    std::vector<std::uint8_t> part(data.accounts.size(), 0);
    if (split.inner_seed == 0) return part;
    for (std::size_t i = 0; i < part.size(); ++i) {
        const auto& a = data.accounts[i];
        part[i] = !fraud::in_holdout(a, split.seed, split.holdout_fraction) &&
                          fraud::in_holdout(a, split.inner_seed, split.holdout_fraction)
                      ? 1
                      : 0;
    }
    return part;
}

LabelledEvents select(const LabelledEvents& data, const std::vector<std::uint8_t>& keep) {
    LabelledEvents out;
    for (std::size_t i = 0; i < data.events.size(); ++i) {
        if (!keep[i]) continue;
        out.events.push_back(data.events[i]);
        out.observe.push_back(data.observe[i]);
        if (!data.contexts.empty()) out.contexts.push_back(data.contexts[i]);
        out.labels.push_back(data.labels[i]);
        out.typologies.push_back(data.typologies[i]);
        if (!data.accounts.empty()) out.accounts.push_back(data.accounts[i]);
    }
    return out;
}

void weigh_accounts(fraud::TrainingSet& set, const std::vector<core::Address>& accounts,
                    double total) {
    std::unordered_map<core::Address, std::size_t> rows;
    for (const auto& a : accounts) rows[a] += 1;
    const double per_account = total / static_cast<double>(std::max<std::size_t>(rows.size(), 1));
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        set.weights[i] = static_cast<float>(per_account / static_cast<double>(rows[accounts[i]]));
    }
}

}  // namespace mfd::tools
