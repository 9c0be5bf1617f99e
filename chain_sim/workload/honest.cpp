// Honest everyday traffic: retail transfers with heavy-tailed amounts, token transfers, swaps,
// exchange deposits and withdrawals (high fan-in and fan-out), new users, long-time holders
// moving part of their Ether now and then, and occasional contract deployments (ERC20, Escrow
// with a later release, Multisig with a later deposit).
#include <algorithm>

#include "chain_sim/workload/amounts.hpp"
#include "chain_sim/workload/behaviours.hpp"
#include "chain_sim/workload/contract_calls.hpp"

namespace mfd::chain::workload::detail {
namespace {

/// Share of retail payments that go to an address with no history.
constexpr double kFreshRecipientShare = 0.03;
/// Share of retail payments and deposits whose wallet later sends a fee-bumped replacement
/// ("speed up") that arrives after the original was mined: the chain refuses it as nonce too
/// low. Honest stale refusals, so that a refusal alone is no proof of a replay.
constexpr double kLateResendShare = 0.03;

Intent honest(std::uint32_t from, std::string typology, std::string sender_role,
              std::string recipient_role) {
    Intent i;
    i.from = from;
    i.typology = std::move(typology);
    i.sender_role = std::move(sender_role);
    i.recipient_role = std::move(recipient_role);
    return i;
}

/// A heavy-tailed retail amount in Ether: mostly small, sometimes very large, often round.
double retail_amount(Rng& rng) {
    return typed_amount(rng, rng.chance(0.7) ? rng.lognormal(0.05, 1.3) : rng.pareto(0.1, 1.2));
}

/// At most `share` of what `from` holds, leaving room for fees.
core::U256 capped(Simulation& sim, std::uint32_t from, double eth, double share) {
    const core::U256 cap = share_of(sim.world().accounts[from].balance, share);
    return std::min(wei(eth), cap);
}

std::uint32_t pick_recipient(Simulation& sim, std::uint32_t from) {
    World& w = sim.world();
    Rng& rng = sim.rng();
    const auto& contacts = w.accounts[from].contacts;
    const double u = rng.uniform();
    if (u < 0.65 && !contacts.empty()) return contacts[rng.below(contacts.size())];
    if (u < 0.97 || w.dormant.empty()) return w.retail[rng.below(w.retail.size())];
    return w.dormant[rng.below(w.dormant.size())];
}

/// A new user: a fresh address that joins the retail population with contacts and an exchange.
std::uint32_t onboard(Simulation& sim, std::uint32_t exchange) {
    const std::uint32_t id = sim.fresh_account(Role::kRetail);
    World& w = sim.world();
    Rng& rng = sim.rng();
    for (int k = 0; k < 3; ++k)
        w.accounts[id].contacts.push_back(w.retail[rng.below(w.retail.size())]);
    w.accounts[id].exchange = exchange;
    w.add_retail(id, std::min(rng.pareto(1.0, 1.3), 200.0));
    return id;
}

/// `original` with its fees raised by 1/8 (geth's pool wants at least 10 % for a replacement),
/// re-signed by its sender.
core::Transaction sped_up(core::Transaction tx, const core::PrivateKey& key) {
    const auto bump = [](core::U256& fee) { fee += fee / core::U256(8) + core::U256(1); };
    if (tx.type == core::TxType::kDynamicFee) {
        bump(tx.max_fee_per_gas);
        bump(tx.max_priority_fee_per_gas);
    } else {
        bump(tx.gas_price);
    }
    const auto chain_id = tx.chain_id;
    return *core::sign_transaction(std::move(tx), key, chain_id);
}

/// Emits `i` and now and then, a few steps later, its wallet's late replacement (refused as
/// nonce too low once the original is mined: the record expects that).
bool emit_maybe_resent(Simulation& sim, Intent i) {
    const auto original = sim.emit(i);
    if (!original) return false;
    if (!sim.rng().chance(kLateResendShare)) return true;
    i.typology = "honest:late_resend";
    sim.after(sim.steps(2, 10), [&sim, i, tx = *original] {
        const Account& a = sim.world().accounts[i.from];
        (void)sim.write(sped_up(tx, a.key), i, a.address,
                        Planted{a.address, core::SignatureStatus::kValid, core::Errc::kOk,
                                core::Errc::kTxNonceTooLow},
                        a.key);
    });
    return true;
}

/// A payment to a contact or another user; now and then to an address nobody has used yet (a
/// friend's new wallet, the sender's own new one), which then joins the users.
bool retail_transfer(Simulation& sim) {
    World& w = sim.world();
    const std::uint32_t from = w.pick_retail(sim.rng().uniform());
    const std::uint32_t to = sim.rng().chance(kFreshRecipientShare)
                                 ? onboard(sim, w.accounts[from].exchange)
                                 : pick_recipient(sim, from);
    if (to == from) return false;
    Intent i = honest(from, "honest:retail", "retail", std::string(role_name(w.accounts[to].role)));
    i.to = w.accounts[to].address;
    i.value = capped(sim, from, retail_amount(sim.rng()), 0.6);
    return !i.value.is_zero() && emit_maybe_resent(sim, i);
}

bool exchange_deposit(Simulation& sim) {
    World& w = sim.world();
    const std::uint32_t from = w.pick_retail(sim.rng().uniform());
    Intent i = honest(from, "honest:exchange_deposit", "retail", "exchange");
    i.to = w.accounts[w.accounts[from].exchange].address;
    i.value = capped(sim, from, typed_amount(sim.rng(), sim.rng().lognormal(0.4, 1.2)), 0.8);
    return !i.value.is_zero() && emit_maybe_resent(sim, i);
}

bool exchange_withdrawal(Simulation& sim) {
    World& w = sim.world();
    Rng& rng = sim.rng();
    const std::uint32_t from = w.exchanges[rng.below(w.exchanges.size())];
    const bool fresh = rng.chance(0.12);
    const std::uint32_t to = fresh ? onboard(sim, from) : w.retail[rng.below(w.retail.size())];
    Intent i =
        honest(from, "honest:exchange_withdrawal", "exchange", fresh ? "new_user" : "retail");
    i.to = w.accounts[to].address;
    i.value = capped(sim, from, typed_amount(rng, rng.lognormal(0.6, 1.3)), 0.5);
    return !i.value.is_zero() && sim.emit(i).has_value();
}

/// A holder of `token` that is an honest account with some balance, or std::nullopt.
std::optional<std::uint32_t> pick_holder(Simulation& sim, std::size_t token) {
    World& w = sim.world();
    const auto& holders = w.tokens[token].holders;
    for (int attempt = 0; attempt < 8 && !holders.empty(); ++attempt) {
        const std::uint32_t id = holders[sim.rng().below(holders.size())];
        const Role role = w.accounts[id].role;
        if (role != Role::kRetail && role != Role::kDeveloper) continue;
        if (!w.token_balance(token, w.accounts[id].address).is_zero()) return id;
    }
    return std::nullopt;
}

bool token_transfer(Simulation& sim) {
    World& w = sim.world();
    Rng& rng = sim.rng();
    if (w.tokens.empty()) return false;
    const std::size_t token = rng.chance(0.8) ? rng.below(std::min<std::size_t>(4, w.tokens.size()))
                                              : rng.below(w.tokens.size());
    const auto from = pick_holder(sim, token);
    if (!from) return false;
    const std::uint32_t to = pick_recipient(sim, *from);
    if (to == *from) return false;
    const core::Address& holder = w.accounts[*from].address;
    const core::U256 amount = share_of(w.token_balance(token, holder), rng.uniform(0.05, 0.5));
    Intent i = honest(*from, "honest:token_transfer",
                      std::string(role_name(w.accounts[*from].role)), "token_contract");
    i.to = w.tokens[token].address;
    i.data = erc20_transfer(w.accounts[to].address, amount);
    i.exec_gas = kGasErc20Transfer;
    if (amount.is_zero() || !sim.emit(i)) return false;
    w.move_tokens(token, holder, w.accounts[to].address, amount);
    return true;
}

/// A long-time holder wakes up and moves part of its Ether: to its exchange (to sell), to a
/// new wallet of its own, or to a user it knows. (What a drain does too, but partially, and
/// then nothing hurries on.)
bool holder_transfer(Simulation& sim) {
    World& w = sim.world();
    Rng& rng = sim.rng();
    if (w.dormant.empty()) return false;
    const std::uint32_t from = w.dormant[rng.below(w.dormant.size())];
    if (w.accounts[from].in_episode) return false;
    const double balance = to_eth(w.accounts[from].balance);  // onboard() may move accounts
    const double u = rng.uniform();
    const std::uint32_t exchange = w.exchanges[rng.below(w.exchanges.size())];
    const std::uint32_t to = u < 0.4    ? onboard(sim, exchange)
                             : u < 0.75 ? exchange
                                        : w.retail[rng.below(w.retail.size())];
    Intent i = honest(from, "honest:holder_transfer", "holder",
                      u < 0.4 ? "new_user" : std::string(role_name(w.accounts[to].role)));
    i.to = w.accounts[to].address;
    i.value = wei(typed_amount(rng, balance * rng.uniform(0.05, 0.6)));
    return !i.value.is_zero() && sim.emit(i).has_value();
}

/// A developer (a rich genesis account, like a local node's dev key) funds a new wallet: a test
/// account, a deployer key or a teammate's address, which then joins the users; now and then a
/// user it knows.
bool developer_funding(Simulation& sim) {
    World& w = sim.world();
    Rng& rng = sim.rng();
    if (w.developers.empty()) return false;
    const std::uint32_t from = w.developers[rng.below(w.developers.size())];
    if (w.accounts[from].in_episode) return false;
    const bool fresh = rng.chance(0.7);
    const std::uint32_t exchange = w.exchanges[rng.below(w.exchanges.size())];
    const std::uint32_t to = fresh ? onboard(sim, exchange) : w.retail[rng.below(w.retail.size())];
    Intent i = honest(from, "honest:developer_funding", "developer", fresh ? "new_user" : "retail");
    i.to = w.accounts[to].address;
    i.value = capped(sim, from, typed_amount(rng, rng.lognormal(1.5, 1.2)), 0.1);
    return !i.value.is_zero() && sim.emit(i).has_value();
}

}  // namespace

double typed_amount(Rng& rng, double eth) {
    return rng.chance(0.3) ? round_significant(eth, rng.chance(0.5) ? 1 : 2) : eth;
}

bool honest_action(Simulation& sim) {
    static const std::vector<double> kWeights = {0.44, 0.15, 0.08, 0.13, 0.11, 0.01, 0.006, 0.01};
    switch (sim.rng().weighted(kWeights)) {
    case 0:
        return retail_transfer(sim);
    case 1:
        return token_transfer(sim);
    case 2:
        return approve_then_swap(sim);
    case 3:
        return exchange_deposit(sim);
    case 4:
        return exchange_withdrawal(sim);
    case 5:
        return deploy_contract(sim);
    case 6:
        return holder_transfer(sim);
    default:
        return developer_funding(sim);
    }
}

}  // namespace mfd::chain::workload::detail
