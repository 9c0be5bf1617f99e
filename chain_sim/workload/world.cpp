#include "chain_sim/workload/world.hpp"

#include <algorithm>

namespace mfd::chain::workload {

void Ledger::credit(std::uint64_t index, const core::U256& amount) {
    const core::U256 total = credits_.empty() ? amount : credits_.back().second + amount;
    credits_.emplace_back(index, total);
}

void Ledger::debit(const core::U256& amount, std::vector<std::uint64_t>& deps) {
    spent_ += amount;
    if (spent_ <= opening_) return;
    const core::U256 need = spent_ - opening_;
    while (needed_ < credits_.size()) {
        deps.push_back(credits_[needed_].first);
        if (credits_[needed_++].second >= need) return;
    }
}

std::uint32_t World::add(const core::PrivateKey& key, Role role, const FeeStyle& style,
                         const core::U256& balance) {
    const auto id = static_cast<std::uint32_t>(accounts.size());
    accounts.push_back(
        Account{key, key.address(), role, style, balance, 0, {}, 0, false, Ledger(balance)});
    by_address_.emplace(accounts.back().address, id);
    return id;
}

Account* World::find(const core::Address& address) {
    auto it = by_address_.find(address);
    return it == by_address_.end() ? nullptr : &accounts[it->second];
}

core::U256 World::token_balance(std::size_t token, const core::Address& holder) const {
    const auto& balances = tokens[token].balances;
    auto it = balances.find(holder);
    return it == balances.end() ? core::U256{} : it->second;
}

bool World::move_tokens(std::size_t token, const core::Address& from, const core::Address& to,
                        const core::U256& amount) {
    Token& t = tokens[token];
    core::U256& source = t.balances[from];
    if (source < amount) return false;
    source -= amount;
    t.balances[to] += amount;
    // Only accounts' tokens are funds someone must have sent them; a contract (a pool) pays
    // out of reserves whatever their history.
    if (by_address_.contains(from)) t.ledgers[from].debit(amount, deps_);
    t.ledgers[to].credit(current_, amount);
    note_holder(t, to);
    return true;
}

void World::mint_tokens(std::size_t token, const core::Address& to, const core::U256& amount) {
    tokens[token].balances[to] += amount;
    tokens[token].ledgers[to].credit(current_, amount);
    note_holder(tokens[token], to);
}

void World::begin_record(std::uint64_t index, const core::Address& sender) {
    current_ = index;
    if (record_senders_.size() <= index) record_senders_.resize(index + 1);
    record_senders_[index] = sender;
    deps_.clear();
}

void World::depend_on(std::uint64_t index) {
    if (index < current_ && record_senders_[index] != record_senders_[current_]) {
        deps_.push_back(index);
    }
}

void World::credit_ether(const core::Address& to, const core::U256& amount) {
    if (Account* a = find(to)) {
        a->balance += amount;
        a->ether.credit(current_, amount);
    }
}

void World::debit_ether(std::uint32_t id, const core::U256& amount) {
    Account& a = accounts[id];
    a.balance -= amount;
    a.ether.debit(amount, deps_);
}

std::optional<std::uint64_t> World::deployed_in(const core::Address& address) const {
    const auto it = deployed_in_.find(address);
    if (it == deployed_in_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::uint64_t> World::take_dependencies() {
    std::vector<std::uint64_t> out;
    for (std::uint64_t d : deps_) {
        if (d < current_ && record_senders_[d] != record_senders_[current_]) out.push_back(d);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    deps_.clear();
    return out;
}

void World::add_retail(std::uint32_t id, double activity) {
    retail.push_back(id);
    activity_prefix_.push_back((activity_prefix_.empty() ? 0.0 : activity_prefix_.back()) +
                               activity);
}

std::uint32_t World::pick_retail(double u) const {
    const double x = u * activity_prefix_.back();
    const auto it = std::upper_bound(activity_prefix_.begin(), activity_prefix_.end(), x);
    const auto i = static_cast<std::size_t>(it - activity_prefix_.begin());
    return retail[std::min(i, retail.size() - 1)];
}

void World::note_holder(Token& token, const core::Address& holder) {
    auto it = by_address_.find(holder);
    if (it == by_address_.end()) return;
    if (token.holder_set.insert(it->second).second) token.holders.push_back(it->second);
}

}  // namespace mfd::chain::workload
