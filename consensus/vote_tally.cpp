#include "consensus/vote_tally.hpp"

#include <algorithm>

#include "consensus/fixed_hash.hpp"

namespace mfd::consensus {

std::size_t VoteTally::extras_of(std::size_t index) const noexcept {
    return static_cast<std::size_t>(std::count_if(extra_.begin(), extra_.end(),
                                                  [&](const auto& e) { return e.first == index; }));
}

TallyResult VoteTally::check(std::size_t index, const BlockId& block) const noexcept {
    const VotePtr& first = first_[index];
    if (!first) return TallyResult::kAdded;
    if (same_bytes(first->vote().block, block)) return TallyResult::kDuplicate;
    for (const auto& [i, v] : extra_) {
        if (i == index && same_bytes(v->vote().block, block)) return TallyResult::kDuplicate;
    }
    return TallyResult::kConflict;
}

TallyResult VoteTally::add(std::size_t index, std::int64_t power, VotePtr vote) {
    TallyResult r = check(index, vote->vote().block);
    if (r == TallyResult::kConflict && extras_of(index) >= kMaxConflicting) {
        r = TallyResult::kDuplicate;
    }
    if (r == TallyResult::kDuplicate) return r;
    const BlockId& block = vote->vote().block;
    auto it = std::find_if(power_.begin(), power_.end(),
                           [&](const auto& entry) { return same_bytes(entry.first, block); });
    if (it == power_.end()) {
        power_.emplace_back(block, power);
    } else {
        it->second += power;
    }
    if (r == TallyResult::kAdded) {
        total_ += power;
        first_[index] = std::move(vote);
    } else {
        extra_.emplace_back(index, std::move(vote));
    }
    return r;
}

std::int64_t VoteTally::power_for(const BlockId& block) const noexcept {
    for (const auto& [id, power] : power_) {
        if (same_bytes(id, block)) return power;
    }
    return 0;
}

std::pair<BlockId, std::int64_t> VoteTally::leading_block() const noexcept {
    std::pair<BlockId, std::int64_t> best{BlockId{}, 0};
    for (const auto& entry : power_) {
        if (!entry.first.is_zero() && entry.second > best.second) best = entry;
    }
    return best;
}

std::vector<VotePtr> VoteTally::votes_for(const BlockId& block) const {
    std::vector<VotePtr> out;
    for (const VotePtr& v : first_) {
        if (v && same_bytes(v->vote().block, block)) out.push_back(v);
    }
    for (const auto& [i, v] : extra_) {
        if (same_bytes(v->vote().block, block)) out.push_back(v);
    }
    std::sort(out.begin(), out.end(), [](const VotePtr& a, const VotePtr& b) {
        return a->vote().validator < b->vote().validator;
    });
    return out;
}

}  // namespace mfd::consensus
