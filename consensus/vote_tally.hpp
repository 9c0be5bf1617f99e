#pragma once
/// The votes of one type in one round, with the power behind each block (nil included).
/// Tendermint counts signed messages from distinct validators per block, so a validator that
/// equivocates counts for each block it signed (at most kMaxConflicting extra votes are kept);
/// "any vote" power counts each validator once. Adding is O(distinct blocks). Not thread-safe.

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "consensus/vote.hpp"

namespace mfd::consensus {

/// How adding a vote went.
enum class TallyResult : std::uint8_t {
    kAdded,      ///< the validator's first vote here
    kDuplicate,  ///< the validator already voted for this block here (or its extra votes ran out)
    kConflict,   ///< the validator already voted for another block: equivocation, counted too
};

class VoteTally {
public:
    /// Extra (conflicting) votes kept per validator.
    static constexpr std::size_t kMaxConflicting = 2;

    /// A tally for a set of `validators` validators.
    explicit VoteTally(std::size_t validators = 0) : first_(validators) {}

    /// What adding the vote of validator `index` for `block` would do (no change).
    [[nodiscard]] TallyResult check(std::size_t index, const BlockId& block) const noexcept;
    /// Records the vote of validator `index` (below the set size) with `power`.
    TallyResult add(std::size_t index, std::int64_t power, VotePtr vote);

    /// The first vote of validator `index`, null when absent.
    [[nodiscard]] const VotePtr& vote_of(std::size_t index) const noexcept { return first_[index]; }
    /// Power of the validators that voted for `block` (zero id: nil).
    [[nodiscard]] std::int64_t power_for(const BlockId& block) const noexcept;
    /// Power of the validators that voted here at all, each counted once.
    [[nodiscard]] std::int64_t total() const noexcept { return total_; }
    /// The non-nil block with the most power, and that power (zero id and 0 when none).
    [[nodiscard]] std::pair<BlockId, std::int64_t> leading_block() const noexcept;
    /// Every vote for `block`, one per validator, ordered by validator address.
    [[nodiscard]] std::vector<VotePtr> votes_for(const BlockId& block) const;

private:
    [[nodiscard]] std::size_t extras_of(std::size_t index) const noexcept;

    std::vector<VotePtr> first_;
    std::vector<std::pair<std::size_t, VotePtr>> extra_;
    std::vector<std::pair<BlockId, std::int64_t>> power_;
    std::int64_t total_ = 0;
};

}  // namespace mfd::consensus
