#pragma once
/// Votes (prevote, precommit) and their signed, immutable form. A precommit for a block carries
/// the validator's vote extension: its fraud flags. One secp256k1 signature covers the vote and
/// the extension. SignedVote objects are immutable after construction: thread-safe to share.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "consensus/types.hpp"
#include "core/result.hpp"

namespace mfd::consensus {

/// The most flags the wire format admits in one extension (the chain's cap is usually lower).
inline constexpr std::size_t kMaxWireFlags = 1024;

/// A vote before signing.
struct Vote {
    VoteType type = VoteType::kPrevote;
    std::uint64_t chain_id = 0;
    Height height = 0;
    Round round = 0;
    BlockId block;  ///< zero: a vote for nil
    core::Address validator;
    std::uint32_t validator_index = 0;  ///< position in the validator set of `height`
    std::vector<FraudFlag> flags;       ///< the extension; only on precommits for a block

    [[nodiscard]] bool is_nil() const noexcept { return block.is_zero(); }
    /// True for a precommit for a block: the only votes that carry an extension.
    [[nodiscard]] bool has_extension() const noexcept {
        return type == VoteType::kPrecommit && !is_nil();
    }
};

/// Checks the shape rules every vote obeys: height >= 1, round >= 0, a known type, flags only
/// when has_extension(), at most kMaxWireFlags flags, strictly ascending by tx hash, scores at
/// most kMaxScore. Fails with kInvalidArgument naming the rule.
[[nodiscard]] core::Result<void> check_vote_shape(const Vote& vote);

/// Sorts flags by tx hash, keeps the highest score of a repeated hash, clamps scores to
/// kMaxScore, and keeps the `cap` highest-scoring flags (ties: smaller hash): what a validator
/// may put in an extension.
[[nodiscard]] std::vector<FraudFlag> normalise_flags(std::vector<FraudFlag> flags, std::size_t cap);

class SignedVote;
using VotePtr = std::shared_ptr<const SignedVote>;

/// A vote with its signature and the digest the signature covers (computed here, never taken
/// from the sender).
class SignedVote {
    struct Key {};

public:
    /// Wraps a received vote. Fails with kInvalidArgument when the shape is wrong or the
    /// signature is not canonical (r, s in [1, n-1], s low, parity 0 or 1); the signature itself
    /// is checked by a SignatureVerifier.
    [[nodiscard]] static core::Result<VotePtr> make(Vote vote, const core::Signature& signature);
    /// Signs `vote` with `key` (the caller makes `vote.validator` the key's address). Fails as
    /// make() on a wrong shape.
    [[nodiscard]] static core::Result<VotePtr> sign(Vote vote, const core::PrivateKey& key);

    SignedVote(Key, Vote vote, const core::Signature& signature, const core::Hash& digest);

    [[nodiscard]] const Vote& vote() const noexcept { return vote_; }
    [[nodiscard]] const core::Signature& signature() const noexcept { return signature_; }
    /// Keccak-256 of the signed bytes (domain, chain id, the fields, the extension).
    [[nodiscard]] const core::Hash& digest() const noexcept { return digest_; }

    /// Records that the signature was verified against `key` (the first record wins), so that
    /// other validators in this process holding this very object skip the check. Thread-safe.
    void remember_signer(const core::PublicKey& key) const;
    /// True when a verification against `key` was recorded. Thread-safe.
    [[nodiscard]] bool verified_for(const core::PublicKey& key) const noexcept;

private:
    Vote vote_;
    core::Signature signature_;
    core::Hash digest_;
    mutable std::once_flag remembered_;
    mutable std::atomic<bool> known_{false};
    mutable core::PublicKey signer_;
};

/// The bytes a vote's signature covers: "MFDV" then the wire encoding of the unsigned vote.
[[nodiscard]] core::Bytes vote_sign_bytes(const Vote& vote);

/// Checks that a signature is canonical: r and s in [1, n-1], s <= n/2, parity 0 or 1.
[[nodiscard]] core::Result<void> check_signature_shape(const core::Signature& signature);

}  // namespace mfd::consensus
