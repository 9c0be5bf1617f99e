// Deciding a block, and building the next one.
#include <algorithm>

#include "consensus/engine.hpp"

namespace mfd::consensus {

namespace {
constexpr std::size_t kKeptDecisions = 1024;
}  // namespace

void Engine::decide(const BlockPtr& block, Round round, VoteTally precommits, Effects& out) {
    const Height h = hs_.height;
    const BlockId id = block->id();
    FlagOutcome outcome = hs_.blocks[id].outcome;
    ExtendedCommit commit{h, round, id, precommits.votes_for(id)};
    if (auto d = make_decision(block, std::move(commit))) decisions_[h] = std::move(*d);
    while (decisions_.size() > kKeptDecisions) decisions_.erase(decisions_.begin());

    CommitSummary summary = chain_.apply(block, round, std::move(outcome), app_);
    last_commit_ = LastCommit{h, round, id, hs_.set, std::move(precommits)};
    std::erase_if(evidence_pool_, [&](const auto& entry) {
        const StakeRecord* rec = chain_.stake(entry.first);
        return (rec != nullptr && rec->status == StakeStatus::kTombstoned) ||
               entry.second->height() < h - params_.evidence_max_age;
    });
    ++stats_.heights_committed;
    out.commits.push_back(CommitRecord{h, round, block, std::move(summary)});
    hs_.step = Step::kCommitWait;
    if (hs_.catching_up) {
        start_height(out);
    } else {
        arm(TimeoutKind::kCommit, round, params_.timeouts.commit_us, 0, out);
    }
}

BlockPtr Engine::build_block() {
    Block b;
    b.chain_id = params_.chain_id;
    b.height = hs_.height;
    b.proposer = *self_;
    b.parent = chain_.last_block_id();
    FlagOutcome outcome;
    if (hs_.height > 1) {
        if (last_commit_.height != hs_.height - 1) return nullptr;
        b.last_commit = ExtendedCommit{last_commit_.height, last_commit_.round, last_commit_.block,
                                       last_commit_.precommits.votes_for(last_commit_.block)};
        outcome =
            aggregate_flags(b.last_commit, *last_commit_.set, chain_.pending(), params_.flag_rule);
    } else {
        outcome.executed.assign(chain_.pending().begin(), chain_.pending().end());
    }
    b.executed = outcome.executed;
    const ProposalContext context{hs_.height,
                                  hs_.round,
                                  *self_,
                                  b.executed,
                                  outcome.flags,
                                  params_.max_candidates,
                                  params_.max_payload_bytes};
    ProposalContent content = app_.prepare_proposal(context);
    b.candidates = std::move(content.candidates);
    b.payload = std::move(content.payload);
    b.evidence = pick_evidence();
    auto sealed = SealedBlock::make(std::move(b));
    return sealed ? *sealed : nullptr;
}

std::vector<EvidencePtr> Engine::pick_evidence() {
    std::vector<EvidencePtr> picked;
    for (const auto& entry : evidence_pool_) {
        if (picked.size() >= params_.max_evidence) break;
        if (verify_evidence(*entry.second)) picked.push_back(entry.second);
    }
    std::sort(picked.begin(), picked.end(),
              [](const EvidencePtr& a, const EvidencePtr& b) { return a->hash() < b->hash(); });
    return picked;
}

}  // namespace mfd::consensus
