#include "chain_sim/workload/world.hpp"

#include <algorithm>

namespace mfd::chain::workload {

std::uint32_t World::add(const core::PrivateKey& key, Role role, const FeeStyle& style,
                         const core::U256& balance) {
    const auto id = static_cast<std::uint32_t>(accounts.size());
    accounts.push_back(Account{key, key.address(), role, style, balance, 0, {}, 0, false});
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
    note_holder(t, to);
    return true;
}

void World::mint_tokens(std::size_t token, const core::Address& to, const core::U256& amount) {
    tokens[token].balances[to] += amount;
    note_holder(tokens[token], to);
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
