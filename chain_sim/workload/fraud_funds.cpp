// Fraud that moves the fraudster's own funds: the peel chain (a large balance peeled off through
// fresh addresses), sybil fan-out/fan-in (one funder, many accounts, converging back) and wash
// trading (the same value cycling around a small clique).
#include <algorithm>

#include "chain_sim/workload/amounts.hpp"
#include "chain_sim/workload/contract_calls.hpp"
#include "chain_sim/workload/fraud_common.hpp"

namespace mfd::chain::workload::detail {
namespace {

void peel_hop(Simulation& sim, const EpisodePtr& ep, std::uint32_t holder, std::uint64_t left) {
    if (left == 0) {
        (void)sweep(sim, ep, holder, exchange_address(sim), "mule", "exchange");
        sim.close_episode(ep);
        return;
    }
    const core::U256 peel =
        share_of(sim.world().accounts[holder].balance, sim.rng().uniform(0.03, 0.12));
    (void)pay(sim, ep, holder, exchange_address(sim), peel, "mule", "exchange");
    const std::uint32_t next = sim.fresh_account(Role::kFraud);
    if (!sweep(sim, ep, holder, sim.world().accounts[next].address, "mule", "mule")) {
        sim.close_episode(ep);
        return;
    }
    sim.after(sim.steps(2, 30), [&sim, ep, next, left] { peel_hop(sim, ep, next, left - 1); });
}

struct Sybils {
    EpisodePtr ep;
    std::uint32_t funder = 0;
    std::optional<std::uint32_t> collector;  ///< a fresh collector, or back to the funder
    std::vector<std::uint32_t> members;
    std::size_t left = 0;
    std::optional<std::size_t> token;  ///< a token the members farm, from the funder
    core::U256 token_share;            ///< tokens each member gets
};

void sybil_converges(Simulation& sim, const std::shared_ptr<Sybils>& st, std::uint32_t member) {
    World& w = sim.world();
    const std::uint32_t target = st->collector.value_or(st->funder);
    const std::string to_role = st->collector ? "collector" : "fraud_funder";
    sweep_tokens(sim, st->ep, member, w.accounts[target].address, "sybil", to_role);
    (void)sweep(sim, st->ep, member, w.accounts[target].address, "sybil", to_role);
    if (--st->left > 0) return;
    if (!st->collector) {
        sim.close_episode(st->ep);
        return;
    }
    sim.after(sim.steps(5, 50), [&sim, st] {
        const core::Address exchange = exchange_address(sim);
        sweep_tokens(sim, st->ep, *st->collector, exchange, "collector", "exchange");
        (void)sweep(sim, st->ep, *st->collector, exchange, "collector", "exchange");
        sim.close_episode(st->ep);
    });
}

void sybil_acts(Simulation& sim, const std::shared_ptr<Sybils>& st, std::uint32_t member) {
    const std::uint32_t peer = st->members[sim.rng().below(st->members.size())];
    if (peer == member || !sim.rng().chance(0.5)) return;
    const core::U256 value =
        share_of(sim.world().accounts[member].balance, sim.rng().uniform(0.1, 0.3));
    const core::Address& to = sim.world().accounts[peer].address;
    const core::Address& self = sim.world().accounts[member].address;
    if (st->token && sim.rng().chance(0.5)) {
        const core::U256 amount = share_of(sim.world().token_balance(*st->token, self), 0.5);
        (void)send_tokens(sim, st->ep, member, *st->token, to, amount, "sybil", "sybil");
        return;
    }
    (void)pay(sim, st->ep, member, to, value, "sybil", "sybil");
}

struct Wash {
    EpisodePtr ep;
    std::vector<std::uint32_t> members;
    std::optional<std::size_t> token;
    core::U256 eth_amount;
    core::U256 token_amount;
};

void wash_hop(Simulation& sim, const std::shared_ptr<Wash>& st, std::uint64_t rounds,
              std::size_t hop) {
    if (rounds == 0) {
        sim.close_episode(st->ep);
        return;
    }
    World& w = sim.world();
    const std::size_t n = st->members.size();
    const std::uint32_t from = st->members[hop % n];
    const core::Address& to = w.accounts[st->members[(hop + 1) % n]].address;
    const bool token_round = st->token && rounds % 2 == 0;
    if (token_round) {
        const core::U256 amount = share_of(st->token_amount, sim.rng().uniform(0.99, 1.0));
        Intent i = fraud_intent(st->ep, from, w.tokens[*st->token].address, "wash_trader",
                                "token_contract");
        i.data = erc20_transfer(to, amount);
        i.exec_gas = kGasErc20Transfer;
        if (w.token_balance(*st->token, w.accounts[from].address) >= amount && sim.emit(i)) {
            w.move_tokens(*st->token, w.accounts[from].address, to, amount);
        }
    } else {
        const core::U256 value = share_of(st->eth_amount, sim.rng().uniform(0.99, 1.0));
        (void)pay(sim, st->ep, from, to, value, "wash_trader", "wash_trader");
    }
    const bool round_done = (hop + 1) % n == 0;
    sim.after(sim.steps(0.3, 3), [&sim, st, rounds, hop, round_done] {
        wash_hop(sim, st, round_done ? rounds - 1 : rounds, hop + 1);
    });
}

/// Gives the clique's first member half of a core token the treasury holds, if any.
void wash_tokens(Simulation& sim, const std::shared_ptr<Wash>& st, std::uint32_t treasury) {
    World& w = sim.world();
    const core::Address& owner = w.accounts[treasury].address;
    for (std::size_t t = 0; t < std::min<std::size_t>(4, w.tokens.size()); ++t) {
        const core::U256 half = share_of(w.token_balance(t, owner), 0.5);
        if (half.is_zero()) continue;
        const core::Address& first = w.accounts[st->members[0]].address;
        Intent i =
            fraud_intent(st->ep, treasury, w.tokens[t].address, "fraud_funder", "token_contract");
        i.data = erc20_transfer(first, half);
        i.exec_gas = kGasErc20Transfer;
        if (!sim.emit(i)) return;
        w.move_tokens(t, owner, first, half);
        st->token = t;
        st->token_amount = share_of(half, 0.8);
        return;
    }
}

}  // namespace

bool start_peel_chain(Simulation& sim) {
    const auto funder = pick_treasury(sim, 400);
    if (!funder) return false;
    const std::uint64_t hops = sim.rng().between(4, 12);
    const EpisodePtr ep =
        sim.open_episode("fraud:peel_chain", static_cast<std::int64_t>(2 * hops + 2));
    const std::uint32_t first = sim.fresh_account(Role::kFraud);
    const core::U256 amount = wei(typed_amount(sim.rng(), sim.rng().uniform(30, 300)));
    if (!pay(sim, ep, *funder, sim.world().accounts[first].address, amount, "fraud_funder",
                   "mule")) {
        sim.close_episode(ep);
        return true;
    }
    sim.after(sim.steps(2, 30), [&sim, ep, first, hops] { peel_hop(sim, ep, first, hops); });
    return true;
}

bool start_sybil(Simulation& sim) {
    const std::uint64_t k = sim.rng().between(8, 30);
    const auto funder = pick_treasury(sim, 0.5 * static_cast<double>(k) + 1);
    if (!funder) return false;
    auto st = std::make_shared<Sybils>();
    st->funder = *funder;
    if (sim.rng().chance(0.5)) st->collector = sim.fresh_account(Role::kFraud);
    st->token = sim.rng().chance(0.6) ? held_token(sim, *funder) : std::nullopt;
    if (st->token) {
        const core::Address& owner = sim.world().accounts[*funder].address;
        st->token_share = share_of(sim.world().token_balance(*st->token, owner),
                                   0.5 / static_cast<double>(k));
    }
    st->ep = sim.open_episode("fraud:sybil", static_cast<std::int64_t>(2 * k + k / 2 + 1));
    const double base = sim.rng().uniform(0.05, 0.3);
    std::int64_t delay = 0;
    for (std::uint64_t j = 0; j < k; ++j) {
        const std::uint32_t member = sim.fresh_account(Role::kFraud);
        st->members.push_back(member);
        delay += sim.steps(0.05, 0.5);
        sim.after(delay, [&sim, st, member, base] {
            const core::U256 value =
                wei(typed_amount(sim.rng(), base * sim.rng().uniform(0.98, 1.02)));
            const core::Address& to = sim.world().accounts[member].address;
            if (!pay(sim, st->ep, st->funder, to, value, "fraud_funder", "sybil")) return;
            if (st->token) {
                (void)send_tokens(sim, st->ep, st->funder, *st->token, to, st->token_share,
                                  "fraud_funder", "sybil");
            }
            sim.after(sim.steps(20, 200), [&sim, st, member] { sybil_acts(sim, st, member); });
        });
        st->left += 1;
        sim.after(delay + sim.steps(250, 500),
                  [&sim, st, member] { sybil_converges(sim, st, member); });
    }
    return true;
}

bool start_wash_trading(Simulation& sim) {
    const auto treasury = pick_treasury(sim, 100);
    if (!treasury) return false;
    auto st = std::make_shared<Wash>();
    const std::uint64_t size = sim.rng().between(3, 5);
    const std::uint64_t rounds = sim.rng().between(4, 12);
    st->ep =
        sim.open_episode("fraud:wash_trading", static_cast<std::int64_t>(size + 1 + rounds * size));
    const double base = sim.rng().uniform(1, 10);
    st->eth_amount = wei(base);
    for (std::uint64_t j = 0; j < size; ++j) {
        st->members.push_back(sim.fresh_account(Role::kFraud));
        (void)pay(sim, st->ep, *treasury, sim.world().accounts[st->members.back()].address,
                        wei(base * 1.5), "fraud_funder", "wash_trader");
    }
    wash_tokens(sim, st, *treasury);
    sim.after(sim.steps(1, 10), [&sim, st, rounds] { wash_hop(sim, st, rounds, 0); });
    return true;
}

}  // namespace mfd::chain::workload::detail
