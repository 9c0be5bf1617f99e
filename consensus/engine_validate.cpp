// Block validation: the engine's half of process_proposal (the application's half follows it).
#include <algorithm>
#include <string>

#include "consensus/engine.hpp"

namespace mfd::consensus {

namespace {

core::Unexpected bad(const std::string& why) {
    return core::fail(core::Errc::kInvalidArgument, "invalid block: " + why);
}

}  // namespace

core::Result<FlagOutcome> Engine::validate_block(const SealedBlock& sealed) {
    const Block& b = sealed.block();
    if (b.chain_id != params_.chain_id) return bad("another chain");
    if (b.height != chain_.height() + 1) return bad("height " + std::to_string(b.height));
    if (b.parent != chain_.last_block_id()) return bad("parent is not the last committed block");
    if (chain_.validators().index_of(b.proposer) < 0) return bad("proposer is not a validator");
    if (auto r = check_candidates(b); !r) return core::fail(r.error());
    FlagOutcome outcome;
    if (b.height == 1) {
        if (!b.last_commit.empty()) return bad("the first block carries no commit");
        outcome.executed.assign(chain_.pending().begin(), chain_.pending().end());
    } else {
        const ExtendedCommit& c = b.last_commit;
        if (c.height != b.height - 1 || c.block != b.parent) {
            return bad("last commit is not the parent's");
        }
        const auto prev_set = chain_.validators_at(c.height);
        if (!prev_set) return bad("no validator set for the parent's height");
        if (auto r = verify_commit(c, *prev_set, nullptr); !r) return core::fail(r.error());
        outcome = aggregate_flags(c, *prev_set, chain_.pending(), params_.flag_rule);
    }
    if (b.executed != outcome.executed) {
        return bad("executed transactions break the flag rule (flagged ones must be left out)");
    }
    if (auto r = check_block_evidence(b); !r) return core::fail(r.error());
    if (app_.process_proposal(b) != Verdict::kAccept) return bad("the application rejected it");
    return outcome;
}

core::Result<void> Engine::check_candidates(const Block& b) const {
    if (b.candidates.size() > params_.max_candidates) return bad("too many candidates");
    if (b.payload.size() > params_.max_payload_bytes) return bad("payload too large");
    std::vector<core::Hash> sorted = b.candidates;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
        return bad("a candidate is announced twice");
    }
    for (const core::Hash& p : chain_.pending()) {
        if (std::binary_search(sorted.begin(), sorted.end(), p)) {
            return bad("a candidate is already pending");
        }
    }
    return {};
}

core::Result<void> Engine::verify_commit(const ExtendedCommit& commit, const ValidatorSet& set,
                                         Effects* out) {
    const bool have_round = last_commit_.set.get() == &set &&
                            last_commit_.height == commit.height &&
                            last_commit_.round == commit.round;
    std::int64_t power = 0;
    for (const VotePtr& vp : commit.votes) {
        const Vote& v = vp->vote();
        const std::ptrdiff_t found = set.find(v.validator, v.validator_index);
        if (found < 0) return bad("commit vote from a non-validator " + v.validator.hex());
        if (v.flags.size() > params_.max_extension_flags) return bad("oversized extension");
        const auto i = static_cast<std::size_t>(found);
        const VotePtr* mine = have_round ? &last_commit_.precommits.vote_of(i) : nullptr;
        const bool known = mine != nullptr && *mine &&
                           (*mine == vp || ((*mine)->digest() == vp->digest() &&
                                            (*mine)->signature() == vp->signature()));
        if (!known && !verify_vote(vp, set, i)) return bad("commit vote with a bad signature");
        if (!known && mine != nullptr && *mine && (*mine)->vote().block != v.block) {
            record_equivocation(*mine, vp, out);
        }
        power += set.at(i).power;
    }
    if (!is_supermajority(power, set.total_power())) return bad("commit lacks +2/3 of stake");
    return {};
}

core::Result<void> Engine::verify_evidence(const Evidence& e) {
    const Vote& a = e.first()->vote();
    if (a.chain_id != params_.chain_id) return bad("evidence from another chain");
    if (a.height > hs_.height || a.height < hs_.height - params_.evidence_max_age) {
        return bad("evidence height outside the accepted window");
    }
    const auto set = chain_.validators_at(a.height);
    const std::ptrdiff_t found = set ? set->find(a.validator, a.validator_index) : -1;
    if (found < 0) return bad("evidence against a non-validator");
    const StakeRecord* rec = chain_.stake(a.validator);
    if (rec != nullptr && rec->status == StakeStatus::kTombstoned) {
        return bad("evidence against a validator already slashed");
    }
    const auto i = static_cast<std::size_t>(found);
    if (!verify_vote(e.first(), *set, i) || !verify_vote(e.second(), *set, i)) {
        return bad("evidence vote with a bad signature");
    }
    return {};
}

core::Result<void> Engine::check_block_evidence(const Block& b) {
    if (b.evidence.size() > params_.max_evidence) return bad("too much evidence");
    std::vector<core::Address> seen;
    for (const EvidencePtr& e : b.evidence) {
        if (std::find(seen.begin(), seen.end(), e->validator()) != seen.end()) {
            return bad("two evidence records against one validator");
        }
        seen.push_back(e->validator());
        if (auto r = verify_evidence(*e); !r) return r;
    }
    return {};
}

}  // namespace mfd::consensus
