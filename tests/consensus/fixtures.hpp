#pragma once
// Helpers for the consensus unit tests: deterministic keys, genesis sets, signed votes,
// proposals and blocks, and a scripted application.

#include <string>
#include <vector>

#include "consensus/engine.hpp"
#include "core/keccak.hpp"

namespace mfd::test {

using consensus::Block;
using consensus::BlockId;
using consensus::Height;
using consensus::Round;
using consensus::VoteType;

/// The key of test validator `i`.
inline core::PrivateKey key(int i) {
    return core::PrivateKey::derive(core::as_bytes("unit-validator-" + std::to_string(i)));
}

/// A hash standing for a transaction or block named `s`.
inline core::Hash hash_of(const std::string& s) {
    return core::keccak256(core::as_bytes(s));
}

/// Validators 0..n-1 with the given powers (all 10 by default).
inline std::vector<consensus::ValidatorUpdate> genesis(int n,
                                                       std::vector<std::int64_t> powers = {}) {
    std::vector<consensus::ValidatorUpdate> out;
    for (int i = 0; i < n; ++i) {
        const std::int64_t p = powers.empty() ? 10 : powers[static_cast<std::size_t>(i)];
        out.push_back({key(i).address(), key(i).public_key(), p});
    }
    return out;
}

/// A vote of validator `signer` (index `index` in the set), signed with `signer`'s key; the
/// flags are sorted first.
inline consensus::VotePtr vote(int signer, std::uint32_t index, VoteType type, Height h, Round r,
                               const BlockId& block, std::vector<consensus::FraudFlag> flags = {},
                               std::uint64_t chain = 1) {
    flags = consensus::normalise_flags(std::move(flags), flags.size());
    consensus::Vote v{type, chain, h, r, block, key(signer).address(), index, std::move(flags)};
    return consensus::SignedVote::sign(std::move(v), key(signer)).value();  // throws on misuse
}

/// A block at `height` with the given lists (first block: no commit).
inline consensus::BlockPtr block(Height height, const core::Address& proposer,
                                 std::vector<core::Hash> candidates = {},
                                 consensus::ExtendedCommit commit = {},
                                 std::vector<core::Hash> executed = {}, core::Hash parent = {}) {
    Block b;
    b.chain_id = 1;
    b.height = height;
    b.proposer = proposer;
    b.parent = parent;
    b.executed = std::move(executed);
    b.candidates = std::move(candidates);
    b.payload = {1, 2, 3};
    b.last_commit = std::move(commit);
    return consensus::SealedBlock::make(std::move(b)).value();
}

/// A proposal of `block` signed by validator `signer`.
inline consensus::ProposalPtr proposal(int signer, const consensus::BlockPtr& b, Round r,
                                       Round pol = consensus::kNoRound) {
    consensus::Proposal p{1, b->height(), r, pol, key(signer).address(), b};
    return consensus::SignedProposal::sign(std::move(p), key(signer)).value();
}

/// An application that accepts everything, flags what `flags` lists, announces `announce`
/// and records what it was given.
class ScriptedApp final : public consensus::Application {
public:
    consensus::Verdict check_tx(core::ByteView) override { return consensus::Verdict::kAccept; }
    consensus::ProposalContent prepare_proposal(const consensus::ProposalContext&) override {
        return {announce, {}};
    }
    consensus::Verdict process_proposal(const Block&) override { return verdict; }
    std::vector<consensus::FraudFlag> extend_vote(const Block&) override { return flags; }
    consensus::Verdict verify_vote_extension(const core::Address&, Height,
                                             std::span<const consensus::FraudFlag>) override {
        return extension_verdict;
    }
    consensus::FinalizeResult finalize_block(const consensus::FinalizedBlock& fb) override {
        finalized.push_back(fb.block->height);
        for (const auto& f : fb.flags) committed_flags.push_back(f);
        for (const auto& m : fb.slashed) slashed.push_back(m);
        return {updates};
    }

    std::vector<core::Hash> announce;
    std::vector<consensus::FraudFlag> flags;
    std::vector<consensus::ValidatorUpdate> updates;
    consensus::Verdict verdict = consensus::Verdict::kAccept;
    consensus::Verdict extension_verdict = consensus::Verdict::kAccept;
    std::vector<Height> finalized;
    std::vector<consensus::AggregatedFlag> committed_flags;
    std::vector<consensus::Misbehaviour> slashed;
};

}  // namespace mfd::test
