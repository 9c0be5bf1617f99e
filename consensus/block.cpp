#include "consensus/block.hpp"

#include <string>

#include "consensus/message.hpp"
#include "core/keccak.hpp"

namespace mfd::consensus {

core::Result<void> check_commit_shape(const ExtendedCommit& commit, std::uint64_t chain_id) {
    if (commit.empty()) {
        if (commit.round != 0 || !commit.block.is_zero() || !commit.votes.empty()) {
            return core::fail(core::Errc::kInvalidArgument,
                              "an empty commit has round 0, a nil block and no votes");
        }
        return {};
    }
    if (commit.height < 0 || commit.round < 0 || commit.block.is_zero() || commit.votes.empty()) {
        return core::fail(core::Errc::kInvalidArgument,
                          "a commit needs a height, a round, a block and votes");
    }
    if (commit.votes.size() > kMaxWireCommitVotes) {
        return core::fail(core::Errc::kLimitExceeded, "commit has too many votes");
    }
    for (std::size_t i = 0; i < commit.votes.size(); ++i) {
        if (!commit.votes[i]) return core::fail(core::Errc::kInvalidArgument, "null commit vote");
        const Vote& v = commit.votes[i]->vote();
        if (v.type != VoteType::kPrecommit || v.chain_id != chain_id || v.height != commit.height ||
            v.round != commit.round || v.block != commit.block) {
            return core::fail(core::Errc::kInvalidArgument,
                              "commit vote " + std::to_string(i) + " is not a precommit for " +
                                  "the commit's chain, height, round and block");
        }
        if (i > 0 && !(commit.votes[i - 1]->vote().validator < v.validator)) {
            return core::fail(core::Errc::kInvalidArgument,
                              "commit votes must be strictly ascending by validator");
        }
    }
    return {};
}

namespace {

core::Result<void> check_block_shape(const Block& b) {
    if (b.height < 1) return core::fail(core::Errc::kInvalidArgument, "block height must be >= 1");
    if (b.executed.size() > kMaxWireTxs || b.candidates.size() > kMaxWireTxs ||
        b.payload.size() > kMaxWirePayload || b.evidence.size() > kMaxWireEvidence) {
        return core::fail(core::Errc::kLimitExceeded, "block list or payload exceeds the limit");
    }
    for (const EvidencePtr& e : b.evidence) {
        if (!e) return core::fail(core::Errc::kInvalidArgument, "null evidence in block");
    }
    return check_commit_shape(b.last_commit, b.chain_id);
}

}  // namespace

core::Result<BlockPtr> SealedBlock::make(Block block) {
    if (auto r = check_block_shape(block); !r) return core::fail(r.error());
    const core::Bytes encoded = encode_block(block);
    const BlockId id = core::keccak256(encoded);
    return std::make_shared<const SealedBlock>(Key{}, std::move(block), id, encoded.size());
}

SealedBlock::SealedBlock(Key, Block block, const BlockId& id, std::size_t encoded_size)
    : block_(std::move(block)), id_(id), encoded_size_(encoded_size) {}

}  // namespace mfd::consensus
