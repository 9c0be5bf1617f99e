#include "chain_sim/workload/simulation.hpp"

#include <algorithm>
#include <cmath>

#include "chain_sim/workload/amounts.hpp"
#include "chain_sim/workload/behaviours.hpp"
#include "chain_sim/workload/contract_calls.hpp"
#include "core/keccak.hpp"
#include "core/transaction_rules.hpp"

namespace mfd::chain::workload::detail {
namespace {

/// Share of transactions a wallet signs with its other wallet's type.
constexpr double kOtherWalletShare = 0.06;

/// Sets r, s, y_parity and v from `sig`, as sign_transaction does.
void put_signature(core::Transaction& tx, const core::Signature& sig) {
    tx.r = *core::U256::from_be(sig.r.view());
    tx.s = *core::U256::from_be(sig.s.view());
    tx.y_parity = sig.y_parity;
    tx.v = tx.type == core::TxType::kLegacy ? core::legacy_v(tx.chain_id, sig.y_parity)
                                            : core::U256(sig.y_parity);
}

}  // namespace

Simulation::Simulation(const GeneratorConfig& config, RecordSink& sink)
    : config_(config), sink_(sink), rng_(config.seed ^ 0x6d66642d776f726bULL) {
    typology_starts_.assign(fraud_typologies().size(), 0);
    create_population(*this);
}

bool Simulation::full() const noexcept {
    return error_.has_value() || emitted_ >= config_.params.txs;
}

double Simulation::progress() const noexcept {
    return static_cast<double>(emitted_) / static_cast<double>(config_.params.txs);
}

double Simulation::duration_ms() const noexcept {
    return static_cast<double>(config_.params.txs) *
           static_cast<double>(config_.params.tx_interval_ms);
}

void Simulation::after(std::int64_t delay_ms, std::function<void()> task) {
    queue_.push(Task{now_ + std::max<std::int64_t>(0, delay_ms), seq_++, std::move(task)});
}

std::int64_t Simulation::steps(double lo, double hi) {
    const double scale = std::clamp(static_cast<double>(config_.params.txs) / 5000.0, 1.0, 20.0);
    const double step_ms = static_cast<double>(config_.params.tx_interval_ms) * scale;
    return std::llround(rng_.uniform(lo, hi) * step_ms);
}

core::PrivateKey Simulation::fresh_key(std::string_view purpose) {
    core::Bytes material(16);
    core::put_be64(material.data(), config_.seed);
    core::put_be64(material.data() + 8, fresh_keys_++);
    core::append(material, core::as_bytes(purpose));
    return core::PrivateKey::derive(material);
}

std::uint32_t Simulation::fresh_account(Role role) {
    ++summary_.fresh_accounts;
    return world_.add(fresh_key("fresh-account"), role, style_for(role), core::U256{});
}

EpisodePtr Simulation::open_episode(std::string typology, std::int64_t planned) {
    auto episode = std::make_shared<Episode>(Episode{std::move(typology), planned});
    fraud_pending_ += planned;
    return episode;
}

void Simulation::close_episode(const EpisodePtr& episode) {
    fraud_pending_ -= std::max<std::int64_t>(0, episode->remaining);
    episode->remaining = 0;
}

core::U256 Simulation::upfront(const core::Transaction& tx) {
    return tx.value + core::U256(tx.gas_limit) * tx.fee_cap();
}

core::Transaction Simulation::build(const Intent& intent, std::uint64_t nonce) {
    const Account& sender = world_.accounts[intent.from];
    const FeeStyle& style = sender.style;
    const TxFlavor flavor = intent.flavor.value_or(rng_.chance(kOtherWalletShare)
                                                       ? style.other_flavor
                                                       : style.flavor);
    const double jitter = style.jitter ? rng_.uniform(0.95, 1.15) : 1.0;
    const auto fee = [&](const core::U256& v) {
        return std::max(style.jitter ? gwei(v.to_double() / 1e9 * jitter) : v,
                        config_.chain.min_fee_cap);
    };
    core::Transaction tx;
    tx.nonce = nonce;
    tx.to = intent.to;
    tx.value = intent.value;
    tx.data = intent.data;
    tx.type = flavor == TxFlavor::kAccessList   ? core::TxType::kAccessList
              : flavor == TxFlavor::kDynamicFee ? core::TxType::kDynamicFee
                                                : core::TxType::kLegacy;
    if (tx.type == core::TxType::kDynamicFee) {
        tx.max_fee_per_gas = fee(style.fee_cap);
        tx.max_priority_fee_per_gas = std::min(style.tip, tx.max_fee_per_gas);
    } else {
        tx.gas_price = fee(style.gas_price);
    }
    if (tx.type == core::TxType::kAccessList && intent.exec_gas > 0 && intent.to) {
        tx.access_list = {{*intent.to, {}}};
    }
    tx.gas_limit = core::intrinsic_gas(tx) + intent.exec_gas;
    const bool plain = intent.exec_gas == 0 && intent.data.empty() && intent.to;
    if (plain && style.gas_margin > 1.0) {
        tx.gas_limit = static_cast<std::uint64_t>(
            std::llround(static_cast<double>(tx.gas_limit) * style.gas_margin));
    }
    if (intent.sweep) {
        const core::U256 fees = core::U256(tx.gas_limit) * tx.fee_cap();
        tx.value = sender.balance > fees ? sender.balance - fees : core::U256{};
    }
    tx.chain_id = flavor == TxFlavor::kLegacyUnprotected
                      ? std::nullopt
                      : std::optional<std::uint64_t>(config_.chain.chain_id);
    return tx;
}

std::optional<core::Transaction> Simulation::emit(const Intent& intent) {
    if (full()) return std::nullopt;
    const Account& sender = world_.accounts[intent.from];
    core::Transaction tx = build(intent, sender.nonce);
    if (upfront(tx) > sender.balance || (intent.sweep && tx.value.is_zero())) return std::nullopt;
    const std::optional<std::uint64_t> chain_id = tx.chain_id;
    auto signed_tx = core::sign_transaction(std::move(tx), sender.key, chain_id);
    if (!signed_tx) return std::nullopt;
    return finish(intent, std::move(*signed_tx));
}

std::optional<core::Transaction> Simulation::emit_with_k(const Intent& intent,
                                                         const core::Hash& k) {
    if (full()) return std::nullopt;
    const Account& sender = world_.accounts[intent.from];
    core::Transaction tx = build(intent, sender.nonce);
    if (upfront(tx) > sender.balance) return std::nullopt;
    auto sig = core::sign_with_nonce(sender.key, core::signing_hash(tx), k);
    if (!sig) return std::nullopt;
    put_signature(tx, *sig);
    return finish(intent, std::move(tx));
}

std::optional<core::Transaction> Simulation::finish(const Intent& intent,
                                                    core::Transaction signed_tx) {
    const Account& sender = world_.accounts[intent.from];
    if (!write(signed_tx, intent, sender.address, Planted{sender.address}, sender.key)) {
        return std::nullopt;
    }
    apply(intent, signed_tx);
    return signed_tx;
}

// After write(): the view's changes are the open record's, and so are its dependencies.
void Simulation::apply(const Intent& intent, const core::Transaction& tx) {
    Account& sender = world_.accounts[intent.from];
    if (tx.to) {
        if (auto deploy = world_.deployed_in(*tx.to)) world_.depend_on(*deploy);
    } else {
        world_.deployed(create_address(sender.address, sender.nonce));
    }
    sender.nonce += 1;
    world_.debit_ether(intent.from, upfront(tx));
    if (tx.to && !tx.value.is_zero()) world_.credit_ether(*tx.to, tx.value);
}

void Simulation::flush() {
    if (!open_) return;
    open_->after = world_.take_dependencies();
    if (auto ok = sink_.add(std::move(*open_)); !ok) error_ = ok.error();
    open_.reset();
}

bool Simulation::write(const core::Transaction& tx, const Intent& meta,
                       const core::Address& claimed, const Planted& planted,
                       const core::PrivateKey& signer) {
    if (full()) return false;
    flush();
    if (error_) return false;
    StreamRecord r;
    r.index = emitted_;
    r.signer = signer;
    r.expected = planted.expected;
    core::TxEvent& e = r.event;
    e.tx = tx;
    e.raw = core::encode_transaction(tx);
    e.hash = core::keccak256(e.raw);
    e.claimed_sender = claimed;
    e.recovered_sender = planted.signer;
    e.signature = planted.status;
    e.validity = planted.validity;
    e.time_ms = config_.start_time_ms + now_;
    e.label = meta.episode ? 1 : 0;
    e.typology = meta.episode ? meta.episode->typology : meta.typology;
    e.sender_role = meta.sender_role;
    e.recipient_role = meta.recipient_role;
    ++emitted_;
    ++summary_.by_typology[e.typology];
    if (planted.expected != core::Errc::kOk) ++summary_.rejected_txs;
    if (meta.episode) {
        ++fraud_emitted_;
        if (meta.episode->remaining > 0) {
            --meta.episode->remaining;
            --fraud_pending_;
        }
    }
    world_.begin_record(r.index, planted.signer);
    open_ = std::move(r);
    return true;
}

void Simulation::maybe_start_fraud() {
    const double rate = config_.params.fraud_rate;
    if (rate <= 0) return;
    const double pending = static_cast<double>(std::max<std::int64_t>(0, fraud_pending_));
    const double fraud = static_cast<double>(fraud_emitted_) + pending;
    if (fraud >= rate * (static_cast<double>(emitted_) + pending + 1)) return;
    const auto& typologies = fraud_typologies();
    std::vector<std::size_t> order(typologies.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return static_cast<double>(typology_starts_[a]) / typologies[a].weight <
               static_cast<double>(typology_starts_[b]) / typologies[b].weight;
    });
    for (std::size_t i : order) {
        if (typologies[i].start(*this)) {
            ++typology_starts_[i];
            return;
        }
    }
}

