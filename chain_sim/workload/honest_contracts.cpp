// Honest contract use beyond plain token transfers: swaps through the SwapPools (with the
// one-time approval before) and occasional deployments of ERC20s, Escrows and Multisigs.
#include <algorithm>
#include <cmath>

#include "chain_sim/workload/amounts.hpp"
#include "chain_sim/workload/behaviours.hpp"
#include "chain_sim/workload/contract_calls.hpp"

namespace mfd::chain::workload::detail {
namespace {

Intent honest(std::uint32_t from, std::string typology, std::string recipient_role) {
    Intent i;
    i.from = from;
    i.typology = std::move(typology);
    i.sender_role = "retail";
    i.recipient_role = std::move(recipient_role);
    return i;
}

bool approve_pool(Simulation& sim, std::uint32_t from, std::size_t token, const Pool& pool) {
    World& w = sim.world();
    Intent i = honest(from, "honest:approve", "token_contract");
    i.to = w.tokens[token].address;
    i.data = erc20_approve(pool.address, core::U256::max());
    i.exec_gas = kGasErc20Approve;
    if (!sim.emit(i)) return false;
    w.tokens[token].unlimited.insert({w.accounts[from].address, pool.address});
    w.tokens[token].approved_in[{w.accounts[from].address, pool.address}] = sim.last_record();
    return true;
}

void release_escrow(Simulation& sim, std::uint32_t depositor, core::Address escrow,
                    std::uint32_t beneficiary, core::U256 amount) {
    Intent i = honest(depositor, "honest:escrow", "escrow");
    i.to = escrow;
    i.data = escrow_release();
    i.exec_gas = kGasEscrowCall;
    if (sim.emit(i)) sim.world().credit_ether(sim.world().accounts[beneficiary].address, amount);
}

bool deploy_escrow(Simulation& sim, std::uint32_t from) {
    World& w = sim.world();
    Account& a = w.accounts[from];
    if (a.contacts.empty()) return false;
    const std::uint32_t beneficiary = a.contacts[sim.rng().below(a.contacts.size())];
    const std::uint32_t arbiter = w.developers[sim.rng().below(w.developers.size())];
    Intent i = honest(from, "honest:deploy", "contract_creation");
    i.data = escrow_deploy(w.accounts[beneficiary].address, w.accounts[arbiter].address);
    i.value = std::min(wei(typed_amount(sim.rng(), sim.rng().lognormal(0.5, 1.0))),
                       share_of(a.balance, 0.3));
    i.exec_gas = kGasDeploy;
    const std::uint64_t nonce = a.nonce;
    if (i.value.is_zero() || !sim.emit(i)) return false;
    const core::Address escrow = create_address(a.address, nonce);
    const core::U256 amount = i.value;
    sim.after(sim.steps(20, 400), [&sim, from, escrow, beneficiary, amount] {
        release_escrow(sim, from, escrow, beneficiary, amount);
    });
    return true;
}

bool deploy_multisig(Simulation& sim, std::uint32_t from) {
    World& w = sim.world();
    Account& a = w.accounts[from];
    if (a.contacts.size() < 2 || a.contacts[0] == a.contacts[1]) return false;
    std::vector<core::Address> owners = {a.address, w.accounts[a.contacts[0]].address,
                                         w.accounts[a.contacts[1]].address};
    Intent i = honest(from, "honest:deploy", "contract_creation");
    i.data = multisig_deploy(owners, 2);
    i.exec_gas = kGasDeploy;
    const std::uint64_t nonce = a.nonce;
    if (!sim.emit(i)) return false;
    Intent fund = honest(from, "honest:multisig", "multisig");
    fund.to = create_address(a.address, nonce);
    fund.data = payable_deposit();
    fund.exec_gas = kGasEscrowCall;
    sim.after(sim.steps(5, 100), [&sim, fund]() mutable {
        fund.value = share_of(sim.world().accounts[fund.from].balance, 0.2);
        if (!fund.value.is_zero()) (void)sim.emit(fund);
    });
    return true;
}

bool deploy_token(Simulation& sim, std::uint32_t from) {
    World& w = sim.world();
    const std::size_t n = w.tokens.size();
    Intent i = honest(from, "honest:deploy", "contract_creation");
    i.sender_role = std::string(role_name(w.accounts[from].role));
    const core::U256 supply = wei(std::round(sim.rng().lognormal(1e6, 2.0)) + 1);
    i.data = erc20_deploy("Community " + std::to_string(n), "C" + std::to_string(n), 18, supply);
    i.exec_gas = kGasDeploy;
    const std::uint64_t nonce = w.accounts[from].nonce;
    if (!sim.emit(i)) return false;
    w.tokens.emplace_back().address = create_address(w.accounts[from].address, nonce);
    w.mint_tokens(n, w.accounts[from].address, supply);
    return true;
}

}  // namespace

bool swap_tokens(Simulation& sim, std::size_t pool_index, bool a_to_b, const core::U256& amount_in,
                 Intent meta) {
    World& w = sim.world();
    Pool& pool = w.pools[pool_index];
    const std::size_t in = a_to_b ? pool.token_a : pool.token_b;
    const std::size_t out = a_to_b ? pool.token_b : pool.token_a;
    core::U256& reserve_in = a_to_b ? pool.reserve_a : pool.reserve_b;
    core::U256& reserve_out = a_to_b ? pool.reserve_b : pool.reserve_a;
    const core::U256 amount_out = swap_output(reserve_in, reserve_out, amount_in);
    const core::Address trader = w.accounts[meta.from].address;
    if (!pool.live || amount_out.is_zero() || w.token_balance(in, trader) < amount_in) return false;
    meta.to = pool.address;
    // Swaps of other traders may execute first: the trader accepts 3 % less (a usual slippage
    // setting), and the view credits only that guaranteed part.
    const core::U256 min_out = amount_out * 97 / 100;
    meta.data = pool_swap(w.tokens[in].address, amount_in, min_out);
    meta.exec_gas = kGasSwap;
    if (!sim.emit(meta)) return false;
    w.depend_on(pool.live_in);
    w.move_tokens(in, trader, pool.address, amount_in);
    w.move_tokens(out, pool.address, trader, min_out);
    reserve_in += amount_in;
    reserve_out -= amount_out;
    return true;
}

bool approve_then_swap(Simulation& sim) {
    World& w = sim.world();
    Rng& rng = sim.rng();
    if (w.pools.empty()) return false;
    const std::size_t p = rng.below(w.pools.size());
    const bool a_to_b = rng.chance(0.5);
    const std::size_t token = a_to_b ? w.pools[p].token_a : w.pools[p].token_b;
    const auto& holders = w.tokens[token].holders;
    if (holders.empty()) return false;
    const std::uint32_t from = holders[rng.below(holders.size())];
    if (w.accounts[from].role != Role::kRetail) return false;
    const core::Address& trader = w.accounts[from].address;
    const auto swap = [&sim, from, p, a_to_b, token] {
        const core::U256 balance =
            sim.world().token_balance(token, sim.world().accounts[from].address);
        const core::U256 amount = share_of(balance, sim.rng().uniform(0.05, 0.4));
        return swap_tokens(sim, p, a_to_b, amount, honest(from, "honest:swap", "pool"));
    };
    if (w.tokens[token].unlimited.contains({trader, w.pools[p].address})) return swap();
    if (w.token_balance(token, trader).is_zero() || !approve_pool(sim, from, token, w.pools[p])) {
        return false;
    }
    sim.after(sim.steps(0.5, 10), [swap] { (void)swap(); });
    return true;
}

bool deploy_contract(Simulation& sim) {
    World& w = sim.world();
    Rng& rng = sim.rng();
    const double u = rng.uniform();
    if (u < 0.35) return deploy_token(sim, w.developers[rng.below(w.developers.size())]);
    const std::uint32_t from = w.pick_retail(rng.uniform());
    if (u < 0.45) return deploy_token(sim, from);
    if (u < 0.8) return deploy_escrow(sim, from);
    return deploy_multisig(sim, from);
}

}  // namespace mfd::chain::workload::detail
