// The genesis population: exchanges, fraud treasuries, developers, employers, dormant holders
// and retail users, with heterogeneous balances, activity, wallet styles and contacts.
#include <algorithm>

#include "chain_sim/workload/amounts.hpp"
#include "chain_sim/workload/behaviours.hpp"

namespace mfd::chain::workload::detail {
namespace {

/// Transaction types as wallets sign them, for every role: EIP-155 legacy, unprotected legacy,
/// EIP-2930, EIP-1559.
const std::vector<double> kFlavorWeights = {0.28, 0.02, 0.06, 0.64};

std::uint64_t employer_count(const GeneratorConfig& c, std::uint64_t per_payday) {
    return std::clamp<std::uint64_t>(std::min(c.params.accounts / 100, per_payday / 10), 1, 50);
}

/// Adds `count` accounts of `role`, each with a balance of `balance_eth()` Ether.
template <class BalanceFn>
void add_many(Simulation& sim, Role role, std::uint64_t count, std::vector<std::uint32_t>& list,
              BalanceFn balance_eth) {
    for (std::uint64_t i = 0; i < count; ++i) {
        const core::PrivateKey key = sim.fresh_key("genesis");
        list.push_back(sim.world().add(key, role, sim.style_for(role), wei(balance_eth())));
    }
}

void add_retail(Simulation& sim, std::uint64_t count) {
    Rng& rng = sim.rng();
    World& w = sim.world();
    for (std::uint64_t i = 0; i < count; ++i) {
        const double eth = std::clamp(rng.lognormal(2.0, 1.4), 0.02, 5000.0);
        const auto id =
            w.add(sim.fresh_key("genesis"), Role::kRetail, sim.style_for(Role::kRetail), wei(eth));
        w.add_retail(id, std::min(rng.pareto(1.0, 1.3), 200.0));
    }
}

void connect_retail(Simulation& sim) {
    Rng& rng = sim.rng();
    World& w = sim.world();
    for (std::uint32_t id : w.retail) {
        Account& a = w.accounts[id];
        const auto n = rng.between(2, 8);
        for (std::uint64_t k = 0; k < n; ++k) {
            const std::uint32_t other = w.retail[rng.below(w.retail.size())];
            if (other != id) a.contacts.push_back(other);
        }
        const double u = rng.uniform();  // a few exchanges serve most users
        a.exchange = w.exchanges[static_cast<std::size_t>(u * u * w.exchanges.size())];
    }
}

}  // namespace

// Fees as wallets set them against the base fee B (constant: the chain's floor, and blocks stay
// under the gas target). EIP-1559: ethers.js and web3.js pay 2B + tip (tip 1 and 2.5 gwei),
// viem 1.2B + tip; legacy: eth_gasPrice (B + 1 gwei), viem 1.2 times that. The rest set fees by
// hand: above B by a log-normal amount, varying a little from one transaction to the next.
FeeStyle Simulation::style_for(Role) {
    FeeStyle style;
    style.flavor = static_cast<TxFlavor>(rng_.weighted(kFlavorWeights));
    do {
        style.other_flavor = static_cast<TxFlavor>(rng_.weighted(kFlavorWeights));
    } while (style.other_flavor == style.flavor);
    const double base = config_.chain.initial_base_fee.to_double() / 1e9;
    const double u = rng_.uniform();
    if (u < 0.40) {
        style.tip = gwei(1);
        style.fee_cap = gwei(2 * base + 1);
        style.gas_price = gwei(base + 1);
    } else if (u < 0.55) {
        style.tip = gwei(1);
        style.fee_cap = gwei(1.2 * base + 1);
        style.gas_price = gwei(1.2 * (base + 1));
    } else if (u < 0.65) {
        style.tip = gwei(2.5);
        style.fee_cap = gwei(2 * base + 2.5);
        style.gas_price = gwei(base + 1);
    } else {
        const double tip = std::clamp(rng_.lognormal(1.5, 0.7), 0.01, 50.0);
        style.tip = gwei(tip);
        style.fee_cap = gwei(base + tip + rng_.lognormal(2.0, 0.8));
        style.gas_price = gwei(base + rng_.lognormal(2.0, 0.8));
        style.jitter = true;
    }
    style.gas_margin = rng_.chance(0.8) ? 1.0 : rng_.uniform(1.05, 1.6);
    return style;
}

void create_population(Simulation& sim) {
    const GeneratorConfig& c = sim.config();
    World& w = sim.world();
    Rng& rng = sim.rng();
    const std::uint64_t n = c.params.accounts;
    const std::uint64_t per_payday = std::max<std::uint64_t>(3, c.params.txs / 120);
    const std::uint64_t employers = employer_count(c, per_payday);
    const std::uint64_t staff = std::clamp<std::uint64_t>(per_payday / employers, 3, 80);
    const std::uint64_t exchanges = std::clamp<std::uint64_t>(n / 400, 2, 20);
    const std::uint64_t treasuries = std::clamp<std::uint64_t>(n / 500, 2, 10);
    const std::uint64_t developers = std::clamp<std::uint64_t>(n / 300, 2, 20);
    const std::uint64_t dormant = std::max<std::uint64_t>(2, n / 20);
    add_many(sim, Role::kExchange, exchanges, w.exchanges, [&] { return rng.uniform(5e4, 2e5); });
    add_many(sim, Role::kFraudTreasury, treasuries, w.treasuries,
             [&] { return rng.uniform(2e4, 5e4); });
    add_many(sim, Role::kDeveloper, developers, w.developers,
             [&] { return rng.uniform(500, 2000); });
    add_many(sim, Role::kEmployer, employers, w.employers,
             [&] { return 72.0 * static_cast<double>(staff); });
    add_many(sim, Role::kDormant, dormant, w.dormant,
             [&] { return std::max(rng.lognormal(8.0, 1.0), 0.5); });
    add_retail(sim, n - exchanges - treasuries - developers - employers - dormant);
    connect_retail(sim);
    for (std::uint32_t e : w.employers) {
        for (std::uint64_t k = 0; k < staff; ++k) {
            w.accounts[e].contacts.push_back(w.retail[rng.below(w.retail.size())]);
        }
    }
}

std::string_view role_name(Role role) noexcept {
    switch (role) {
    case Role::kRetail:
        return "retail";
    case Role::kEmployer:
        return "employer";
    case Role::kExchange:
        return "exchange";
    case Role::kDeveloper:
        return "developer";
    case Role::kDormant:
        return "dormant";
    case Role::kFraudTreasury:
        return "fraud_treasury";
    case Role::kFraud:
        return "fraud";
    }
    return "unknown";
}

}  // namespace mfd::chain::workload::detail
