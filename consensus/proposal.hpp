#pragma once
/// A round's proposal: the proposer's signed offer of a block, with the round of the polka that
/// justifies re-proposing it (pol_round, kNoRound for a fresh block). Immutable once made.

#include <cstdint>
#include <memory>

#include "consensus/block.hpp"

namespace mfd::consensus {

/// A proposal before signing.
struct Proposal {
    std::uint64_t chain_id = 0;
    Height height = 0;
    Round round = 0;
    Round pol_round = kNoRound;
    core::Address proposer;
    BlockPtr block;
};

class SignedProposal;
using ProposalPtr = std::shared_ptr<const SignedProposal>;

/// A proposal with its signature and signed digest.
class SignedProposal {
    struct Key {};

public:
    /// Fails with kInvalidArgument when the block is missing or belongs to another chain or
    /// height, round < 0, pol_round outside [-1, round - 1], or the signature is not canonical.
    [[nodiscard]] static core::Result<ProposalPtr> make(Proposal proposal,
                                                        const core::Signature& signature);
    /// Signs `proposal` with `key`; fails as make() on a wrong shape.
    [[nodiscard]] static core::Result<ProposalPtr> sign(Proposal proposal,
                                                        const core::PrivateKey& key);

    SignedProposal(Key, Proposal proposal, const core::Signature& signature,
                   const core::Hash& digest);

    [[nodiscard]] const Proposal& proposal() const noexcept { return proposal_; }
    [[nodiscard]] const core::Signature& signature() const noexcept { return signature_; }
    [[nodiscard]] const core::Hash& digest() const noexcept { return digest_; }

private:
    Proposal proposal_;
    core::Signature signature_;
    core::Hash digest_;
};

}  // namespace mfd::consensus
