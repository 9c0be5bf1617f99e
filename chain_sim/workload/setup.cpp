// The opening of every run: the first developer deploys the core ERC20 tokens and two
// SwapPools, approves and adds liquidity, then distributes tokens to users, dormant holders and
// the fraud treasuries. One transaction per step, a third of an interval apart.
#include <algorithm>

#include "chain_sim/workload/amounts.hpp"
#include "chain_sim/workload/behaviours.hpp"
#include "chain_sim/workload/contract_calls.hpp"

namespace mfd::chain::workload::detail {
namespace {

constexpr double kSupply = 1e9;     // tokens (18 decimals)
constexpr double kLiquidity = 2e7;  // tokens of each side

using Step = std::function<void(Simulation&)>;

Intent from_developer(Simulation& sim, std::string typology, std::string recipient_role) {
    Intent i;
    i.from = sim.world().developers.front();
    i.typology = std::move(typology);
    i.sender_role = "developer";
    i.recipient_role = std::move(recipient_role);
    return i;
}

void deploy_token(Simulation& sim, int n) {
    Intent i = from_developer(sim, "honest:deploy", "contract_creation");
    const std::string letter(1, static_cast<char>('A' + n));
    i.data = erc20_deploy("Token " + letter, "TK" + letter, 18, wei(kSupply));
    i.exec_gas = kGasDeploy;
    const std::uint64_t nonce = sim.world().accounts[i.from].nonce;
    if (!sim.emit(i)) return;
    World& w = sim.world();
    w.tokens.emplace_back().address = create_address(w.accounts[i.from].address, nonce);
    w.mint_tokens(w.tokens.size() - 1, w.accounts[i.from].address, wei(kSupply));
}

void deploy_pool(Simulation& sim, std::size_t a, std::size_t b) {
    World& w = sim.world();
    if (std::max(a, b) >= w.tokens.size()) return;
    Intent i = from_developer(sim, "honest:deploy", "contract_creation");
    i.data = swap_pool_deploy(w.tokens[a].address, w.tokens[b].address);
    i.exec_gas = kGasDeploy;
    const std::uint64_t nonce = w.accounts[i.from].nonce;
    if (!sim.emit(i)) return;
    Pool& p = w.pools.emplace_back();
    p.address = create_address(w.accounts[i.from].address, nonce);
    p.token_a = a;
    p.token_b = b;
}

void approve_pool(Simulation& sim, std::size_t pool, bool side_b) {
    World& w = sim.world();
    if (pool >= w.pools.size()) return;
    const std::size_t token = side_b ? w.pools[pool].token_b : w.pools[pool].token_a;
    Intent i = from_developer(sim, "honest:approve", "token_contract");
    i.to = w.tokens[token].address;
    i.data = erc20_approve(w.pools[pool].address, core::U256::max());
    i.exec_gas = kGasErc20Approve;
    if (!sim.emit(i)) return;
    w.tokens[token].unlimited.insert({w.accounts[i.from].address, w.pools[pool].address});
    w.tokens[token].approved_in[{w.accounts[i.from].address, w.pools[pool].address}] =
        sim.last_record();
}

void add_liquidity(Simulation& sim, std::size_t pool) {
    World& w = sim.world();
    if (pool >= w.pools.size()) return;
    Pool& p = w.pools[pool];
    const core::U256 a = wei(kLiquidity);
    const core::U256 b = wei(kLiquidity * (pool + 1.5));
    Intent i = from_developer(sim, "honest:liquidity", "pool");
    i.to = p.address;
    i.data = pool_add_liquidity(a, b);
    i.exec_gas = kGasAddLiquidity;
    if (!sim.emit(i)) return;
    const core::Address dev = w.accounts[i.from].address;
    w.move_tokens(p.token_a, dev, p.address, a);
    w.move_tokens(p.token_b, dev, p.address, b);
    p.reserve_a = a;
    p.reserve_b = b;
    p.live = true;
    p.live_in = sim.last_record();
}

void distribute(Simulation& sim, std::size_t token, std::uint32_t to, double amount) {
    World& w = sim.world();
    if (token >= w.tokens.size()) return;
    Intent i = from_developer(sim, "honest:token_distribution", "token_contract");
    const core::U256 value = wei(amount);
    i.to = w.tokens[token].address;
    i.data = erc20_transfer(w.accounts[to].address, value);
    i.exec_gas = kGasErc20Transfer;
    const core::Address dev = w.accounts[i.from].address;
    if (w.token_balance(token, dev) < value || !sim.emit(i)) return;
    w.move_tokens(token, dev, w.accounts[to].address, value);
}

/// Who gets tokens: retail holders, some dormant holders, every fraud treasury.
std::vector<Step> distribution(Simulation& sim) {
    World& w = sim.world();
    Rng& rng = sim.rng();
    std::vector<Step> steps;
    const auto give = [&](std::uint32_t to, double median) {
        const std::size_t token = rng.below(kCoreTokens);
        const double amount = std::min(rng.lognormal(median, 1.3), 2e6);
        steps.push_back([token, to, amount](Simulation& s) { distribute(s, token, to, amount); });
    };
    const std::uint64_t holders = std::min<std::uint64_t>(
        w.retail.size() / 3, std::max<std::uint64_t>(10, sim.config().params.txs / 100));
    for (std::uint64_t k = 0; k < holders; ++k) {
        const std::uint32_t to = w.retail[rng.below(w.retail.size())];
        give(to, 5000);
        if (rng.chance(0.4)) give(to, 3000);
    }
    for (std::uint32_t d : w.dormant) {
        if (rng.chance(0.3)) give(d, 20000);
    }
    for (std::uint32_t t : w.treasuries) give(t, 50000);
    return steps;
}

std::vector<Step> setup_steps(Simulation& sim) {
    std::vector<Step> steps;
    for (int n = 0; n < static_cast<int>(kCoreTokens); ++n)
        steps.push_back([n](Simulation& s) { deploy_token(s, n); });
    steps.push_back([](Simulation& s) { deploy_pool(s, 0, 1); });
    steps.push_back([](Simulation& s) { deploy_pool(s, 1, 2); });
    for (std::size_t p = 0; p < 2; ++p) {
        steps.push_back([p](Simulation& s) { approve_pool(s, p, false); });
        steps.push_back([p](Simulation& s) { approve_pool(s, p, true); });
        steps.push_back([p](Simulation& s) { add_liquidity(s, p); });
    }
    for (auto& step : distribution(sim)) steps.push_back(std::move(step));
    return steps;
}

void run_step(Simulation& sim, std::shared_ptr<std::vector<Step>> steps, std::size_t next) {
    if (next >= steps->size()) return;
    (*steps)[next](sim);
    const auto gap = static_cast<std::int64_t>(sim.config().params.tx_interval_ms / 3 + 1);
    sim.after(gap, [&sim, steps, next] { run_step(sim, steps, next + 1); });
}

}  // namespace

void schedule_setup(Simulation& sim) {
    auto steps = std::make_shared<std::vector<Step>>(setup_steps(sim));
    sim.after(0, [&sim, steps] { run_step(sim, steps, 0); });
}

}  // namespace mfd::chain::workload::detail
