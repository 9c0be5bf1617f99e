#include "chain_sim/sim/wallets.hpp"

#include <algorithm>

#include "core/keccak.hpp"

namespace mfd::chain::sim {
namespace {

/// `v` raised by a quarter `times` times (a replacement must pay 10 % more than what it
/// replaces; a cancel may meet the kept-out transaction still pooled at another validator).
core::U256 raised(const core::U256& v, int times) {
    core::U256 out = v;
    for (int k = 0; k < times; ++k) out = out + out / 4;
    return out;
}

/// A zero-value transfer to the signer itself at `original`'s nonce and type, paying more.
core::Transaction cancel_of(const core::Transaction& original, const core::Address& self,
                            std::uint64_t chain_id, int attempt) {
    core::Transaction tx;
    tx.type = original.type;
    tx.nonce = original.nonce;
    tx.to = self;
    tx.gas_limit = core::kTxGas;
    tx.chain_id = chain_id;
    if (tx.type == core::TxType::kDynamicFee) {
        tx.max_fee_per_gas = raised(original.max_fee_per_gas, attempt);
        tx.max_priority_fee_per_gas = raised(original.max_priority_fee_per_gas, attempt);
    } else {
        tx.gas_price = raised(original.gas_price, attempt);
    }
    return tx;
}

}  // namespace

Wallets::Wallets(const Traffic& traffic, std::vector<std::int64_t> at_us,
                 const std::vector<bool>& earlier, std::int64_t reaction_us)
    : traffic_(traffic),
      at_us_(std::move(at_us)),
      reaction_us_(reaction_us),
      txs_(traffic.txs.size()),
      dependents_(traffic.txs.size()),
      gap_open_(traffic.txs.size(), false) {
    index_.reserve(traffic.txs.size());
    for (std::size_t i = 0; i < traffic.txs.size(); ++i) index_.emplace(traffic.txs[i].hash, i);
    link_signers();
    for (std::size_t i = 0; i < txs_.size(); ++i) {
        if (i < earlier.size() && earlier[i]) decided(i, 0);
    }
    for (std::size_t i = 0; i < txs_.size(); ++i) maybe_queue(i);
}

// Chain transactions (valid in stream order) of one signer follow each other; a planted one
// (to be refused) waits until the signer's chain transaction before it is decided, so that it
// meets the state the stream promised (a stale nonce must already be used), and the signer's
// next chain transaction waits until the planted one is decided: one signer's records reach the
// chain in stream order (a replay's stale copy before the victim's transfer).
void Wallets::link_signers() {
    std::unordered_map<core::Address, std::size_t> last;
    std::unordered_map<core::Address, std::vector<std::size_t>> planted_since;
    for (std::size_t i = 0; i < txs_.size(); ++i) {
        const TrafficTx& t = traffic_.txs[i];
        for (const auto d : t.after) {
            if (d < i) dependents_[d].push_back(i);
        }
        txs_[i].open_after = static_cast<std::uint32_t>(
            std::count_if(t.after.begin(), t.after.end(), [i](auto d) { return d < i; }));
        if (!t.signer) continue;
        const auto it = last.find(*t.signer);
        const std::size_t previous = it == last.end() ? kNone : it->second;
        if (t.expected != core::Errc::kOk) {
            txs_[i].planted = true;
            if (previous != kNone) {
                dependents_[previous].push_back(i);
                txs_[i].open_after += 1;
            }
            planted_since[*t.signer].push_back(i);
            continue;
        }
        if (auto p = planted_since.find(*t.signer); p != planted_since.end()) {
            for (const std::size_t planted : p->second) dependents_[planted].push_back(i);
            txs_[i].open_after += static_cast<std::uint32_t>(p->second.size());
            planted_since.erase(p);
        }
        txs_[i].previous = previous;
        if (previous != kNone) txs_[previous].next = i;
        last[*t.signer] = i;
    }
}

std::int64_t Wallets::next_due() const {
    return due_.empty() ? INT64_MAX : due_.top().first;
}

void Wallets::release(std::int64_t until_us, const std::function<void(const WalletSend&)>& send) {
    while (!due_.empty() && due_.top().first <= until_us) {
        const auto [at, id] = due_.top();
        due_.pop();
        if (id >= txs_.size()) {
            send({cancel_raws_[id - txs_.size()], kWalletTag, at});
            continue;
        }
        Tx& t = txs_[id];
        if (t.state != State::kQueued) continue;
        if (!t.planted && blocked_by_gap(id)) {  // a wallet waits for its cancel to land
            t.state = State::kWaiting;
            held_[*traffic_.txs[id].signer].push_back(id);
            continue;
        }
        t.state = State::kSent;
        if (at > at_us_[id] + reaction_us_) ++counters_.waited;
        send({traffic_.txs[id].raw, id, at});
        clear_previous(t.next, at);  // a wallet numbers its nonces itself: the next may follow
    }
}

void Wallets::maybe_queue(std::size_t i) {
    Tx& t = txs_[i];
    if (t.state != State::kWaiting || t.open_after > 0) return;
    if (!t.planted && t.previous != kNone && !t.previous_cleared) return;
    t.state = State::kQueued;
    due_.push({std::max(at_us_[i], t.ready_us), i});
}

void Wallets::clear_previous(std::size_t i, std::int64_t now_us) {
    if (i == kNone || txs_[i].previous_cleared) return;
    txs_[i].previous_cleared = true;
    txs_[i].ready_us = std::max(txs_[i].ready_us, now_us);
    maybe_queue(i);
}

void Wallets::decided(std::size_t i, std::int64_t now_us) {
    Tx& t = txs_[i];
    if (t.state == State::kDecided) return;
    t.state = State::kDecided;
    for (const std::size_t d : dependents_[i]) {
        Tx& dep = txs_[d];
        dep.open_after -= 1;
        dep.ready_us = std::max(dep.ready_us, now_us + reaction_us_);
        maybe_queue(d);
    }
    clear_previous(t.next, now_us);
}

void Wallets::on_admission(const core::Hash& hash, bool accepted, bool final, std::int64_t now_us) {
    const auto it = index_.find(hash);
    if (it == index_.end()) {
        if (!accepted && final) on_kept_out(hash, now_us);
        return;
    }
    const std::size_t i = it->second;
    if (accepted) {
        if (txs_[i].state == State::kSent) txs_[i].state = State::kPooled;
        // A planted transaction that was not refused after all holds up nothing behind it.
        if (txs_[i].planted) decided(i, now_us);
    } else if (final) {
        on_kept_out(hash, now_us);
    }
}

void Wallets::on_executed(const core::Hash& hash, std::int64_t now_us) {
    if (const auto c = cancels_.find(hash); c != cancels_.end()) {
        ++counters_.cancels_executed;
        const std::size_t filled = c->second.index;
        cancels_.erase(c);
        gap_open_[filled] = false;
        release_held(filled, now_us);
        return;
    }
    const auto it = index_.find(hash);
    if (it == index_.end()) return;
    txs_[it->second].abandoned = false;
    if (gap_open_[it->second]) {  // kept out at one node, executed through another
        gap_open_[it->second] = false;
        release_held(it->second, now_us);
    }
    decided(it->second, now_us);
}

void Wallets::release_held(std::size_t filled, std::int64_t now_us) {
    const auto it = held_.find(*traffic_.txs[filled].signer);
    if (it == held_.end()) return;
    std::vector<std::size_t> held = std::move(it->second);
    held_.erase(it);
    for (const std::size_t i : held) {
        txs_[i].ready_us = std::max(txs_[i].ready_us, now_us + reaction_us_);
        maybe_queue(i);
    }
}

void Wallets::on_kept_out(const core::Hash& hash, std::int64_t now_us) {
    if (const auto c = cancels_.find(hash); c != cancels_.end()) {
        const Cancel cancel = c->second;
        cancels_.erase(c);
        fill_gap(cancel.index, cancel.attempt + 1, now_us);
        return;
    }
    const auto it = index_.find(hash);
    if (it == index_.end()) return;
    const std::size_t i = it->second;
    if (txs_[i].state == State::kDecided) return;
    const bool chain_tx = !txs_[i].planted && traffic_.txs[i].signer.has_value();
    decided(i, now_us);
    if (!chain_tx) return;
    gap_open_[i] = true;
    if (has_later_work(i)) fill_gap(i, 1, now_us);
}

// The signer's later transactions can never execute: what depends on them stops waiting.
void Wallets::give_up(std::size_t i, std::int64_t now_us) {
    ++counters_.gaps_unfilled;
    for (std::size_t n = txs_[i].next; n != kNone; n = txs_[n].next) {
        txs_[n].abandoned = true;
        decided(n, now_us);
    }
}

bool Wallets::has_later_work(std::size_t i) const {
    for (std::size_t n = txs_[i].next; n != kNone; n = txs_[n].next) {
        if (txs_[n].state != State::kDecided) return true;
    }
    return false;
}

void Wallets::fill_gap(std::size_t i, int attempt, std::int64_t now_us) {
    const TrafficTx& t = traffic_.txs[i];
    const std::uint64_t chain_id = t.tx.chain_id.value_or(traffic_.header.chain.chain_id);
    auto signed_tx =
        t.key && attempt <= kMaxCancels
            ? core::sign_transaction(cancel_of(t.tx, *t.signer, chain_id, attempt), *t.key,
                                     chain_id)
            : core::Result<core::Transaction>(core::fail(core::Errc::kUnavailable, "no key"));
    if (!signed_tx) {
        give_up(i, now_us);
        return;
    }
    cancel_raws_.push_back(core::encode_transaction(*signed_tx));
    const core::Hash hash = core::keccak256(cancel_raws_.back());
    cancels_[hash] = Cancel{i, attempt};
    cancel_hashes_.insert(hash);
    ++counters_.cancels_sent;
    due_.push({now_us + reaction_us_, txs_.size() + cancel_raws_.size() - 1});
}

bool Wallets::waiting(std::size_t index, std::int64_t now_us) const {
    const State s = txs_[index].state;
    return (s == State::kWaiting || s == State::kQueued) && at_us_[index] <= now_us;
}

bool Wallets::blocked_by_gap(std::size_t index) const {
    for (std::size_t p = txs_[index].previous; p != kNone; p = txs_[p].previous) {
        if (gap_open_[p]) return true;
    }
    return false;
}

}  // namespace mfd::chain::sim
