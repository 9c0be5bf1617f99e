#include "consensus/chain_state.hpp"

#include <algorithm>

#include "consensus/proposer_priority.hpp"

namespace mfd::consensus {

namespace {

bool in_updates(const std::vector<ValidatorUpdate>& updates, const core::Address& a) {
    return std::any_of(updates.begin(), updates.end(),
                       [&](const ValidatorUpdate& u) { return u.address == a; });
}

}  // namespace

core::Result<ChainState> ChainState::genesis(const ConsensusParams& params,
                                             std::span<const ValidatorUpdate> vals) {
    for (const ValidatorUpdate& v : vals) {
        if (core::address_of(v.key) != v.address) {
            return core::fail(core::Errc::kInvalidArgument,
                              "genesis validator " + v.address.hex() + " is not its key's address");
        }
    }
    auto first = ValidatorSet::create(vals);
    if (!first) return core::fail(first.error());
    ChainState s;
    s.params_ = params;
    ValidatorSet second = *first;
    second.increment_proposer_priority(1);
    s.sets_[1] = std::make_shared<const ValidatorSet>(std::move(*first));
    s.sets_[2] = std::make_shared<const ValidatorSet>(std::move(second));
    for (const ValidatorUpdate& v : vals) s.stakes_[v.address] = StakeRecord{v.key, v.power, {}};
    return s;
}

BlockId ChainState::last_block_id() const noexcept {
    return last_block_ ? last_block_->id() : BlockId{};
}

std::shared_ptr<const ValidatorSet> ChainState::validators_at(Height h) const noexcept {
    const auto it = sets_.find(h);
    return it == sets_.end() ? nullptr : it->second;
}

const StakeRecord* ChainState::stake(const core::Address& address) const noexcept {
    const auto it = stakes_.find(address);
    return it == stakes_.end() ? nullptr : &it->second;
}

CommitSummary ChainState::apply(const BlockPtr& sealed, Round round, FlagOutcome flags,
                                Application& app) {
    const Block& block = sealed->block();
    CommitSummary out;
    out.height = block.height;
    out.flags = std::move(flags);
    std::vector<ValidatorUpdate> updates;
    slash(block, out, updates);
    track_downtime(block, out, updates);

    const FinalizedBlock fb{&block,          sealed->id(), round,     out.flags.executed,
                            out.flags.flags, out.slashed,  out.jailed};
    admit_app_updates(app.finalize_block(fb).validator_updates, out, updates);

    height_ = block.height;
    last_block_ = sealed;
    pending_ = block.candidates;
    schedule_updates(std::move(updates), out);
    while (!sets_.empty() && sets_.begin()->first < height_ - params_.evidence_max_age) {
        sets_.erase(sets_.begin());
    }
    return out;
}

void ChainState::slash(const Block& block, CommitSummary& out,
                       std::vector<ValidatorUpdate>& updates) {
    for (const EvidencePtr& e : block.evidence) {
        StakeRecord& rec = stakes_[e->validator()];
        if (rec.status == StakeStatus::kTombstoned) continue;
        const std::int64_t taken = scale_down(rec.stake, params_.slash_share);
        rec.stake -= taken;
        rec.status = StakeStatus::kTombstoned;
        out.slashed.push_back(Misbehaviour{e->validator(), e->height(), taken, rec.stake});
        updates.push_back(ValidatorUpdate{e->validator(), rec.key, 0});
    }
}

void ChainState::track_downtime(const Block& block, CommitSummary& out,
                                std::vector<ValidatorUpdate>& updates) {
    const auto signers = validators_at(block.height - 1);
    if (block.last_commit.empty() || signers == nullptr || params_.downtime_window <= 0) return;
    std::vector<bool> signed_it(signers->size(), false);
    for (const VotePtr& vote : block.last_commit.votes) {
        const std::ptrdiff_t i =
            signers->find(vote->vote().validator, vote->vote().validator_index);
        if (i >= 0) signed_it[static_cast<std::size_t>(i)] = true;
    }
    std::vector<MissWindow*>& windows = windows_of(*signers);
    for (std::size_t i = 0; i < signers->size(); ++i) {
        const core::Address& who = signers->at(i).address;
        MissWindow& w = *windows[i];
        if (w.missed.empty()) {
            w.missed.assign(static_cast<std::size_t>(params_.downtime_window), false);
        }
        w.count += (signed_it[i] ? 0 : 1) - (w.missed[w.next] ? 1 : 0);
        w.missed[w.next] = !signed_it[i];
        w.next = (w.next + 1) % w.missed.size();
        if (w.count <= params_.downtime_max_missed) continue;
        StakeRecord& rec = stakes_[who];
        if (rec.status == StakeStatus::kBonded && !in_updates(updates, who)) {
            rec.status = StakeStatus::kJailed;
            out.jailed.push_back(who);
            updates.push_back(ValidatorUpdate{who, rec.key, 0});
            w = MissWindow{};
        }
    }
}

// The windows of `set`'s validators by index, re-mapped only when the membership changes.
std::vector<ChainState::MissWindow*>& ChainState::windows_of(const ValidatorSet& set) {
    const auto& addresses = set.addresses();
    bool same = addresses.size() == window_addresses_.size();
    for (std::size_t i = 0; same && i < addresses.size(); ++i) {
        same = same_bytes(addresses[i], window_addresses_[i]);
    }
    if (!same) {
        window_addresses_ = addresses;
        window_ptrs_.clear();
        for (const core::Address& a : addresses) window_ptrs_.push_back(&downtime_[a]);
    }
    return window_ptrs_;
}

void ChainState::admit_app_updates(std::vector<ValidatorUpdate> requested, CommitSummary& out,
                                   std::vector<ValidatorUpdate>& updates) {
    for (const ValidatorUpdate& u : requested) {
        std::string why;
        const StakeRecord* rec = stake(u.address);
        if (core::address_of(u.key) != u.address) {
            why = "address is not the key's";
        } else if (u.power < 0 || u.power > kMaxTotalVotingPower) {
            why = "power out of range";
        } else if (in_updates(updates, u.address)) {
            why = "validator already changed by this block";
        } else if (rec != nullptr && rec->status == StakeStatus::kTombstoned) {
            why = "validator is tombstoned";
        }
        if (!why.empty()) {
            out.dropped_updates.push_back(u.address.hex() + ": " + why);
            continue;
        }
        StakeRecord& r = stakes_[u.address];
        r.key = u.key;
        r.stake = u.power;
        r.status = u.power > 0 ? StakeStatus::kBonded : StakeStatus::kUnbonded;
        if (u.power > 0) {
            const auto it = downtime_.find(u.address);
            if (it != downtime_.end()) it->second = MissWindow{};
        }
        updates.push_back(u);
    }
}

void ChainState::schedule_updates(std::vector<ValidatorUpdate> updates, CommitSummary& out) {
    const ValidatorSet& next = *sets_.at(height_ + 1);
    std::vector<ValidatorUpdate> effective;
    for (ValidatorUpdate& u : updates) {
        if (u.power == 0 && next.index_of(u.address) < 0) continue;  // not a member: nothing to do
        effective.push_back(u);
    }
    ValidatorSet after = next;
    if (auto r = after.apply_updates(effective); !r) {
        out.dropped_updates.push_back("all updates of height " + std::to_string(height_) + ": " +
                                      r.error().message);
        after = next;
        effective.clear();
    }
    after.increment_proposer_priority(1);
    sets_[height_ + 2] = std::make_shared<const ValidatorSet>(std::move(after));
    out.updates = std::move(effective);
}

}  // namespace mfd::consensus
