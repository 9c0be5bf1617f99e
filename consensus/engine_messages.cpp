// Incoming messages: checks in order of cost (cheap field checks first, signatures last).
#include "consensus/engine.hpp"

namespace mfd::consensus {

namespace {
constexpr Height kCatchUpBatch = 8;
}  // namespace

Outcome Engine::on_vote(const VotePtr& vp, Effects& out) {
    const Vote& v = vp->vote();
    if (v.chain_id != params_.chain_id) return Outcome::kWrongChain;
    if (v.height != hs_.height) return on_vote_elsewhere(vp, out);
    if (v.round > hs_.round + params_.max_round_ahead) return Outcome::kRoundTooFar;
    const ValidatorSet& set = *hs_.set;
    const std::ptrdiff_t found = set.find(v.validator, v.validator_index);
    if (found < 0) return Outcome::kUnknownValidator;
    if (v.flags.size() > params_.max_extension_flags) return Outcome::kOversizedExtension;
    if (hs_.step == Step::kCommitWait) {
        const bool extends_commit = v.type == VoteType::kPrecommit && v.round == last_commit_.round;
        return extends_commit ? add_late_precommit(vp) : Outcome::kLate;
    }
    const auto i = static_cast<std::size_t>(found);
    RoundState& rs = round_state(v.round);
    VoteTally& tally = v.type == VoteType::kPrevote ? rs.prevotes : rs.precommits;
    const TallyResult pre = tally.check(i, v.block);
    if (pre == TallyResult::kDuplicate) return Outcome::kDuplicate;
    if (!verify_vote(vp, set, i)) return Outcome::kBadSignature;
    if (v.has_extension() &&
        app_.verify_vote_extension(v.validator, v.height, v.flags) != Verdict::kAccept) {
        return Outcome::kExtensionRejected;
    }
    // A conflicting vote becomes evidence, and still counts for the block it names (the paper
    // counts signed messages per block; an equivocator is among the f it tolerates).
    if (pre == TallyResult::kConflict) record_equivocation(tally.vote_of(i), vp, &out);
    if (tally.add(i, set.at(i).power, vp) == TallyResult::kDuplicate) return Outcome::kDuplicate;
    hear(rs, i);
    const Round round = v.round;
    if (v.type == VoteType::kPrevote) adopt_polka(round);
    if (v.type == VoteType::kPrecommit) check_decision(round, out);
    check_round_skip(round, out);
    evaluate(out);
    return pre == TallyResult::kConflict ? Outcome::kEquivocation : Outcome::kAccepted;
}

Outcome Engine::on_vote_elsewhere(const VotePtr& vp, Effects& out) {
    const Vote& v = vp->vote();
    if (v.height == hs_.height + 1) return buffer(vp);
    if (v.height > hs_.height + 1) return Outcome::kWrongHeight;
    if (v.height == last_commit_.height && v.type == VoteType::kPrecommit &&
        v.round == last_commit_.round) {
        return add_late_precommit(vp);
    }
    answer_lagging(v.validator, v.height, out);
    return Outcome::kLate;
}

// A precommit of the last decided round that arrived after the decision: it joins the extended
// commit the next proposer includes.
Outcome Engine::add_late_precommit(const VotePtr& vp) {
    const Vote& v = vp->vote();
    const ValidatorSet& set = *last_commit_.set;
    const std::ptrdiff_t found = set.find(v.validator, v.validator_index);
    if (found < 0) return Outcome::kUnknownValidator;
    if (v.flags.size() > params_.max_extension_flags) return Outcome::kOversizedExtension;
    const auto i = static_cast<std::size_t>(found);
    const TallyResult pre = last_commit_.precommits.check(i, v.block);
    if (pre == TallyResult::kDuplicate) return Outcome::kDuplicate;
    if (!verify_vote(vp, set, i)) return Outcome::kBadSignature;
    if (v.has_extension() &&
        app_.verify_vote_extension(v.validator, v.height, v.flags) != Verdict::kAccept) {
        return Outcome::kExtensionRejected;
    }
    if (pre == TallyResult::kConflict) {
        record_equivocation(last_commit_.precommits.vote_of(i), vp, nullptr);
    }
    if (last_commit_.precommits.add(i, set.at(i).power, vp) == TallyResult::kDuplicate) {
        return Outcome::kDuplicate;
    }
    return pre == TallyResult::kConflict ? Outcome::kEquivocation : Outcome::kAccepted;
}

Outcome Engine::on_proposal(const ProposalPtr& pp, Effects& out) {
    const Proposal& p = pp->proposal();
    if (p.chain_id != params_.chain_id) return Outcome::kWrongChain;
    if (p.height != hs_.height) {
        if (p.height == hs_.height + 1) return buffer(pp);
        if (p.height > hs_.height + 1) return Outcome::kWrongHeight;
        answer_lagging(p.proposer, p.height, out);
        return Outcome::kLate;
    }
    if (p.round > hs_.round + params_.max_round_ahead) return Outcome::kRoundTooFar;
    if (hs_.step == Step::kCommitWait) return Outcome::kLate;
    const std::size_t expected = proposer_of(p.round);
    const Validator& proposer = hs_.set->at(expected);
    if (p.proposer != proposer.address) return Outcome::kNotProposer;
    RoundState& rs = round_state(p.round);
    if (rs.proposal) {
        return rs.proposal->digest() == pp->digest() ? Outcome::kDuplicate
                                                     : Outcome::kConflictingProposal;
    }
    if (!verifier_.verify(pp->digest(), pp->signature(), proposer.key)) {
        return Outcome::kBadSignature;
    }
    rs.proposal = pp;
    hear(rs, expected);
    const bool valid = is_valid(p.block);
    for (std::size_t r = 0; r < hs_.rounds.size(); ++r) {
        adopt_polka(static_cast<Round>(r));
        check_decision(static_cast<Round>(r), out);
    }
    check_round_skip(p.round, out);
    evaluate(out);
    return valid ? Outcome::kAccepted : Outcome::kInvalidBlock;
}

Outcome Engine::on_evidence(const EvidencePtr& ep, Effects&) {
    if (ep->first()->vote().chain_id != params_.chain_id) return Outcome::kWrongChain;
    const StakeRecord* rec = chain_.stake(ep->validator());
    if (rec != nullptr && rec->status == StakeStatus::kTombstoned) return Outcome::kLate;
    if (!verify_evidence(*ep)) return Outcome::kInvalidEvidence;
    equivocators_.insert(ep->validator());
    return evidence_pool_.try_emplace(ep->validator(), ep).second ? Outcome::kAccepted
                                                                  : Outcome::kDuplicate;
}

Outcome Engine::on_decision(const DecisionPtr& dp, Effects& out) {
    const Block& b = dp->block->block();
    if (b.chain_id != params_.chain_id) return Outcome::kWrongChain;
    if (b.height < hs_.height || (b.height == hs_.height && hs_.step == Step::kCommitWait)) {
        return Outcome::kLate;
    }
    if (b.height == hs_.height + 1) return buffer(dp);
    if (b.height > hs_.height + 1) return Outcome::kWrongHeight;
    const ValidatorSet& set = *hs_.set;
    if (!verify_commit(dp->commit, set, &out)) return Outcome::kInvalidDecision;
    if (!is_valid(dp->block)) return Outcome::kInvalidDecision;
    VoteTally tally(set.size());
    for (const VotePtr& v : dp->commit.votes) {
        const auto i =
            static_cast<std::size_t>(set.find(v->vote().validator, v->vote().validator_index));
        tally.add(i, set.at(i).power, v);
    }
    hs_.catching_up = true;
    decide(dp->block, dp->commit.round, std::move(tally), out);
    return Outcome::kAccepted;
}

Outcome Engine::on_status(const StatusPtr& sp, Effects& out) {
    if (sp->chain_id != params_.chain_id) return Outcome::kWrongChain;
    if (sp->height > chain_.height()) return Outcome::kLate;
    answer_lagging(sp->sender, sp->height, out);
    return Outcome::kAccepted;
}

Outcome Engine::buffer(const Message& message) {
    if (buffered_.size() >= params_.max_buffered_messages) return Outcome::kBufferFull;
    buffered_.push_back(message);
    return Outcome::kBuffered;
}

// A peer still works on a height this validator decided: send it the decisions it lacks.
void Engine::answer_lagging(const core::Address& peer, Height height, Effects& out) {
    if (self_ && peer == *self_) return;
    if (!answered_.insert({peer, height}).second) return;
    for (Height h = height; h < height + kCatchUpBatch && h <= chain_.height(); ++h) {
        DecisionPtr d = decision_at(h);
        if (!d) break;
        out.sends.push_back({peer, Message(std::move(d))});
    }
}

void Engine::record_equivocation(const VotePtr& a, const VotePtr& b, Effects* out) {
    auto evidence = Evidence::make(a, b);
    if (!evidence) return;
    const core::Address& who = (*evidence)->validator();
    equivocators_.insert(who);
    const StakeRecord* rec = chain_.stake(who);
    if (rec != nullptr && rec->status == StakeStatus::kTombstoned) return;
    if (evidence_pool_.try_emplace(who, *evidence).second && out != nullptr) {
        out->sends.push_back({std::nullopt, Message(*evidence)});
    }
}

void Engine::hear(RoundState& rs, std::size_t index) {
    if (rs.heard[index]) return;
    rs.heard[index] = true;
    rs.heard_power += hs_.set->at(index).power;
}

bool Engine::verify_vote(const VotePtr& vote, const ValidatorSet& set, std::size_t index) {
    const core::PublicKey& key = set.at(index).key;
    if (vote->verified_for(key)) return true;
    if (!verifier_.verify(vote->digest(), vote->signature(), key)) return false;
    vote->remember_signer(key);
    return true;
}

}  // namespace mfd::consensus
