#pragma once
/// Evidence of equivocation: two signed votes of one validator for the same height, round and
/// step with different blocks. Immutable once made: thread-safe to share.

#include <memory>

#include "consensus/vote.hpp"

namespace mfd::consensus {

class Evidence;
using EvidencePtr = std::shared_ptr<const Evidence>;

/// Two conflicting votes, kept in canonical order (smaller digest first) so that one
/// equivocation has one encoding and one hash.
class Evidence {
    struct Key {};

public:
    /// Fails with kInvalidArgument unless both votes come from one validator (address and
    /// index) for one chain,
    /// height, round and type, and name different blocks. Signatures are checked later, by the
    /// engine, against the validator set of that height.
    [[nodiscard]] static core::Result<EvidencePtr> make(VotePtr a, VotePtr b);

    Evidence(Key, VotePtr first, VotePtr second);

    [[nodiscard]] const VotePtr& first() const noexcept { return first_; }
    [[nodiscard]] const VotePtr& second() const noexcept { return second_; }
    [[nodiscard]] const core::Address& validator() const noexcept {
        return first_->vote().validator;
    }
    [[nodiscard]] Height height() const noexcept { return first_->vote().height; }
    /// Keccak-256 of the two digests in order.
    [[nodiscard]] const core::Hash& hash() const noexcept { return hash_; }

private:
    VotePtr first_;
    VotePtr second_;
    core::Hash hash_;
};

}  // namespace mfd::consensus
