#pragma once
/// Feature rows of labelled data for fraudctl: each source replayed through its own fresh
/// history (in memory), labels and sample weights attached.

#include <cstdint>
#include <optional>
#include <vector>

#include "fraud/training_set.hpp"
#include "tools/fraudctl/labelled_data.hpp"

namespace mfd::tools {

/// The rows of `data` replayed from an empty history (row i from what came before it; events
/// observed as data.observe says), label per event, weight 1. Fails with the replay's error.
[[nodiscard]] core::Result<fraud::TrainingSet> replay_rows(const LabelledEvents& data);

/// A hold-out split of labelled accounts (fraud::in_holdout). With `inner_seed` != 0 a further
/// `holdout_fraction` of the accounts left for training is set aside as the selection part, on
/// which choices such as the account rule are made without looking at the hold-out part.
struct AccountSplit {
    std::uint64_t seed = 1;
    double holdout_fraction = 0.3;
    std::uint64_t inner_seed = 0;
};

/// Row i of an Etherscan replay belongs to training when its account is neither held out nor
/// (with an inner seed) in the selection part.
[[nodiscard]] std::vector<std::uint8_t> training_accounts(const LabelledEvents& data,
                                                          const AccountSplit& split);

/// Row i belongs to the selection part: not held out, but held out by the inner seed. All zero
/// without an inner seed.
[[nodiscard]] std::vector<std::uint8_t> selection_accounts(const LabelledEvents& data,
                                                           const AccountSplit& split);

/// Keeps the events marked in `keep` (and their labels, accounts, ...).
[[nodiscard]] LabelledEvents select(const LabelledEvents& data,
                                    const std::vector<std::uint8_t>& keep);

/// Sets per-account weights on Etherscan rows so that every account weighs the same in total
/// and all of them together weigh `total`.
void weigh_accounts(fraud::TrainingSet& set, const std::vector<core::Address>& accounts,
                    double total);

}  // namespace mfd::tools
