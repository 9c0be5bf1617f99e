// Signature anomalies: a wallet that reuses its ECDSA nonce (two signatures share r, so the key
// is recoverable; the account is then drained), a pre-EIP-155 transaction replayed from another
// chain (one stale copy rejected, one current copy accepted), a high-S (malleated) twin of a
// valid transaction, and a signature that does not recover to the claimed sender.
#include "chain_sim/workload/amounts.hpp"
#include "chain_sim/workload/fraud_common.hpp"

namespace mfd::chain::workload::detail {
namespace {

/// `tx` with the malleated signature (r, n - s, parity flipped): same signer, high s.
core::Transaction malleated(core::Transaction tx) {
    const core::Signature twin = core::malleate({tx.r.to_be32(), tx.s.to_be32(), tx.y_parity});
    tx.s = *core::U256::from_be(twin.s.view());
    tx.y_parity = twin.y_parity;
    tx.v = tx.type == core::TxType::kLegacy ? core::legacy_v(tx.chain_id, twin.y_parity)
                                            : core::U256(twin.y_parity);
    return tx;
}

std::uint32_t contact_of(Simulation& sim, std::uint32_t id) {
    const auto& contacts = sim.world().accounts[id].contacts;
    return contacts.empty() ? sim.world().retail.front()
                            : contacts[sim.rng().below(contacts.size())];
}

/// One payment of the weak wallet, signed with the reused nonce `k`. The first use of `k` is
/// marked "weak_key_first": nothing in the past can show it (docs/typologies.md).
bool weak_payment(Simulation& sim, const EpisodePtr& ep, std::uint32_t victim,
                  const core::Hash& k, bool first) {
    World& w = sim.world();
    const std::uint32_t to = contact_of(sim, victim);
    Intent i = fraud_intent(ep, victim, w.accounts[to].address,
                            first ? "weak_key_first" : "weak_key",
                            std::string(role_name(w.accounts[to].role)));
    i.value = share_of(w.accounts[victim].balance, sim.rng().uniform(0.01, 0.1));
    return sim.emit_with_k(i, k).has_value();
}

void exploit_weak_key(Simulation& sim, const EpisodePtr& ep, std::uint32_t victim) {
    const std::uint32_t attacker = sim.fresh_account(Role::kFraud);
    if (!sweep(sim, ep, victim, sim.world().accounts[attacker].address, "compromised",
               "attacker")) {
        sim.close_episode(ep);
        return;
    }
    sim.after(sim.steps(5, 50), [&sim, ep, attacker] {
        (void)sweep(sim, ep, attacker, exchange_address(sim), "attacker", "exchange");
        sim.close_episode(ep);
    });
}

/// A pre-EIP-155 payment from `victim` to `to` with nonce `nonce`, signed by the victim.
core::Transaction unprotected(Simulation& sim, const Intent& intent, std::uint64_t nonce) {
    core::Transaction tx = sim.build(intent, nonce);
    return *core::sign_transaction(std::move(tx), sim.world().accounts[intent.from].key,
                                   std::nullopt);
}

}  // namespace

bool start_nonce_reuse(Simulation& sim) {
    const auto victim = pick_victim(sim, 0.2);
    if (!victim) return false;
    sim.world().accounts[*victim].in_episode = true;
    const EpisodePtr ep = sim.open_episode("fraud:nonce_reuse", 4);
    const core::Hash k = sim.fresh_key("reused-ecdsa-nonce").secret();
    if (!weak_payment(sim, ep, *victim, k, true)) {
        sim.close_episode(ep);
        return true;
    }
    sim.after(sim.steps(1, 50), [&sim, ep, victim = *victim, k] {
        if (!weak_payment(sim, ep, victim, k, false)) {
            sim.close_episode(ep);
            return;
        }
        sim.after(sim.steps(10, 100), [&sim, ep, victim] { exploit_weak_key(sim, ep, victim); });
    });
    return true;
}

bool start_replay(Simulation& sim) {
    const auto victim = pick_victim(sim, 0.2, 1);
    if (!victim) return false;
    World& w = sim.world();
    const EpisodePtr ep = sim.open_episode("fraud:replay", 3);
    const std::uint32_t attacker = sim.fresh_account(Role::kFraud);
    Intent i = fraud_intent(ep, *victim, w.accounts[attacker].address, "victim", "attacker");
    i.flavor = TxFlavor::kLegacyUnprotected;
    i.value = share_of(w.accounts[*victim].balance, sim.rng().uniform(0.05, 0.3));
    const core::Address& owner = w.accounts[*victim].address;
    const core::Transaction stale = unprotected(sim, i, w.accounts[*victim].nonce - 1);
    (void)sim.write(
        stale, i, owner,
        Planted{owner, core::SignatureStatus::kValid, core::Errc::kOk, core::Errc::kTxNonceTooLow},
        w.accounts[*victim].key);
    sim.after(sim.steps(0.2, 5), [&sim, ep, i, attacker] {
        if (!sim.emit(i)) {
            sim.close_episode(ep);
            return;
        }
        sim.after(sim.steps(5, 50), [&sim, ep, attacker] {
            (void)sweep(sim, ep, attacker, exchange_address(sim), "attacker", "exchange");
            sim.close_episode(ep);
        });
    });
    return true;
}

bool start_high_s(Simulation& sim) {
    const auto victim = pick_victim(sim, 0.05);
    if (!victim) return false;
    World& w = sim.world();
    const std::uint32_t to = contact_of(sim, *victim);
    Intent i;
    i.from = *victim;
    i.to = w.accounts[to].address;
    i.value = share_of(w.accounts[*victim].balance, sim.rng().uniform(0.01, 0.2));
    i.typology = "honest:retail";
    i.sender_role = "retail";
    i.recipient_role = std::string(role_name(w.accounts[to].role));
    const auto original = sim.emit(i);
    if (!original) return false;
    const EpisodePtr ep = sim.open_episode("fraud:high_s", 1);
    i.episode = ep;
    i.sender_role = "victim";
    const core::Address owner = w.accounts[*victim].address;
    const core::PrivateKey key = w.accounts[*victim].key;
    sim.after(sim.steps(0.05, 3), [&sim, ep, i, tx = *original, owner, key] {
        (void)sim.write(malleated(tx), i, owner,
                        Planted{owner, core::SignatureStatus::kHighS, core::Errc::kTxSignatureHighS,
                                core::Errc::kTxSignatureHighS},
                        key);
        sim.close_episode(ep);
    });
    return true;
}

bool start_sig_mismatch(Simulation& sim) {
    const auto victim = pick_victim(sim, 0.0);
    if (!victim) return false;
    World& w = sim.world();
    const std::uint64_t attempts = sim.rng().between(1, 3);
    const EpisodePtr ep =
        sim.open_episode("fraud:sig_mismatch", static_cast<std::int64_t>(attempts));
    const std::uint32_t attacker = sim.fresh_account(Role::kFraud);
    for (std::uint64_t n = 0; n < attempts; ++n) {
        const core::PrivateKey forger = sim.fresh_key("forged-signature");
        Intent i = fraud_intent(ep, *victim, w.accounts[attacker].address, "spoofed", "attacker");
        i.value = wei(typed_amount(sim.rng(), sim.rng().uniform(0.1, 5)));
        const core::Address claimed = w.accounts[*victim].address;
        sim.after(sim.steps(0, 20), [&sim, ep, i, claimed, forger] {
            core::Transaction tx = sim.build(i, 0);
            const auto chain_id = tx.chain_id;
            const auto forged = core::sign_transaction(std::move(tx), forger, chain_id);
            (void)sim.write(*forged, i, claimed,
                            Planted{forger.address(), core::SignatureStatus::kValid,
                                    core::Errc::kOk, core::Errc::kTxInsufficientFunds},
                            forger);
        });
    }
    sim.after(sim.steps(21, 22), [&sim, ep] { sim.close_episode(ep); });
    return true;
}

}  // namespace mfd::chain::workload::detail
