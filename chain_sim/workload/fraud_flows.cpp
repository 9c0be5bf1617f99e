// Fraud that takes victims' funds: account takeover (a dormant account drained), the phishing
// collector (many victims pay one fresh address that forwards quickly) and approval phishing
// (victims approve an attacker who then takes their tokens with transferFrom).
#include <algorithm>

#include "chain_sim/workload/amounts.hpp"
#include "chain_sim/workload/contract_calls.hpp"
#include "chain_sim/workload/fraud_common.hpp"

namespace mfd::chain::workload::detail {
namespace {

/// The attacker moves the loot on: straight to an exchange, or through one more fresh hop.
void cash_out(Simulation& sim, const EpisodePtr& ep, std::uint32_t holder, std::string role) {
    if (sim.rng().chance(0.6)) {
        (void)sweep(sim, ep, holder, exchange_address(sim), role, "exchange");
        sim.close_episode(ep);
        return;
    }
    const std::uint32_t hop = sim.fresh_account(Role::kFraud);
    if (!sweep(sim, ep, holder, sim.world().accounts[hop].address, role, "mule")) {
        sim.close_episode(ep);
        return;
    }
    sim.after(sim.steps(5, 30), [&sim, ep, hop] {
        (void)sweep(sim, ep, hop, exchange_address(sim), "mule", "exchange");
        sim.close_episode(ep);
    });
}

/// Tokens first (while the victim still has Ether for gas), then the Ether.
void drain_account(Simulation& sim, const EpisodePtr& ep, std::uint32_t victim,
                   std::uint32_t attacker) {
    World& w = sim.world();
    const core::Address thief = w.accounts[attacker].address;
    for (std::size_t t = 0; t < std::min<std::size_t>(4, w.tokens.size()); ++t) {
        const core::U256 amount = w.token_balance(t, w.accounts[victim].address);
        if (amount.is_zero()) continue;
        Intent i = fraud_intent(ep, victim, w.tokens[t].address, "compromised", "token_contract");
        i.data = erc20_transfer(thief, amount);
        i.exec_gas = kGasErc20Transfer;
        if (sim.emit(i)) w.move_tokens(t, w.accounts[victim].address, thief, amount);
    }
    if (!sweep(sim, ep, victim, thief, "compromised", "attacker")) {
        sim.close_episode(ep);
        return;
    }
    sim.after(sim.steps(5, 60), [&sim, ep, attacker] { cash_out(sim, ep, attacker, "attacker"); });
}

struct Phish {
    EpisodePtr ep;
    std::uint32_t collector = 0;
    core::Address cashout;
    std::optional<std::uint32_t> mule;
    std::size_t payments_left = 0;
    bool forward_pending = false;
    bool tokens = false;  ///< victims are also asked for tokens (the collector got gas money)
};

void finish_phish(Simulation& sim, const std::shared_ptr<Phish>& st) {
    if (!st->mule) {
        sim.close_episode(st->ep);
        return;
    }
    sim.after(sim.steps(5, 40), [&sim, st] {
        (void)sweep(sim, st->ep, *st->mule, exchange_address(sim), "mule", "exchange");
        sim.close_episode(st->ep);
    });
}

void forward_phish(Simulation& sim, const std::shared_ptr<Phish>& st) {
    if (st->forward_pending) return;
    st->forward_pending = true;
    sim.after(sim.steps(2, 20), [&sim, st] {
        st->forward_pending = false;
        const std::string to_role = st->mule ? "mule" : "exchange";
        if (st->tokens) sweep_tokens(sim, st->ep, st->collector, st->cashout, "collector", to_role);
        (void)sweep(sim, st->ep, st->collector, st->cashout, "collector", to_role);
        if (st->payments_left == 0) finish_phish(sim, st);
    });
}

/// What a victim is talked into paying: an everyday amount, or a good part of its balance.
void victim_pays(Simulation& sim, const std::shared_ptr<Phish>& st, std::uint32_t victim) {
    Rng& rng = sim.rng();
    const core::U256& balance = sim.world().accounts[victim].balance;
    const double eth = rng.chance(0.5) ? rng.lognormal(0.3, 1.2)
                                       : to_eth(balance) * rng.uniform(0.3, 0.9);
    const core::U256 value = std::min(wei(typed_amount(rng, eth)), share_of(balance, 0.9));
    const core::Address& collector = sim.world().accounts[st->collector].address;
    const auto token = st->tokens && rng.chance(0.6) ? held_token(sim, victim) : std::nullopt;
    bool paid = false;
    if (token) {
        const core::Address& owner = sim.world().accounts[victim].address;
        const core::U256 amount =
            share_of(sim.world().token_balance(*token, owner), rng.uniform(0.3, 0.9));
        paid = send_tokens(sim, st->ep, victim, *token, collector, amount, "victim", "collector");
    } else {
        Intent i = fraud_intent(st->ep, victim, collector, "victim", "collector");
        i.value = value;
        paid = !value.is_zero() && sim.emit(i).has_value();
    }
    st->payments_left -= 1;
    if (paid) {
        forward_phish(sim, st);
    } else if (st->payments_left == 0 && !st->forward_pending) {
        finish_phish(sim, st);
    }
}

struct Approval {
    EpisodePtr ep;
    std::uint32_t attacker = 0;
    std::size_t token = 0;
    core::Address drop;
    std::size_t left = 0;
};

void take_tokens(Simulation& sim, const std::shared_ptr<Approval>& st, std::uint32_t victim) {
    World& w = sim.world();
    const core::Address& owner = w.accounts[victim].address;
    const core::U256 amount = w.token_balance(st->token, owner);
    Intent i = fraud_intent(st->ep, st->attacker, w.tokens[st->token].address, "attacker",
                            "token_contract");
    i.data = erc20_transfer_from(owner, st->drop, amount);
    i.exec_gas = kGasErc20TransferFrom;
    if (!amount.is_zero() && sim.emit(i)) {
        w.depend_on(w.tokens[st->token].approved_in.at({owner, w.accounts[st->attacker].address}));
        w.move_tokens(st->token, owner, st->drop, amount);
    }
    if (--st->left == 0) sim.close_episode(st->ep);
}

void victim_approves(Simulation& sim, const std::shared_ptr<Approval>& st, std::uint32_t victim) {
    World& w = sim.world();
    const core::Address spender = w.accounts[st->attacker].address;
    Intent i =
        fraud_intent(st->ep, victim, w.tokens[st->token].address, "victim", "token_contract");
    i.data = erc20_approve(spender, core::U256::max());
    i.exec_gas = kGasErc20Approve;
    if (!sim.emit(i)) {
        if (--st->left == 0) sim.close_episode(st->ep);
        return;
    }
    w.tokens[st->token].unlimited.insert({w.accounts[victim].address, spender});
    w.tokens[st->token].approved_in[{w.accounts[victim].address, spender}] = sim.last_record();
    sim.after(sim.steps(0.5, 10), [&sim, st, victim] { take_tokens(sim, st, victim); });
}

/// Up to `n` distinct retail holders of `token` with a balance.
std::vector<std::uint32_t> token_victims(Simulation& sim, std::size_t token, std::size_t n) {
    World& w = sim.world();
    const auto& holders = w.tokens[token].holders;
    std::vector<std::uint32_t> out;
    for (std::size_t attempt = 0; attempt < 4 * n && !holders.empty() && out.size() < n;
         ++attempt) {
        const std::uint32_t id = holders[sim.rng().below(holders.size())];
        const Account& a = w.accounts[id];
        if (a.role != Role::kRetail || a.in_episode || a.balance < wei(0.02)) continue;
        if (w.token_balance(token, a.address).is_zero()) continue;
        if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
    return out;
}

}  // namespace

bool start_drain(Simulation& sim) {
    World& w = sim.world();
    std::optional<std::uint32_t> victim;
    for (int attempt = 0; attempt < 8 && !victim; ++attempt) {
        const std::uint32_t id = w.dormant[sim.rng().below(w.dormant.size())];
        if (!w.accounts[id].in_episode && w.accounts[id].balance >= wei(0.5)) victim = id;
    }
    if (!victim) return false;
    w.accounts[*victim].in_episode = true;
    const std::uint32_t attacker = sim.fresh_account(Role::kFraud);
    const EpisodePtr ep = sim.open_episode("fraud:drain", 4);
    drain_account(sim, ep, *victim, attacker);
    return true;
}

bool start_phishing(Simulation& sim) {
    auto st = std::make_shared<Phish>();
    st->collector = sim.fresh_account(Role::kFraud);
    if (sim.rng().chance(0.4)) {
        st->mule = sim.fresh_account(Role::kFraud);
        st->cashout = sim.world().accounts[*st->mule].address;
    } else {
        st->cashout = exchange_address(sim);
    }
    const auto victims = sim.rng().between(5, 20);
    st->payments_left = victims;
    st->ep =
        sim.open_episode("fraud:phishing", static_cast<std::int64_t>(victims + victims / 3 + 2));
    const auto funder = sim.rng().chance(0.5) ? pick_treasury(sim, 1.0) : std::nullopt;
    if (funder) {
        const core::U256 gas_money = wei(typed_amount(sim.rng(), sim.rng().uniform(0.05, 0.3)));
        st->tokens = pay(sim, st->ep, *funder, sim.world().accounts[st->collector].address,
                         gas_money, "fraud_funder", "collector");
    }
    for (std::uint64_t k = 0; k < victims; ++k) {
        sim.after(sim.steps(0, 300), [&sim, st] {
            const auto victim = pick_victim(sim, 0.05);
            if (victim) {
                victim_pays(sim, st, *victim);
            } else if (--st->payments_left == 0 && !st->forward_pending) {
                finish_phish(sim, st);
            }
        });
    }
    return true;
}

bool start_approval_phishing(Simulation& sim) {
    World& w = sim.world();
    if (w.tokens.empty()) return false;
    const std::size_t token = sim.rng().below(std::min<std::size_t>(4, w.tokens.size()));
    const auto victims = token_victims(sim, token, sim.rng().between(1, 5));
    const auto funder = pick_treasury(sim, 1.0);
    if (victims.empty() || !funder) return false;
    auto st = std::make_shared<Approval>();
    st->attacker = sim.fresh_account(Role::kFraud);
    st->token = token;
    st->drop = sim.rng().chance(0.5) ? w.accounts[st->attacker].address
                                     : w.accounts[sim.fresh_account(Role::kFraud)].address;
    st->left = victims.size();
    st->ep = sim.open_episode("fraud:approval_phishing",
                              static_cast<std::int64_t>(1 + 2 * victims.size()));
    const core::U256 gas_money = wei(typed_amount(sim.rng(), sim.rng().uniform(0.05, 0.3)));
    if (!pay(sim, st->ep, *funder, w.accounts[st->attacker].address, gas_money,
                   "fraud_funder", "attacker")) {
        sim.close_episode(st->ep);
        return true;
    }
    for (std::uint32_t victim : victims) {
        w.accounts[victim].in_episode = true;
        sim.after(sim.steps(1, 150), [&sim, st, victim] {
            sim.world().accounts[victim].in_episode = false;
            victim_approves(sim, st, victim);
        });
    }
    return true;
}

}  // namespace mfd::chain::workload::detail
