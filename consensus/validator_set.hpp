#pragma once
/// The validators of one height with their voting power and proposer priority, updated exactly
/// as CometBFT's ValidatorSet (types/validator_set.go): change sets, new validators at
/// -1.125 * P, rescaling and centring, order by power then address. A value type; const access
/// is thread-safe, mutation is not.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "consensus/fixed_hash.hpp"
#include "consensus/types.hpp"
#include "core/result.hpp"

namespace mfd::consensus {

/// One validator of a set.
struct Validator {
    core::Address address;
    core::PublicKey key;
    std::int64_t power = 0;
    std::int64_t priority = 0;
};

class ValidatorSet {
public:
    ValidatorSet() = default;

    /// NewValidatorSet: every entry is added as new, then priorities advance once. Fails with
    /// kInvalidArgument on an empty list, a duplicate address, a power <= 0, or a total above
    /// kMaxTotalVotingPower.
    [[nodiscard]] static core::Result<ValidatorSet> create(
        std::span<const ValidatorUpdate> genesis);

    /// UpdateWithChangeSet: power 0 removes, other powers add or change. Fails with
    /// kInvalidArgument (duplicate, negative or oversized power, removing an unknown validator,
    /// an empty result) or kLimitExceeded (total power overflow); the set is then unchanged.
    [[nodiscard]] core::Result<void> apply_updates(std::span<const ValidatorUpdate> changes);

    /// IncrementProposerPriority(times), times >= 1; the set must not be empty.
    void increment_proposer_priority(int times);

    /// The index of the proposer for round `round` >= 0 of this set's height: round 0 is the
    /// set's proposer, round r the proposer after r further single increments of a copy.
    [[nodiscard]] std::size_t proposer_for_round(Round round) const;

    /// The index of `address`, or -1 when it is not in the set.
    [[nodiscard]] std::ptrdiff_t index_of(const core::Address& address) const noexcept;
    /// `index` when the validator there is `address` (a vote names both), else -1. O(1).
    [[nodiscard]] std::ptrdiff_t find(const core::Address& address,
                                      std::uint32_t index) const noexcept {
        return index < addresses_.size() && same_bytes(addresses_[index], address)
                   ? static_cast<std::ptrdiff_t>(index)
                   : -1;
    }

    [[nodiscard]] const std::vector<Validator>& validators() const noexcept { return validators_; }
    /// The addresses in index order.
    [[nodiscard]] const std::vector<core::Address>& addresses() const noexcept {
        return addresses_;
    }
    [[nodiscard]] const Validator& at(std::size_t i) const noexcept { return validators_[i]; }
    [[nodiscard]] std::size_t size() const noexcept { return validators_.size(); }
    [[nodiscard]] bool empty() const noexcept { return validators_.empty(); }
    [[nodiscard]] std::int64_t total_power() const noexcept { return total_power_; }
    /// The index elected by the last increment (the proposer of round 0).
    [[nodiscard]] std::size_t proposer_index() const noexcept { return proposer_; }

private:
    [[nodiscard]] core::Result<std::int64_t> verify_changes(
        const std::vector<ValidatorUpdate>& updates,
        const std::vector<ValidatorUpdate>& removals) const;
    void merge_changes(const std::vector<ValidatorUpdate>& updates,
                       const std::vector<ValidatorUpdate>& removals, std::int64_t updated_total);
    void rebuild_index();

    std::vector<Validator> validators_;
    std::vector<core::Address> addresses_;  // compact copy for find()
    using Index = std::unordered_map<core::Address, std::uint32_t, PrefixHash, SameBytes>;
    std::shared_ptr<const Index> index_ = std::make_shared<const Index>();  // shared by copies
    std::int64_t total_power_ = 0;
    std::size_t proposer_ = 0;
};

}  // namespace mfd::consensus
