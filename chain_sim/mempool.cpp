#include "chain_sim/mempool.hpp"

#include <queue>

namespace mfd::chain {
namespace {

core::U256 bumped(const core::U256& v, std::uint64_t percent) {
    return v + v * percent / 100;
}

}  // namespace

core::U256 Mempool::tip(const core::Transaction& tx) const {
    const core::U256 base = chain_->next_base_fee();
    if (tx.fee_cap() < base) return 0;
    return std::min(tx.tip_cap(), tx.fee_cap() - base);
}

bool Mempool::pays_replacement(const core::Transaction& old_tx,
                               const core::Transaction& new_tx) const {
    const std::uint64_t bump = config_.replacement_bump_percent;
    return new_tx.fee_cap() >= bumped(old_tx.fee_cap(), bump) &&
           new_tx.tip_cap() >= bumped(old_tx.tip_cap(), bump);
}

core::Result<core::Hash> Mempool::add_raw(core::ByteView raw) {
    auto checked = core::check_transaction(raw, chain_->tx_rules());
    if (!checked) return core::fail(checked.error());
    return add(*checked);
}

core::Result<core::Hash> Mempool::add(const core::CheckedTransaction& tx) {
    if (by_hash_.contains(tx.hash)) {
        return core::fail(core::Errc::kTxAlreadyKnown,
                          "transaction " + tx.hash.hex() + " is pooled");
    }
    if (auto admitted = chain_->check_admission(tx); !admitted) return core::fail(admitted.error());
    if (auto window = check_window(tx); !window) return core::fail(window.error());
    static const std::map<std::uint64_t, core::Hash> kNone;
    auto pooled = by_sender_.find(tx.sender);
    const auto& queue = pooled == by_sender_.end() ? kNone : pooled->second;
    if (auto same = queue.find(tx.tx.nonce); same != queue.end()) {
        if (!pays_replacement(by_hash_.at(same->second).tx.tx, tx.tx)) {
            return core::fail(core::Errc::kTxAlreadyKnown,
                              "replacement of nonce " + std::to_string(tx.tx.nonce) +
                                  " must raise fee cap and tip by " +
                                  std::to_string(config_.replacement_bump_percent) + " %");
        }
        remove(same->second);
    } else if (auto room = make_room(tx.tx); !room) {
        return core::fail(room.error());
    }
    by_sender_[tx.sender][tx.tx.nonce] = tx.hash;
    by_hash_.emplace(tx.hash, Entry{tx, arrivals_++});
    return tx.hash;
}

core::Result<std::uint64_t> Mempool::pending_nonce(const core::Address& sender) const {
    auto account = chain_->account(sender);
    if (!account) return core::fail(account.error());
    std::uint64_t next = account->nonce;
    const auto pooled = by_sender_.find(sender);
    if (pooled == by_sender_.end()) return next;
    for (auto it = pooled->second.find(next); it != pooled->second.end() && it->first == next;
         ++it) {
        ++next;
    }
    return next;
}

core::Result<void> Mempool::check_window(const core::CheckedTransaction& tx) const {
    auto pending = pending_nonce(tx.sender);
    if (!pending) return core::fail(pending.error());
    if (tx.tx.nonce >= *pending && tx.tx.nonce - *pending >= config_.max_queued) {
        return core::fail(core::Errc::kTxNonceTooHigh,
                          "nonce " + std::to_string(tx.tx.nonce) + " is " +
                              std::to_string(config_.max_queued) +
                              " or more beyond the sender's pending nonce " +
                              std::to_string(*pending));
    }
    const auto pooled = by_sender_.find(tx.sender);
    if (pooled != by_sender_.end() && pooled->second.size() >= config_.max_per_sender &&
        !pooled->second.contains(tx.tx.nonce)) {
        return core::fail(core::Errc::kLimitExceeded,
                          "the sender has " + std::to_string(pooled->second.size()) +
                              " transactions pooled, the most one sender may");
    }
    return {};
}

core::Result<void> Mempool::make_room(const core::Transaction& incoming) {
    if (by_hash_.size() < config_.max_transactions) return {};
    const core::Hash* cheapest = nullptr;
    core::U256 lowest;
    for (const auto& [sender, queue] : by_sender_) {
        if (queue.empty()) continue;
        const core::Hash& tail = queue.rbegin()->second;
        const core::U256 t = tip(by_hash_.at(tail).tx.tx);
        if (cheapest == nullptr || t < lowest) {
            cheapest = &tail;
            lowest = t;
        }
    }
    if (cheapest == nullptr || tip(incoming) <= lowest) {
        return core::fail(core::Errc::kLimitExceeded,
                          "mempool full of transactions paying at least as much");
    }
    remove(*cheapest);
    return {};
}

void Mempool::remove(core::Hash hash) {
    auto it = by_hash_.find(hash);
    if (it == by_hash_.end()) return;
    auto sender = by_sender_.find(it->second.tx.sender);
    if (sender != by_sender_.end()) {
        sender->second.erase(it->second.tx.tx.nonce);
        if (sender->second.empty()) by_sender_.erase(sender);
    }
    by_hash_.erase(it);
}

core::Result<std::vector<core::CheckedTransaction>> Mempool::candidates(std::size_t max) const {
    struct Head {
        core::U256 tip;
        std::uint64_t arrival;
        const Entry* entry;
        bool operator<(const Head& o) const {
            return tip != o.tip ? tip < o.tip : arrival > o.arrival;
        }
    };
    std::priority_queue<Head> heads;
    for (const auto& [sender, queue] : by_sender_) {
        auto account = chain_->account(sender);
        if (!account) return core::fail(account.error());
        auto first = queue.find(account->nonce);
        if (first == queue.end()) continue;
        const Entry& e = by_hash_.at(first->second);
        heads.push({tip(e.tx.tx), e.arrival, &e});
    }
    std::vector<core::CheckedTransaction> out;
    while (!heads.empty() && out.size() < max) {
        const Entry* e = heads.top().entry;
        heads.pop();
        out.push_back(e->tx);
        const auto& queue = by_sender_.at(e->tx.sender);
        auto next = queue.find(e->tx.tx.nonce + 1);
        if (next == queue.end()) continue;
        const Entry& n = by_hash_.at(next->second);
        heads.push({tip(n.tx.tx), n.arrival, &n});
    }
    return out;
}

core::Result<void> Mempool::on_committed(const ExecutedBlock& block) {
    for (const auto& h : block.tx_hashes) remove(h);
    std::vector<core::Hash> stale;
    for (const auto& [sender, queue] : by_sender_) {
        auto account = chain_->account(sender);
        if (!account) return core::fail(account.error());
        for (auto it = queue.begin(); it != queue.end() && it->first < account->nonce; ++it) {
            stale.push_back(it->second);
        }
    }
    for (const auto& h : stale) remove(h);
    return {};
}

}  // namespace mfd::chain
