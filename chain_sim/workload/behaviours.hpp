#pragma once
/// Internal to the generator: the behaviours that drive a Simulation. Honest ones live in
/// population.cpp, setup.cpp, honest.cpp and payroll.cpp; fraud typologies (docs/typologies.md)
/// in fraud_flows.cpp, fraud_funds.cpp and fraud_signatures.cpp. Not thread-safe.

#include <string_view>
#include <vector>

#include "chain_sim/workload/simulation.hpp"

namespace mfd::chain::workload::detail {

/// The ERC20s the opening deploys and distributes (setup.cpp): the ones most traffic uses.
inline constexpr std::size_t kCoreTokens = 4;

/// Creates the genesis accounts (roles, keys, balances, styles, contacts).
void create_population(Simulation& sim);
/// Schedules the opening deployments: tokens, pools, liquidity, token distribution.
void schedule_setup(Simulation& sim);
/// Schedules every employer's periodic payroll.
void schedule_payroll(Simulation& sim);
/// Writes one honest action (usually one transaction); false when none could be written.
bool honest_action(Simulation& sim);

/// Swaps `amount_in` of one side of `pool` for the other (`a_to_b`: token A in) as `meta`
/// says (typology, roles, episode), with 0.5 % slippage allowed; applies the exact output to
/// the view. False when the sender cannot afford it or the output would be zero. The sender
/// must have approved the pool for the input token.
bool swap_tokens(Simulation& sim, std::size_t pool, bool a_to_b, const core::U256& amount_in,
                 Intent meta);
/// An honest swap by a token holder, approving the pool first (and swapping a little later)
/// when it has not yet.
bool approve_then_swap(Simulation& sim);
/// An honest deployment: an ERC20, an Escrow (released later) or a Multisig (funded later).
bool deploy_contract(Simulation& sim);

/// An amount of `eth` Ether as a person types it: three times in ten rounded to one or two
/// significant digits. Honest and fraudulent payments alike go through it (round amounts say
/// nothing about fraud here).
[[nodiscard]] double typed_amount(Rng& rng, double eth);

/// The name of a role as stream records show it ("retail", "exchange", ...).
[[nodiscard]] std::string_view role_name(Role role) noexcept;

/// A fraud typology: its typology name, relative weight and starter. A starter returns false,
/// writing nothing, when the world offers no suitable victim or funds right now.
struct Typology {
    std::string_view name;
    double weight;
    bool (*start)(Simulation&);
};

/// Every typology, in a fixed order.
[[nodiscard]] const std::vector<Typology>& fraud_typologies();

bool start_drain(Simulation& sim);
bool start_phishing(Simulation& sim);
bool start_approval_phishing(Simulation& sim);
bool start_peel_chain(Simulation& sim);
bool start_sybil(Simulation& sim);
bool start_wash_trading(Simulation& sim);
bool start_nonce_reuse(Simulation& sim);
bool start_replay(Simulation& sim);
bool start_high_s(Simulation& sim);
bool start_sig_mismatch(Simulation& sim);

}  // namespace mfd::chain::workload::detail
