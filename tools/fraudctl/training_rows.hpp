#pragma once
/// Feature rows of labelled data for fraudctl: each source replayed through its own fresh
/// history (in memory), labels and sample weights attached.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fraud/thresholds.hpp"
#include "fraud/training_set.hpp"
#include "models/model.hpp"
#include "tools/fraudctl/labelled_data.hpp"

namespace mfd::tools {

/// The rows of `data` replayed from an empty history (row i from what came before it; events
/// observed as data.observe says), label per event, weight 1. Fails with the replay's error.
[[nodiscard]] core::Result<fraud::TrainingSet> replay_rows(const LabelledEvents& data);

/// The labelled rows of feature logs (`chain_sim run --feature-log`) scored by one of `hooks`
/// ("check_tx", "extend_vote", ...; empty: every hook), rows of unknown label dropped, weight
/// 1; `typologies` gets each row's typology. Fails with read_feature_log's errors, or
/// kInvalidArgument for a log that is not labelled.
[[nodiscard]] core::Result<fraud::TrainingSet> feature_log_rows(
    const std::vector<std::string>& paths, const std::vector<std::string>& hooks,
    std::vector<std::string>* typologies = nullptr);

/// The false-positive rates a model file carries thresholds for.
inline constexpr double kThresholdFprs[] = {0.0005, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.01};

/// Thresholds of `model` for kThresholdFprs on `rows` (row-major, kFeatures each) with
/// `labels`, scored on the CPU. Fails with the scorer's error.
[[nodiscard]] core::Result<std::vector<fraud::ThresholdPoint>> thresholds_on(
    const models::Model& model, const std::vector<float>& rows, const std::vector<float>& labels);

/// How accounts are assigned to the hold-out part.
enum class SplitKind : std::uint8_t {
    kRandom,    ///< by a hash of the account and the seed (fraud::in_holdout)
    kTemporal,  ///< within each class, the accounts whose first row comes latest
};

/// "random" or "temporal"; std::nullopt for anything else.
[[nodiscard]] std::optional<SplitKind> parse_split_kind(std::string_view name) noexcept;
[[nodiscard]] std::string_view split_kind_name(SplitKind kind) noexcept;

/// A hold-out split of labelled accounts. Random: about `holdout_fraction` of the accounts, by
/// a hash of account and seed. Temporal: within each class (fraud, honest), accounts ordered by
/// their first row (the data are in chain order), the latest `holdout_fraction` held out, so a
/// model is trained on the past and evaluated on the future; the seeds do not matter. With
/// `inner_seed` != 0 a further `holdout_fraction` of the accounts left for training is set
/// aside as the selection part (random: by the inner seed; temporal: the latest of them), on
/// which choices such as the account rule are made without looking at the hold-out part.
struct AccountSplit {
    SplitKind kind = SplitKind::kRandom;
    std::uint64_t seed = 1;
    double holdout_fraction = 0.3;
    std::uint64_t inner_seed = 0;
};

/// Per row of an Etherscan replay, its account's part: training, selection or held out.
enum class AccountPart : std::uint8_t { kTraining, kSelection, kHeldOut };
[[nodiscard]] std::vector<AccountPart> account_parts(const LabelledEvents& data,
                                                     const AccountSplit& split);

/// Row i of an Etherscan replay belongs to training when its account is neither held out nor
/// (with an inner seed) in the selection part.
[[nodiscard]] std::vector<std::uint8_t> training_accounts(const LabelledEvents& data,
                                                          const AccountSplit& split);

/// Row i belongs to the selection part: not held out, but held out by the inner seed. All zero
/// without an inner seed.
[[nodiscard]] std::vector<std::uint8_t> selection_accounts(const LabelledEvents& data,
                                                           const AccountSplit& split);

/// Row i belongs to the held-out part.
[[nodiscard]] std::vector<std::uint8_t> held_out_accounts(const LabelledEvents& data,
                                                          const AccountSplit& split);

/// Keeps the events marked in `keep` (and their labels, accounts, ...).
[[nodiscard]] LabelledEvents select(const LabelledEvents& data,
                                    const std::vector<std::uint8_t>& keep);

/// Sets per-account weights on Etherscan rows so that every account weighs the same in total
/// and all of them together weigh `total`.
void weigh_accounts(fraud::TrainingSet& set, const std::vector<core::Address>& accounts,
                    double total);

/// A key per row from its account (FNV-1a of the address): the groups of
/// fraud::out_of_fold_predictions, so that an account's rows share a fold.
[[nodiscard]] std::vector<std::uint64_t> account_keys(const std::vector<core::Address>& accounts);

}  // namespace mfd::tools
