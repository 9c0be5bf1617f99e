#include "chain_sim/net/node.hpp"

#include <algorithm>

#include "chain_sim/net/byzantine_votes.hpp"

namespace mfd::chain::net {

using consensus::Message;
using consensus::ProposalPtr;
using consensus::VotePtr;

std::string behaviour_names(std::uint32_t behaviours) {
    static constexpr const char* kNames[] = {"equivocate",      "silent",
                                             "propose-flagged", "withhold-extension",
                                             "forge-extension", "flag-honest"};
    std::string out;
    for (std::size_t i = 0; i < std::size(kNames); ++i) {
        if ((behaviours & (1U << i)) == 0) continue;
        if (!out.empty()) out += '+';
        out += kNames[i];
    }
    return out.empty() ? "honest" : out;
}

SimNode::SimNode(std::size_t id, const NodeSpec& spec, std::vector<core::Address> addresses,
                 Rng rng)
    : id_(id),
      key_(spec.key),
      behaviours_(spec.behaviours),
      addresses_(std::move(addresses)),
      rng_(rng) {
    std::uint32_t app_behaviours = 0;
    if ((behaviours_ & kWithholdExtension) != 0) app_behaviours |= kAppWithholdFlags;
    if ((behaviours_ & kFlagHonest) != 0) app_behaviours |= kAppFlagHonest;
    app_ = std::make_unique<TxListApp>(app_behaviours);
}

core::Result<std::unique_ptr<SimNode>> SimNode::create(std::size_t id, const NodeSpec& spec,
                                                       consensus::EngineConfig config,
                                                       consensus::SignatureVerifier& verifier,
                                                       std::vector<core::Address> addresses,
                                                       Rng rng) {
    std::unique_ptr<SimNode> node(new SimNode(id, spec, std::move(addresses), rng));
    config.key = spec.key;
    auto engine = consensus::Engine::create(std::move(config), *node->app_, verifier);
    if (!engine) return core::fail(engine.error());
    node->engine_ = std::move(*engine);
    return node;
}

std::size_t SimNode::node_of(const core::Address& a) const {
    const auto it = std::find(addresses_.begin(), addresses_.end(), a);
    return it == addresses_.end() ? Outgoing::kAll
                                  : static_cast<std::size_t>(it - addresses_.begin());
}

std::vector<Outgoing> SimNode::transform(const consensus::Effects& effects) {
    std::vector<Outgoing> out;
    if ((behaviours_ & kSilent) != 0) return out;
    for (const consensus::Send& s : effects.sends) {
        const std::size_t to = s.to ? node_of(*s.to) : Outgoing::kAll;
        if (s.to && to == Outgoing::kAll) continue;  // unknown peer
        const auto* vote = std::get_if<VotePtr>(&s.message);
        const auto* proposal = std::get_if<ProposalPtr>(&s.message);
        const bool mine = vote != nullptr && (*vote)->vote().validator == address();
        if (mine && (behaviours_ & kEquivocate) != 0) {
            equivocate(*vote, out);
        } else if (mine && (behaviours_ & kForgeExtension) != 0 &&
                   (*vote)->vote().has_extension()) {
            out.push_back({to, forge(*vote)});
        } else if (proposal != nullptr && (behaviours_ & kProposeFlagged) != 0) {
            out.push_back({to, tamper(*proposal)});
        } else {
            out.push_back({to, s.message});
        }
    }
    return out;
}

// Each peer gets the real vote, a conflicting one for another block, or both.
void SimNode::equivocate(const VotePtr& vote, std::vector<Outgoing>& out) {
    const VotePtr twin = equivocal_twin(vote, key_, rng_);
    for (std::size_t peer = 0; peer < addresses_.size(); ++peer) {
        if (peer == id_) continue;
        const std::uint64_t pick = twin ? rng_.next() % 3 : 0;
        if (pick != 1) out.push_back({peer, vote});
        if (pick != 0) out.push_back({peer, twin});
    }
}

// The extension gains a flag after signing: the signature no longer matches.
Message SimNode::forge(const VotePtr& vote) {
    return forged_extension(vote, rng_);
}

// As proposer: execute every pending transaction, flagged ones included.
Message SimNode::tamper(const ProposalPtr& proposal) {
    const consensus::Proposal& p = proposal->proposal();
    if (p.proposer != address()) return proposal;
    const auto pending = engine_->chain().pending();
    consensus::Block block = p.block->block();
    if (block.executed.size() == pending.size()) return proposal;  // nothing was left out
    block.executed.assign(pending.begin(), pending.end());
    auto sealed = consensus::SealedBlock::make(std::move(block));
    if (!sealed) return proposal;
    consensus::Proposal changed = p;
    changed.block = *sealed;
    changed.pol_round = consensus::kNoRound;
    auto signed_proposal = consensus::SignedProposal::sign(std::move(changed), key_);
    return signed_proposal ? Message(*signed_proposal) : Message(proposal);
}

}  // namespace mfd::chain::net
