#include "consensus/validator_set.hpp"

#include <algorithm>
#include <string>

#include "consensus/proposer_priority.hpp"

namespace mfd::consensus {

namespace {

bool by_address(const ValidatorUpdate& a, const ValidatorUpdate& b) {
    return a.address < b.address;
}

// processChanges: sorted copies split into updates (power > 0) and removals (power 0).
core::Result<void> split_changes(std::span<const ValidatorUpdate> changes,
                                 std::vector<ValidatorUpdate>& updates,
                                 std::vector<ValidatorUpdate>& removals) {
    std::vector<ValidatorUpdate> sorted(changes.begin(), changes.end());
    std::sort(sorted.begin(), sorted.end(), by_address);
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const ValidatorUpdate& u = sorted[i];
        if (i > 0 && sorted[i - 1].address == u.address) {
            return core::fail(core::Errc::kInvalidArgument,
                              "duplicate validator update for " + u.address.hex());
        }
        if (u.power < 0 || u.power > kMaxTotalVotingPower) {
            return core::fail(core::Errc::kInvalidArgument,
                              "voting power " + std::to_string(u.power) + " of " + u.address.hex() +
                                  " is outside [0, MaxTotalVotingPower]");
        }
        (u.power == 0 ? removals : updates).push_back(u);
    }
    return {};
}

}  // namespace

core::Result<ValidatorSet> ValidatorSet::create(std::span<const ValidatorUpdate> genesis) {
    if (genesis.empty()) {
        return core::fail(core::Errc::kInvalidArgument, "a validator set needs a validator");
    }
    for (const ValidatorUpdate& u : genesis) {
        if (u.power <= 0) {
            return core::fail(core::Errc::kInvalidArgument,
                              "genesis validator " + u.address.hex() + " has power <= 0");
        }
    }
    ValidatorSet set;
    if (auto r = set.apply_updates(genesis); !r) return core::fail(r.error());
    set.increment_proposer_priority(1);
    return set;
}

core::Result<void> ValidatorSet::apply_updates(std::span<const ValidatorUpdate> changes) {
    if (changes.empty()) return {};
    std::vector<ValidatorUpdate> updates;
    std::vector<ValidatorUpdate> removals;
    if (auto r = split_changes(changes, updates, removals); !r) return r;
    auto updated_total = verify_changes(updates, removals);
    if (!updated_total) return core::fail(updated_total.error());
    merge_changes(updates, removals, *updated_total);
    rescale_priorities(std::span<Validator>(validators_), kPriorityWindowSizeFactor * total_power_);
    shift_by_average(std::span<Validator>(validators_));
    std::sort(validators_.begin(), validators_.end(), [](const Validator& a, const Validator& b) {
        return a.power != b.power ? a.power > b.power : a.address < b.address;
    });
    rebuild_index();
    proposer_ = 0;
    return {};
}

// verifyRemovals + verifyUpdates: the total power with every update applied but before the
// removals (the base of a new validator's priority), or why the changes are refused.
core::Result<std::int64_t> ValidatorSet::verify_changes(
    const std::vector<ValidatorUpdate>& updates,
    const std::vector<ValidatorUpdate>& removals) const {
    std::int64_t removed_power = 0;
    for (const ValidatorUpdate& u : removals) {
        const std::ptrdiff_t i = index_of(u.address);
        if (i < 0) {
            return core::fail(core::Errc::kInvalidArgument,
                              "cannot remove unknown validator " + u.address.hex());
        }
        removed_power += validators_[static_cast<std::size_t>(i)].power;
    }
    std::size_t added = 0;
    std::vector<std::int64_t> deltas;
    for (const ValidatorUpdate& u : updates) {
        const std::ptrdiff_t i = index_of(u.address);
        added += i < 0 ? 1 : 0;
        deltas.push_back(i < 0 ? u.power
                               : u.power - validators_[static_cast<std::size_t>(i)].power);
    }
    if (added == 0 && removals.size() == validators_.size()) {
        return core::fail(core::Errc::kInvalidArgument,
                          "the changes would empty the validator set");
    }
    // Power decreases first, so that no intermediate total overflows.
    std::sort(deltas.begin(), deltas.end());
    std::int64_t running = total_power_ - removed_power;
    for (std::int64_t d : deltas) {
        running += d;
        if (running > kMaxTotalVotingPower) {
            return core::fail(core::Errc::kLimitExceeded,
                              "total voting power would exceed MaxTotalVotingPower");
        }
    }
    return running + removed_power;
}

// computeNewPriorities + applyUpdates + applyRemovals: changed validators keep their priority,
// new ones start at -1.125 * updated_total.
void ValidatorSet::merge_changes(const std::vector<ValidatorUpdate>& updates,
                                 const std::vector<ValidatorUpdate>& removals,
                                 std::int64_t updated_total) {
    std::vector<Validator> merged;
    merged.reserve(validators_.size() + updates.size());
    for (const Validator& v : validators_) {
        const ValidatorUpdate probe{v.address, {}, 0};
        const bool removed =
            std::binary_search(removals.begin(), removals.end(), probe, by_address);
        const bool updated = std::binary_search(updates.begin(), updates.end(), probe, by_address);
        if (!removed && !updated) merged.push_back(v);
    }
    for (const ValidatorUpdate& u : updates) {
        const std::ptrdiff_t i = index_of(u.address);
        const std::int64_t priority = i < 0 ? new_validator_priority(updated_total)
                                            : validators_[static_cast<std::size_t>(i)].priority;
        merged.push_back(Validator{u.address, u.key, u.power, priority});
    }
    validators_ = std::move(merged);
    total_power_ = 0;
    for (const Validator& v : validators_) total_power_ += v.power;
}

void ValidatorSet::increment_proposer_priority(int times) {
    proposer_ = consensus::increment_proposer_priority(std::span<Validator>(validators_),
                                                       total_power_, times);
}

std::size_t ValidatorSet::proposer_for_round(Round round) const {
    if (round <= 0) return proposer_;
    std::vector<Validator> copy = validators_;
    std::size_t p = proposer_;
    for (Round r = 0; r < round; ++r) {
        p = consensus::increment_proposer_priority(std::span<Validator>(copy), total_power_, 1);
    }
    return p;
}

std::ptrdiff_t ValidatorSet::index_of(const core::Address& address) const noexcept {
    const auto it = index_->find(address);
    return it == index_->end() ? -1 : static_cast<std::ptrdiff_t>(it->second);
}

void ValidatorSet::rebuild_index() {
    addresses_.clear();
    for (const Validator& v : validators_) addresses_.push_back(v.address);
    auto index = std::make_shared<Index>();
    index->reserve(validators_.size());
    for (std::size_t i = 0; i < validators_.size(); ++i) {
        index->emplace(validators_[i].address, static_cast<std::uint32_t>(i));
    }
    index_ = std::move(index);
}

}  // namespace mfd::consensus
