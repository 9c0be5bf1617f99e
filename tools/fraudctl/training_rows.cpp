#include "tools/fraudctl/training_rows.hpp"

#include <unordered_map>

#include "fraud/account_risk.hpp"
#include "fraud/feature_rows.hpp"

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
