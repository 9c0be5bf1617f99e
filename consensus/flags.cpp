#include "consensus/flags.hpp"

#include <unordered_map>

namespace mfd::consensus {

FlagOutcome aggregate_flags(const ExtendedCommit& commit, const ValidatorSet& validators,
                            std::span<const core::Hash> pending, Share share) {
    return aggregate_flags(commit, validators, pending,
                           FlagRule{FlagRule::Kind::kFlaggedStake, share, 0});
}

FlagOutcome aggregate_flags(const ExtendedCommit& commit, const ValidatorSet& validators,
                            std::span<const core::Hash> pending, const FlagRule& rule) {
    FlagOutcome out;
    std::unordered_map<core::Hash, std::size_t, PrefixHash, SameBytes> slot;
    slot.reserve(pending.size());
    for (std::size_t i = 0; i < pending.size(); ++i) slot.emplace(pending[i], i);

    std::vector<AggregatedFlag> by_pending(pending.size());
    for (const VotePtr& vp : commit.votes) {
        const Vote& v = vp->vote();
        const std::ptrdiff_t vi = validators.find(v.validator, v.validator_index);
        if (vi < 0) continue;
        const std::int64_t power = validators.at(static_cast<std::size_t>(vi)).power;
        for (const FraudFlag& f : v.flags) {
            const auto it = slot.find(f.tx);
            if (it == slot.end()) continue;
            AggregatedFlag& agg = by_pending[it->second];
            agg.flagged_power += power;
            agg.votes.push_back(FlagVote{v.validator, power, f.score});
        }
    }
    __extension__ using Wide = __int128;
    for (std::size_t i = 0; i < pending.size(); ++i) {
        AggregatedFlag& agg = by_pending[i];
        if (agg.votes.empty()) {
            out.executed.push_back(pending[i]);
            continue;
        }
        agg.tx = pending[i];
        agg.total_power = validators.total_power();
        Wide weighted = 0;
        for (const FlagVote& fv : agg.votes) weighted += static_cast<Wide>(fv.power) * fv.score;
        agg.mean_score = static_cast<std::uint16_t>(weighted / agg.flagged_power);
        agg.stake_score = agg.total_power > 0
                              ? static_cast<std::uint16_t>(weighted / agg.total_power)
                              : 0;
        agg.excluded = rule.kind == FlagRule::Kind::kFlaggedStake
                           ? reaches_share(agg.flagged_power, agg.total_power, rule.share)
                           : agg.stake_score >= rule.min_mean_score;
        if (!agg.excluded) out.executed.push_back(pending[i]);
        out.flags.push_back(std::move(agg));
    }
    return out;
}

}  // namespace mfd::consensus