void Simulation::honest_tick() {
    maybe_start_fraud();
    int attempts = 0;
    while (attempts++ < 4 && !honest_action(*this)) continue;
    const double gap = rng_.exponential(static_cast<double>(config_.params.tx_interval_ms));
    after(std::llround(gap), [this] { honest_tick(); });
}

StreamHeader Simulation::header() const {
    StreamHeader h;
    h.seed = config_.seed;
    h.params = config_.params;
    h.chain = config_.chain;
    h.start_time_ms = config_.start_time_ms;
    for (const Account& a : world_.accounts) {
        if (!a.balance.is_zero()) h.genesis.push_back({a.address, a.balance});
    }
    return h;
}

core::Result<GenerationSummary> Simulation::run() {
    if (auto ok = sink_.begin(header()); !ok) return core::fail(ok.error());
    schedule_setup(*this);
    schedule_payroll(*this);
    after(0, [this] { honest_tick(); });
    while (!full() && !queue_.empty()) {
        Task task = std::move(const_cast<Task&>(queue_.top()));  // popped right after
        queue_.pop();
        now_ = std::max(now_, task.time);
        task.run();
    }
    flush();
    if (error_) return core::fail(*error_);
    summary_.txs = emitted_;
    summary_.fraud_txs = fraud_emitted_;
    return summary_;
}

}  // namespace mfd::chain::workload::detail
