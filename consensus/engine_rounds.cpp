// Tendermint's round logic (arXiv:1807.04938, Algorithm 1); line numbers refer to the paper.
#include "consensus/engine.hpp"
#include "consensus/proposer_priority.hpp"

namespace mfd::consensus {

void Engine::start_height(Effects& out) {
    HeightState next;
    next.height = chain_.height() + 1;
    next.set = chain_.validators_at(next.height);
    next.priorities = next.set->validators();
    next.proposers.push_back(next.set->proposer_index());
    hs_ = std::move(next);
    if (replaying_) return;
    start_round(0, out);
    std::vector<Message> replay;
    replay.swap(buffered_);
    for (const Message& m : replay) on_message(m, out);
    evaluate(out);
}

// StartRound (lines 11-21).
void Engine::start_round(Round round, Effects& out) {
    const Round previous = hs_.round;
    hs_.round = round;
    for (Round r = previous; r < round; ++r) adopt_polka(r);
    hs_.step = Step::kPropose;
    ++stats_.rounds_started;
    round_state(round);
    const std::size_t proposer = proposer_of(round);
    if (self_ && hs_.set->at(proposer).address == *self_) {
        propose(out);
        if (round_state(round).proposal) return;
    }
    arm(TimeoutKind::kPropose, round, params_.timeouts.propose_us,
        params_.timeouts.propose_delta_us, out);
}

void Engine::propose(Effects& out) {
    const BlockPtr block = hs_.valid ? hs_.valid : build_block();
    if (!block) return;
    Proposal p{params_.chain_id, hs_.height, hs_.round, hs_.valid ? hs_.valid_round : kNoRound,
               *self_,           block};
    auto signed_proposal = SignedProposal::sign(std::move(p), *key_);
    if (!signed_proposal) return;
    ++stats_.signatures_made;
    RoundState& rs = round_state(hs_.round);
    rs.proposal = *signed_proposal;
    hs_.blocks.try_emplace(block->id(), BlockEntry{block, -1, {}});
    hear(rs, proposer_of(hs_.round));
    out.sends.push_back({std::nullopt, Message(*signed_proposal)});
}

void Engine::evaluate(Effects& out) {
    for (int guard = 0; guard < 16; ++guard) {
        if (hs_.step == Step::kCommitWait) return;
        RoundState& rs = round_state(hs_.round);
        if (apply_proposal_rules(rs, out) || apply_prevote_rules(rs, out)) continue;
        check_decision(hs_.round, out);
        if (hs_.step == Step::kCommitWait) return;
        // Line 47: 2f+1 precommits of any kind start the precommit timer.
        if (!rs.precommit_timer &&
            is_supermajority(rs.precommits.total(), hs_.set->total_power())) {
            rs.precommit_timer = true;
            arm(TimeoutKind::kPrecommit, hs_.round, params_.timeouts.precommit_us,
                params_.timeouts.precommit_delta_us, out);
        }
        return;
    }
}

// Lines 22-33: prevote on the round's proposal.
bool Engine::apply_proposal_rules(RoundState& rs, Effects& out) {
    if (hs_.step != Step::kPropose || !rs.proposal) return false;
    const Proposal& p = rs.proposal->proposal();
    const BlockPtr& v = p.block;
    const bool matches_lock = hs_.locked && hs_.locked->id() == v->id();
    if (p.pol_round == kNoRound) {
        const bool ok = is_valid(v) && (hs_.locked_round == kNoRound || matches_lock);
        cast(VoteType::kPrevote, ok ? v : nullptr, out);
        return true;
    }
    if (p.pol_round < hs_.round &&
        is_supermajority(round_state(p.pol_round).prevotes.power_for(v->id()),
                         hs_.set->total_power())) {
        const bool ok = is_valid(v) && (hs_.locked_round <= p.pol_round || matches_lock);
        cast(VoteType::kPrevote, ok ? v : nullptr, out);
        return true;
    }
    return false;
}

// Lines 34-46: the prevote timer, locking on a polka, precommitting nil.
bool Engine::apply_prevote_rules(RoundState& rs, Effects& out) {
    const std::int64_t total = hs_.set->total_power();
    if (hs_.step == Step::kPrevote && !rs.prevote_timer &&
        is_supermajority(rs.prevotes.total(), total)) {
        rs.prevote_timer = true;
        arm(TimeoutKind::kPrevote, hs_.round, params_.timeouts.prevote_us,
            params_.timeouts.prevote_delta_us, out);
    }
    const bool after_propose = hs_.step == Step::kPrevote || hs_.step == Step::kPrecommit;
    if (after_propose && !rs.polka_seen && rs.proposal) {
        const BlockPtr v = rs.proposal->proposal().block;
        if (is_supermajority(rs.prevotes.power_for(v->id()), total) && is_valid(v)) {
            rs.polka_seen = true;
            if (hs_.step == Step::kPrevote) {
                hs_.locked = v;
                hs_.locked_round = hs_.round;
                cast(VoteType::kPrecommit, v, out);
            }
            hs_.valid = v;
            hs_.valid_round = hs_.round;
            return true;
        }
    }
    if (hs_.step == Step::kPrevote && is_supermajority(rs.prevotes.power_for(BlockId{}), total)) {
        cast(VoteType::kPrecommit, nullptr, out);
        return true;
    }
    return false;
}

void Engine::cast(VoteType type, const BlockPtr& block, Effects& out) {
    hs_.step = type == VoteType::kPrevote ? Step::kPrevote : Step::kPrecommit;
    const std::ptrdiff_t me = self_ ? hs_.set->index_of(*self_) : -1;
    if (me < 0) return;
    Vote v;
    v.type = type;
    v.chain_id = params_.chain_id;
    v.height = hs_.height;
    v.round = hs_.round;
    v.block = block ? block->id() : BlockId{};
    v.validator = *self_;
    v.validator_index = static_cast<std::uint32_t>(me);
    if (v.has_extension()) {
        v.flags = normalise_flags(app_.extend_vote(block->block()), params_.max_extension_flags);
    }
    auto signed_vote = SignedVote::sign(std::move(v), *key_);
    if (!signed_vote) return;
    ++stats_.signatures_made;
    const auto i = static_cast<std::size_t>(me);
    RoundState& rs = round_state(hs_.round);
    VoteTally& tally = type == VoteType::kPrevote ? rs.prevotes : rs.precommits;
    tally.add(i, hs_.set->at(i).power, *signed_vote);
    hear(rs, i);
    out.sends.push_back({std::nullopt, Message(*signed_vote)});
}

// Lines 49-54: +2/3 precommits for a known, valid block decide it.
void Engine::check_decision(Round round, Effects& out) {
    if (hs_.step == Step::kCommitWait || round < 0 ||
        static_cast<std::size_t>(round) >= hs_.rounds.size() || !hs_.rounds[round]) {
        return;
    }
    RoundState& rs = *hs_.rounds[static_cast<std::size_t>(round)];
    const auto [id, power] = rs.precommits.leading_block();
    if (!is_supermajority(power, hs_.set->total_power())) return;
    const auto it = hs_.blocks.find(id);
    if (it == hs_.blocks.end() || !it->second.block) return;
    const BlockPtr block = it->second.block;
    if (!is_valid(block)) return;
    decide(block, round, rs.precommits, out);
}

// A polka of an earlier round seen late still becomes the valid value (the paper updates it only
// in the polka's own round, line 42). Safe: a re-proposal names its polka round and every
// receiver checks that polka itself (line 28); it spares rounds after a partition heals.
void Engine::adopt_polka(Round round) {
    if (hs_.step == Step::kCommitWait || round <= hs_.valid_round || round >= hs_.round ||
        static_cast<std::size_t>(round) >= hs_.rounds.size() || !hs_.rounds[round]) {
        return;
    }
    const auto [id, power] = hs_.rounds[static_cast<std::size_t>(round)]->prevotes.leading_block();
    if (!is_supermajority(power, hs_.set->total_power())) return;
    const auto it = hs_.blocks.find(id);
    if (it == hs_.blocks.end() || !it->second.block || !is_valid(it->second.block)) return;
    hs_.valid = it->second.block;
    hs_.valid_round = round;
}

// Lines 55-56: f+1 of stake already in a later round moves this validator there.
void Engine::check_round_skip(Round round, Effects& out) {
    if (hs_.step == Step::kCommitWait || round <= hs_.round) return;
    if (is_one_third_plus(round_state(round).heard_power, hs_.set->total_power())) {
        start_round(round, out);
    }
}

void Engine::arm(TimeoutKind kind, Round round, std::int64_t base, std::int64_t delta,
                 Effects& out) {
    out.timeouts.push_back({kind, hs_.height, round, base + delta * round});
}

void Engine::gossip(Effects& out) {
    answered_.clear();
    // Peers are ahead and this validator made no progress since: ask for their decisions.
    if (self_ && (behind_ || buffered_at_ == hs_.height)) {
        out.sends.push_back({std::nullopt, std::make_shared<const Status>(
                                               Status{params_.chain_id, hs_.height, *self_})});
    }
    behind_ = false;
    buffered_at_ = 0;
    for (const auto& entry : evidence_pool_) out.sends.push_back({std::nullopt, entry.second});
    if (hs_.step == Step::kCommitWait) return;
    // Stuck past the round of our last polka: relay it, so validators that missed some of its
    // prevotes (lost, or hidden by an equivocator) can accept a re-proposal (line 28).
    if (hs_.valid && hs_.valid_round < hs_.round) {
        for (const VotePtr& v : round_state(hs_.valid_round).prevotes.votes_for(hs_.valid->id())) {
            out.sends.push_back({std::nullopt, v});
        }
    }
    const std::ptrdiff_t me = self_ ? hs_.set->index_of(*self_) : -1;
    if (me < 0) return;
    const auto i = static_cast<std::size_t>(me);
    for (Round r = std::max<Round>(0, hs_.round - 1); r <= hs_.round; ++r) {
        RoundState& rs = round_state(r);
        if (rs.proposal && rs.proposal->proposal().proposer == *self_) {
            out.sends.push_back({std::nullopt, rs.proposal});
        }
        if (rs.prevotes.vote_of(i)) out.sends.push_back({std::nullopt, rs.prevotes.vote_of(i)});
        if (rs.precommits.vote_of(i)) {
            out.sends.push_back({std::nullopt, rs.precommits.vote_of(i)});
        }
    }
}

Engine::RoundState& Engine::round_state(Round round) {
    const auto r = static_cast<std::size_t>(round);
    if (hs_.rounds.size() <= r) hs_.rounds.resize(r + 1);
    if (!hs_.rounds[r]) hs_.rounds[r] = std::make_unique<RoundState>(hs_.set->size());
    return *hs_.rounds[r];
}

std::size_t Engine::proposer_of(Round round) {
    const std::int64_t total = hs_.set->total_power();
    while (hs_.proposers.size() <= static_cast<std::size_t>(round)) {
        hs_.proposers.push_back(
            increment_proposer_priority(std::span<Validator>(hs_.priorities), total, 1));
    }
    return hs_.proposers[static_cast<std::size_t>(round)];
}

bool Engine::is_valid(const BlockPtr& block) {
    BlockEntry& entry = hs_.blocks[block->id()];
    if (!entry.block) entry.block = block;
    if (entry.validity < 0) {
        ++stats_.blocks_validated;
        auto r = validate_block(*block);
        entry.validity = r ? 1 : 0;
        if (r) {
            entry.outcome = std::move(*r);
        } else {
            ++stats_.invalid_blocks;
        }
    }
    return entry.validity == 1;
}

}  // namespace mfd::consensus
