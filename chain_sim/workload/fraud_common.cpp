#include "chain_sim/workload/fraud_common.hpp"

#include <algorithm>

#include "chain_sim/workload/amounts.hpp"
#include "chain_sim/workload/contract_calls.hpp"

namespace mfd::chain::workload::detail {

Intent fraud_intent(const EpisodePtr& episode, std::uint32_t from, const core::Address& to,
                    std::string sender_role, std::string recipient_role) {
    Intent i;
    i.from = from;
    i.to = to;
    i.episode = episode;
    i.sender_role = std::move(sender_role);
    i.recipient_role = std::move(recipient_role);
    return i;
}

bool pay(Simulation& sim, const EpisodePtr& episode, std::uint32_t from, const core::Address& to,
         const core::U256& value, std::string sender_role, std::string recipient_role) {
    if (value.is_zero()) return false;
    Intent i = fraud_intent(episode, from, to, std::move(sender_role), std::move(recipient_role));
    i.value = value;
    return sim.emit(i).has_value();
}

bool sweep(Simulation& sim, const EpisodePtr& episode, std::uint32_t from, const core::Address& to,
           std::string sender_role, std::string recipient_role) {
    Intent i = fraud_intent(episode, from, to, std::move(sender_role), std::move(recipient_role));
    i.sweep = true;
    return sim.emit(i).has_value();
}

bool send_tokens(Simulation& sim, const EpisodePtr& episode, std::uint32_t from, std::size_t token,
                 const core::Address& to, const core::U256& amount, std::string sender_role,
                 std::string recipient_role) {
    World& w = sim.world();
    const core::Address& holder = w.accounts[from].address;
    if (amount.is_zero() || w.token_balance(token, holder) < amount) return false;
    Intent i = fraud_intent(episode, from, w.tokens[token].address, std::move(sender_role),
                            std::move(recipient_role));
    i.data = erc20_transfer(to, amount);
    i.exec_gas = kGasErc20Transfer;
    if (!sim.emit(i)) return false;
    w.move_tokens(token, holder, to, amount);
    return true;
}

void sweep_tokens(Simulation& sim, const EpisodePtr& episode, std::uint32_t from,
                  const core::Address& to, const std::string& sender_role,
                  const std::string& recipient_role) {
    World& w = sim.world();
    for (std::size_t t = 0; t < std::min<std::size_t>(kCoreTokens, w.tokens.size()); ++t) {
        const core::U256 amount = w.token_balance(t, w.accounts[from].address);
        (void)send_tokens(sim, episode, from, t, to, amount, sender_role, recipient_role);
    }
}

std::optional<std::size_t> held_token(Simulation& sim, std::uint32_t id) {
    World& w = sim.world();
    const std::size_t n = std::min<std::size_t>(kCoreTokens, w.tokens.size());
    const std::size_t start = sim.rng().below(std::max<std::size_t>(n, 1));
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t t = (start + k) % n;
        if (!w.token_balance(t, w.accounts[id].address).is_zero()) return t;
    }
    return std::nullopt;
}

std::optional<std::uint32_t> pick_victim(Simulation& sim, double min_eth, std::uint64_t min_nonce) {
    World& w = sim.world();
    for (int attempt = 0; attempt < 16; ++attempt) {
        const std::uint32_t id = w.pick_retail(sim.rng().uniform());
        const Account& a = w.accounts[id];
        if (!a.in_episode && a.nonce >= min_nonce && a.balance >= wei(min_eth)) return id;
    }
    return std::nullopt;
}

std::optional<std::uint32_t> pick_treasury(Simulation& sim, double min_eth) {
    World& w = sim.world();
    const std::size_t start = sim.rng().below(w.treasuries.size());
    for (std::size_t k = 0; k < w.treasuries.size(); ++k) {
        const std::uint32_t id = w.treasuries[(start + k) % w.treasuries.size()];
        if (w.accounts[id].balance >= wei(min_eth)) return id;
    }
    return std::nullopt;
}

core::Address exchange_address(Simulation& sim) {
    World& w = sim.world();
    return w.accounts[w.exchanges[sim.rng().below(w.exchanges.size())]].address;
}

}  // namespace mfd::chain::workload::detail
