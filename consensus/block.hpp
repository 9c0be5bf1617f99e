#pragma once
/// Blocks as consensus sees them: the transactions the block executes (the previous block's
/// announced transactions minus those the flag rule leaves out), the transactions it announces,
/// the application's opaque payload, the extended commit of the previous height and evidence.
/// A SealedBlock is immutable and knows its hash: thread-safe to share.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "consensus/evidence.hpp"
#include "consensus/vote.hpp"

namespace mfd::consensus {

/// Wire limits of a block (the chain's parameters are usually lower).
inline constexpr std::size_t kMaxWireTxs = 1 << 16;
inline constexpr std::size_t kMaxWirePayload = 8 << 20;
inline constexpr std::size_t kMaxWireCommitVotes = 4096;
inline constexpr std::size_t kMaxWireEvidence = 256;

/// The precommits (with extensions) that decided a block: all for `block` at `height`/`round`,
/// ordered by validator address. Empty (height 0) before the first block.
struct ExtendedCommit {
    Height height = 0;
    Round round = 0;
    BlockId block;
    std::vector<VotePtr> votes;

    [[nodiscard]] bool empty() const noexcept { return height == 0; }
};

/// Checks a commit's shape for chain `chain_id`: empty (height 0, round 0, nil block, no votes)
/// or non-empty with every vote a precommit for (height, round, block) of that chain, validators
/// strictly ascending, at most kMaxWireCommitVotes. Fails with kInvalidArgument.
[[nodiscard]] core::Result<void> check_commit_shape(const ExtendedCommit& commit,
                                                    std::uint64_t chain_id);

/// A block's content.
struct Block {
    std::uint64_t chain_id = 0;
    Height height = 0;
    core::Address proposer;              ///< the validator that built the block
    core::Hash parent;                   ///< the id of block height-1 (zero at height 1)
    std::vector<core::Hash> executed;    ///< executed now: parent's candidates minus left out
    std::vector<core::Hash> candidates;  ///< announced now, executed (or left out) next block
    core::Bytes payload;                 ///< the application's content (e.g. the transactions)
    ExtendedCommit last_commit;          ///< the commit of height-1 (empty at height 1)
    std::vector<EvidencePtr> evidence;
};

class SealedBlock;
using BlockPtr = std::shared_ptr<const SealedBlock>;

/// A block with its id (Keccak-256 of its encoding).
class SealedBlock {
    struct Key {};

public:
    /// Seals `block`. Fails with kInvalidArgument/kLimitExceeded when height < 1, a list exceeds
    /// its wire limit, or the commit's shape is wrong (check_commit_shape).
    [[nodiscard]] static core::Result<BlockPtr> make(Block block);

    SealedBlock(Key, Block block, const BlockId& id, std::size_t encoded_size);

    [[nodiscard]] const Block& block() const noexcept { return block_; }
    [[nodiscard]] const BlockId& id() const noexcept { return id_; }
    [[nodiscard]] Height height() const noexcept { return block_.height; }
    /// Bytes of the block's encoding.
    [[nodiscard]] std::size_t encoded_size() const noexcept { return encoded_size_; }

private:
    Block block_;
    BlockId id_;
    std::size_t encoded_size_ = 0;
};

}  // namespace mfd::consensus
