#pragma once
/// The fraud-flag rule: the extensions in a block's extended commit are weighed by stake, and
/// every pending transaction the chain's FlagRule marks — flagged by at least a share of the
/// validator set's total stake, or with a stake-weighted score at or above a minimum — is left
/// out; the rest execute in their announced order. Deterministic; pure; thread-safe.

#include <cstdint>
#include <span>
#include <vector>

#include "consensus/block.hpp"
#include "consensus/params.hpp"
#include "consensus/validator_set.hpp"

namespace mfd::consensus {

/// One validator's flag on a transaction, with its stake.
struct FlagVote {
    core::Address validator;
    std::int64_t power = 0;
    std::uint16_t score = 0;
};

/// The committed verdict on one pending transaction that at least one validator flagged.
struct AggregatedFlag {
    core::Hash tx;
    std::int64_t flagged_power = 0;  ///< stake of the validators that flagged it
    std::int64_t total_power = 0;    ///< stake of the whole validator set of that height
    std::uint16_t mean_score = 0;    ///< stake-weighted mean of the flaggers' scores
    /// Σ(flagger's stake × score) / total stake: the mean over the whole set, a validator that
    /// did not flag it counting 0 (basis points).
    std::uint16_t stake_score = 0;
    bool excluded = false;           ///< by the chain's FlagRule
    std::vector<FlagVote> votes;     ///< the flaggers, ordered by validator address
};

/// What the rule decides for a block.
struct FlagOutcome {
    std::vector<core::Hash> executed;   ///< pending minus excluded, in pending order
    std::vector<AggregatedFlag> flags;  ///< every flagged pending tx, in pending order
};

/// Applies the rule to `pending` (the parent block's candidates) with the extended commit of
/// the parent's height, whose votes must already be verified against `validators` (votes of
/// validators outside the set are ignored). Flags on transactions that are not pending count
/// for nothing.
[[nodiscard]] FlagOutcome aggregate_flags(const ExtendedCommit& commit,
                                          const ValidatorSet& validators,
                                          std::span<const core::Hash> pending,
                                          const FlagRule& rule);

/// The flagged-stake rule with `share` (FlagRule::Kind::kFlaggedStake).
[[nodiscard]] FlagOutcome aggregate_flags(const ExtendedCommit& commit,
                                          const ValidatorSet& validators,
                                          std::span<const core::Hash> pending, Share share);

}  // namespace mfd::consensus
