#pragma once
/// The messages validators exchange, and their wire codec: a compact, strict, canonical binary
/// format of our own (fixed-width big-endian fields; see docs/consensus.md). decode() accepts
/// exactly the bytes encode() produces: anything else is rejected with an error value.
/// Thread-safe: no shared state.

#include <cstddef>
#include <memory>
#include <variant>

#include "consensus/proposal.hpp"

namespace mfd::consensus {

/// A committed block with the precommits that decided it: how a lagging validator catches up.
struct Decision {
    BlockPtr block;
    ExtendedCommit commit;
};
using DecisionPtr = std::shared_ptr<const Decision>;

/// Fails with kInvalidArgument unless `commit` is a non-empty commit (check_commit_shape) for
/// exactly `block` (same chain, height and id).
[[nodiscard]] core::Result<DecisionPtr> make_decision(BlockPtr block, ExtendedCommit commit);

/// "I am at `height`": sent by a validator that saw traffic of heights it cannot use yet, so
/// that peers send it the decisions it lacks. Unsigned: it only ever triggers rate-limited
/// replies of public, self-verifying decisions.
struct Status {
    std::uint64_t chain_id = 0;
    Height height = 0;
    core::Address sender;
};
using StatusPtr = std::shared_ptr<const Status>;

/// Any consensus message.
using Message = std::variant<ProposalPtr, VotePtr, EvidencePtr, DecisionPtr, StatusPtr>;

/// The largest message decode() accepts.
inline constexpr std::size_t kMaxMessageBytes = 16 << 20;

/// The wire tag of each message kind (the first byte).
enum class MessageTag : std::uint8_t {
    kProposal = 1,
    kVote = 2,
    kEvidence = 3,
    kDecision = 4,
    kStatus = 5,
};

/// Encodes a message (its pointers must be non-null).
[[nodiscard]] core::Bytes encode(const Message& message);
/// Encodes a block's content (what its id hashes).
[[nodiscard]] core::Bytes encode_block(const Block& block);

/// Decodes one message. Fails with kInvalidArgument (malformed, non-canonical, trailing bytes,
/// broken shape rule) or kLimitExceeded (a count or size above its wire limit); the message
/// names the first problem and its byte offset where it has one.
[[nodiscard]] core::Result<Message> decode(core::ByteView bytes);

}  // namespace mfd::consensus
