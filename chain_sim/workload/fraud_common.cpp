#include "chain_sim/workload/fraud_common.hpp"

#include "chain_sim/workload/amounts.hpp"

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

bool pay_exact(Simulation& sim, const EpisodePtr& episode, std::uint32_t from,
               const core::Address& to, const core::U256& value, std::string sender_role,
               std::string recipient_role) {
    if (value.is_zero()) return false;
    Intent i = fraud_intent(episode, from, to, std::move(sender_role), std::move(recipient_role));
    i.value = value;
    i.flavor = TxFlavor::kLegacy155;
    i.fee_cap = sim.world().accounts[from].style.fee_cap;
    return sim.emit(i).has_value();
}

bool sweep(Simulation& sim, const EpisodePtr& episode, std::uint32_t from, const core::Address& to,
           std::string sender_role, std::string recipient_role) {
    const core::U256 value = sim.sweepable(from, sim.world().accounts[from].style);
    return pay_exact(sim, episode, from, to, value, std::move(sender_role),
                     std::move(recipient_role));
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
