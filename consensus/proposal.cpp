#include "consensus/proposal.hpp"

#include <string>

#include "consensus/wire.hpp"
#include "core/keccak.hpp"

namespace mfd::consensus {

namespace {

core::Result<void> check_proposal_shape(const Proposal& p) {
    if (!p.block) return core::fail(core::Errc::kInvalidArgument, "proposal without a block");
    if (p.height < 1 || p.round < 0 || p.pol_round < kNoRound || p.pol_round >= p.round) {
        return core::fail(core::Errc::kInvalidArgument,
                          "proposal height/round/pol_round out of range (pol_round " +
                              std::to_string(p.pol_round) + ", round " + std::to_string(p.round) +
                              ")");
    }
    const Block& b = p.block->block();
    if (b.chain_id != p.chain_id || b.height != p.height) {
        return core::fail(core::Errc::kInvalidArgument,
                          "proposed block belongs to another chain or height");
    }
    return {};
}

core::Hash proposal_digest(const Proposal& p) {
    core::Bytes out = {'M', 'F', 'D', 'P'};
    WireWriter w(out);
    w.u64(p.chain_id);
    w.u64(static_cast<std::uint64_t>(p.height));
    w.u32(static_cast<std::uint32_t>(p.round));
    w.u32(static_cast<std::uint32_t>(p.pol_round));
    w.bytes(p.proposer.view());
    w.bytes(p.block->id().view());
    return core::keccak256(out);
}

}  // namespace

core::Result<ProposalPtr> SignedProposal::make(Proposal proposal,
                                               const core::Signature& signature) {
    if (auto r = check_proposal_shape(proposal); !r) return core::fail(r.error());
    if (auto r = check_signature_shape(signature); !r) return core::fail(r.error());
    const core::Hash digest = proposal_digest(proposal);
    return std::make_shared<const SignedProposal>(Key{}, std::move(proposal), signature, digest);
}

core::Result<ProposalPtr> SignedProposal::sign(Proposal proposal, const core::PrivateKey& key) {
    if (auto r = check_proposal_shape(proposal); !r) return core::fail(r.error());
    const core::Hash digest = proposal_digest(proposal);
    const core::Signature signature = core::sign(key, digest);
    return std::make_shared<const SignedProposal>(Key{}, std::move(proposal), signature, digest);
}

SignedProposal::SignedProposal(Key, Proposal proposal, const core::Signature& signature,
                               const core::Hash& digest)
    : proposal_(std::move(proposal)), signature_(signature), digest_(digest) {}

}  // namespace mfd::consensus
