#include "tools/fraudctl/training_rows.hpp"

#include <algorithm>
#include <cmath>
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
    if (auto r =
            fraud::replay_features(extractor, data.events, set.rows, data.observe, data.contexts);
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
                              path +
                                  " is not labelled (write it with chain_sim run "
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

std::optional<SplitKind> parse_split_kind(std::string_view name) noexcept {
    if (name == "random") return SplitKind::kRandom;
    if (name == "temporal") return SplitKind::kTemporal;
    return std::nullopt;
}

std::string_view split_kind_name(SplitKind kind) noexcept {
    return kind == SplitKind::kTemporal ? "temporal" : "random";
}

namespace {

/// The temporal split: per account, its part, from the order of first rows within each class.
std::unordered_map<core::Address, AccountPart> temporal_parts(const LabelledEvents& data,
                                                              const AccountSplit& split) {
    std::unordered_map<core::Address, std::size_t> first;
    std::vector<core::Address> by_class[2];  // honest, fraud; in order of first row
    for (std::size_t i = 0; i < data.accounts.size(); ++i) {
        if (first.try_emplace(data.accounts[i], i).second) {
            by_class[data.labels[i] == 1.0F ? 1 : 0].push_back(data.accounts[i]);
        }
    }
    const auto latest = [&](std::size_t n) {
        return static_cast<std::size_t>(
            std::llround(split.holdout_fraction * static_cast<double>(n)));
    };
    std::unordered_map<core::Address, AccountPart> part;
    for (const auto& accounts : by_class) {
        const std::size_t held = std::min(latest(accounts.size()), accounts.size());
        const std::size_t rest = accounts.size() - held;
        const std::size_t selection = split.inner_seed != 0 ? std::min(latest(rest), rest) : 0;
        for (std::size_t k = 0; k < accounts.size(); ++k) {
            part[accounts[k]] = k >= rest               ? AccountPart::kHeldOut
                                : k >= rest - selection ? AccountPart::kSelection
                                                        : AccountPart::kTraining;
        }
    }
    return part;
}

std::vector<std::uint8_t> rows_in(const LabelledEvents& data, const AccountSplit& split,
                                  AccountPart wanted) {
    const auto parts = account_parts(data, split);
    std::vector<std::uint8_t> keep(parts.size());
    for (std::size_t i = 0; i < parts.size(); ++i) keep[i] = parts[i] == wanted ? 1 : 0;
    return keep;
}

}  // namespace

std::vector<AccountPart> account_parts(const LabelledEvents& data, const AccountSplit& split) {
    std::vector<AccountPart> parts(data.accounts.size(), AccountPart::kTraining);
    if (split.kind == SplitKind::kTemporal) {
        const auto part = temporal_parts(data, split);
        for (std::size_t i = 0; i < parts.size(); ++i) parts[i] = part.at(data.accounts[i]);
        return parts;
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto& a = data.accounts[i];
        if (fraud::in_holdout(a, split.seed, split.holdout_fraction)) {
            parts[i] = AccountPart::kHeldOut;
        } else if (split.inner_seed != 0 &&
                   fraud::in_holdout(a, split.inner_seed, split.holdout_fraction)) {
            parts[i] = AccountPart::kSelection;
        }
    }
    return parts;
}

std::vector<std::uint8_t> training_accounts(const LabelledEvents& data, const AccountSplit& split) {
    return rows_in(data, split, AccountPart::kTraining);
}

std::vector<std::uint8_t> selection_accounts(const LabelledEvents& data,
                                             const AccountSplit& split) {
    return rows_in(data, split, AccountPart::kSelection);
}

std::vector<std::uint8_t> held_out_accounts(const LabelledEvents& data, const AccountSplit& split) {
    return rows_in(data, split, AccountPart::kHeldOut);
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

std::vector<std::uint64_t> account_keys(const std::vector<core::Address>& accounts) {
    std::vector<std::uint64_t> keys;
    keys.reserve(accounts.size());
    for (const auto& a : accounts) {
        std::uint64_t k = 0xcbf29ce484222325ULL;  // FNV-1a over the 20 bytes
        for (auto byte : a.bytes) k = (k ^ byte) * 0x100000001b3ULL;
        keys.push_back(k);
    }
    return keys;
}

}  // namespace mfd::tools
