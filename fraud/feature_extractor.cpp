#include "fraud/feature_extractor.hpp"

#include <algorithm>
#include <cmath>

#include "fraud/calldata.hpp"

namespace mfd::fraud {
namespace {

using core::Address;
using core::TxEvent;

constexpr double kUnlimited = 5.7e76;  // 2^255: anything above is an "infinite" allowance

double ether(const core::U256& v) noexcept {
    return v.to_double() * 1e-18;
}
double gwei(const core::U256& v) noexcept {
    return v.to_double() * 1e-9;
}
float f(double v) noexcept {
    return static_cast<float>(v);
}
float flag(bool b) noexcept {
    return b ? 1.0F : 0.0F;
}

/// log1p of the seconds from `then` to `now` (0 when `now` is earlier).
float log_seconds(std::int64_t now, std::int64_t then) noexcept {
    return f(std::log1p(static_cast<double>(std::max<std::int64_t>(0, now - then)) / 1000.0));
}

float log1p_count(double n) noexcept {
    return f(std::log1p(std::max(0.0, n)));
}

double share(double part, double whole) noexcept {
    return whole > 0 ? part / whole : 0.0;
}

bool round_value(double eth) noexcept {
    if (eth < 1e-3) return false;
    const double scale = std::pow(10.0, std::floor(std::log10(eth)) - 1);
    const double mantissa = eth / scale;
    return std::fabs(mantissa - std::round(mantissa)) < 1e-6 * mantissa;
}

std::uint8_t style_of(const core::Transaction& tx) noexcept {
    return static_cast<std::uint8_t>(static_cast<std::uint8_t>(tx.type) | (tx.chain_id ? 0x10 : 0));
}

bool unprotected(const TxEvent& e) noexcept {
    return e.signature != core::SignatureStatus::kUnavailable &&
           e.tx.type == core::TxType::kLegacy && !e.tx.chain_id;
}

/// The history-free columns of the transaction group.
void tx_pattern(const TxEvent& e, const CallInfo& call, double fee_level, bool have_fee_level,
                std::span<float> row) {
    const core::Transaction& tx = e.tx;
    const double v = ether(tx.value);
    const double fee = std::max(gwei(tx.fee_cap()), 1e-3);
    row[kTxAvailable] = 1;
    row[kTxLogValue] = f(std::log1p(v));
    row[kTxValueZero] = flag(tx.value.is_zero());
    row[kTxRoundValue] = flag(round_value(v));
    row[kTxLogFeeRel] = have_fee_level ? f(std::clamp(std::log(fee) - fee_level, -10.0, 10.0)) : 0;
    const double cap = gwei(tx.fee_cap());
    row[kTxTipShare] = cap > 0 ? f(std::min(1.0, gwei(tx.tip_cap()) / cap)) : 1.0F;
    const auto intrinsic = static_cast<double>(std::max<std::uint64_t>(core::intrinsic_gas(tx), 1));
    row[kTxLogGasRel] = f(std::clamp(
        std::log(std::max(1.0, static_cast<double>(tx.gas_limit)) / intrinsic), -10.0, 10.0));
    row[kTxLogDataSize] = log1p_count(static_cast<double>(tx.data.size()));
    row[kTxFnTransfer] = flag(call.kind == CallKind::kTransfer);
    row[kTxFnApprove] = flag(call.kind == CallKind::kApprove);
    row[kTxFnTransferFrom] = flag(call.kind == CallKind::kTransferFrom);
    row[kTxFnOther] = flag(call.kind == CallKind::kOther);
    row[kTxApproveUnlimited] =
        flag(call.kind == CallKind::kApprove && call.amount.to_double() >= kUnlimited);
    row[kTxCreate] = flag(tx.is_create());
    row[kTxTypeLegacy] = flag(tx.type == core::TxType::kLegacy);
    row[kTxTypeDynamic] = flag(tx.type == core::TxType::kDynamicFee);
    row[kTxToSelf] = flag(tx.to && e.sender() && *tx.to == *e.sender());
    if (call.kind != CallKind::kNone && call.kind != CallKind::kOther) {
        row[kTxLogTokenAmount] = f(std::min(200.0, std::log1p(call.amount.to_double() * 1e-18)));
    }
}

/// The transaction-group columns that need the sender's and the party's history.
void tx_history(const TxEvent& e, const CallInfo& call, const AccountStats& s,
                const AccountStats* party, std::span<float> row) {
    const double v = ether(e.tx.value);
    row[kTxFirstContact] = flag(e.tx.to && !s.counterparties.contains(*e.tx.to));
    if (call.party && party) {
        row[kTxPartyFirstContact] = flag(!s.counterparties.contains(*call.party));
        row[kTxPartyFresh] = flag(!party->seen());
        if (party->seen()) row[kTxPartyLogAge] = log_seconds(e.time_ms, party->first_seen_ms);
        row[kTxPartyLogInCount] = log1p_count(party->in_count);
        row[kTxPartyLogOutCount] = log1p_count(party->out_count);
        row[kTxPartyCallShare] = f(share(party->calls_in, party->in_count));
    }
    if (s.last_in_value > 0) {
        row[kTxValueToLastIn] =
            f(std::clamp(std::log((v + 1e-9) / (s.last_in_value + 1e-9)), -10.0, 10.0));
    }
}

/// part / whole clipped to [0, 2]; 2 when there is a part and no whole.
float clipped_ratio(double part, double whole) noexcept {
    return whole > 0 ? f(std::min(2.0, part / whole)) : flag(part > 0) * 2;
}

/// The state group from what the host passed; false (nothing written) without the sender's.
bool state_columns(const core::Transaction& tx, const TxContext& ctx, std::span<float> row) {
    if (!ctx.sender) return false;
    const double balance = ether(ctx.sender->balance);
    const double v = ether(tx.value);
    const double cost = v + ether(core::U256(tx.gas_limit) * tx.fee_cap());
    row[kStateAvailable] = 1;
    row[kStateValueToBalance] = clipped_ratio(v, balance);
    row[kStateCostToBalance] = clipped_ratio(cost, balance);
    row[kStateSenderLogBalance] = f(std::log1p(balance));
    row[kStateSenderLogNonce] = log1p_count(static_cast<double>(ctx.sender->nonce));
    if (tx.nonce > ctx.sender->nonce) {
        row[kStateNonceAhead] = log1p_count(static_cast<double>(tx.nonce - ctx.sender->nonce));
    }
    if (ctx.recipient && tx.to) {
        row[kStateRecipientKnown] = 1;
        row[kStateRecipientEmpty] =
            flag(ctx.recipient->balance.is_zero() && ctx.recipient->nonce == 0);
        row[kStateRecipientLogBalance] = f(std::log1p(ether(ctx.recipient->balance)));
        row[kStateRecipientLogNonce] = log1p_count(static_cast<double>(ctx.recipient->nonce));
    }
    return true;
}

void sender_columns(const TxEvent& e, const AccountStats& s, std::span<float> row) {
    const std::int64_t now = e.time_ms;
    const double v = ether(e.tx.value);
    row[kSenderStaleRefused] = log1p_count(s.stale_refused);
    if (!s.seen()) return;
    const double out = s.out_count;
    row[kSenderSeen] = 1;
    row[kSenderLogAge] = log_seconds(now, s.first_seen_ms);
    row[kSenderLogOutCount] = log1p_count(out);
    row[kSenderLogInCount] = log1p_count(s.in_count);
    row[kSenderLogIdle] = log_seconds(now, s.last_seen_ms);
    row[kSenderLogSinceIn] = log_seconds(now, s.in_count ? s.last_in_ms : s.first_seen_ms);
    row[kSenderVelShort] = log1p_count(s.vel_out_short);
    row[kSenderVelLong] = log1p_count(s.vel_out_long);
    row[kSenderNewFanout] = log1p_count(s.new_fanout);
    row[kSenderAmountZ] = f(s.out_amount.z(std::log1p(v)));
    if (s.out_count > 0) {
        row[kSenderIntervalZ] = f(s.out_interval.z(log_seconds(now, s.last_out_ms)));
        // Only against its own history: the nonce alone of a busy account is a clock.
        const double gap = static_cast<double>(e.tx.nonce) - static_cast<double>(s.next_nonce);
        row[kSenderNonceGap] = f(std::copysign(std::log1p(std::fabs(gap)), gap));
        row[kSenderNonceRepeat] = flag(e.tx.nonce < s.next_nonce);
        row[kSenderStyleChanged] = flag(style_of(e.tx) != s.last_style);
        row[kSenderSameAmount] =
            f(std::min(10.0, std::fabs(std::log((v + 1e-9) / (s.last_out_value + 1e-9)))));
    }
    if (s.in_value > 0) {
        row[kSenderDrain] = f(std::min(4.0, v / s.in_value));
        row[kSenderOutInRatio] = f(std::min(4.0, s.out_value / s.in_value));
    }
    row[kSenderNewShare] = f(share(s.out_new, out));
    row[kSenderLogDistinct] = log1p_count(s.out_new);
    row[kSenderFailedShare] = f(share(s.failed, out + s.in_count));
    row[kSenderCallShare] = f(share(s.calls_out, out));
    row[kSenderUnprotectedShare] = f(share(s.unprotected_out, out));
    row[kSenderExcludedShare] = f(share(s.excluded_out, out + s.excluded_out));
}

void recipient_columns(const TxEvent& e, const AccountStats& r, std::span<float> row) {
    if (!r.seen()) return;
    const std::int64_t now = e.time_ms;
    row[kRecipientAmountZ] = f(r.in_amount.z(std::log1p(ether(e.tx.value))));
    row[kRecipientLogSinceOut] = log_seconds(now, r.out_count ? r.last_out_ms : r.first_seen_ms);
    row[kRecipientLogDistinct] = log1p_count(r.in_new);
    row[kRecipientOutCallShare] = f(share(r.calls_out, r.out_count));
    row[kRecipientFailedShare] = f(share(r.failed, static_cast<double>(r.out_count) + r.in_count));
    row[kRecipientExcludedIn] = log1p_count(r.excluded_in);
    row[kRecipientExcludedShare] =
        f(share(r.excluded_in, static_cast<double>(r.in_count) + r.excluded_in));
    row[kRecipientSeen] = 1;
    row[kRecipientLogAge] = log_seconds(now, r.first_seen_ms);
    row[kRecipientLogInCount] = log1p_count(r.in_count);
    row[kRecipientLogOutCount] = log1p_count(r.out_count);
    row[kRecipientLogIdle] = log_seconds(now, r.last_seen_ms);
    row[kRecipientVelShort] = log1p_count(r.vel_in_short);
    row[kRecipientVelLong] = log1p_count(r.vel_in_long);
    row[kRecipientNewSenders] = log1p_count(r.new_senders);
    row[kRecipientNewShare] = f(share(r.in_new, r.in_count));
    row[kRecipientLogInValue] = log1p_count(r.in_value);
    if (r.in_value > 0) row[kRecipientOutInRatio] = f(std::min(4.0, r.out_value / r.in_value));
    row[kRecipientCallShare] = f(share(r.calls_in, r.in_count));
}

void update_sender(AccountStats& s, const TxEvent& e, bool first_contact) {
    const std::int64_t now = e.time_ms;
    const double v = ether(e.tx.value);
    if (!s.seen()) s.first_seen_ms = now;
    s.decay_to(now);
    if (s.out_count > 0) s.out_interval.add(log_seconds(now, s.last_out_ms));
    s.out_amount.add(std::log1p(v));
    s.out_count += 1;
    s.out_value += v;
    s.vel_out_short += 1;
    s.vel_out_long += 1;
    s.out_new += first_contact ? 1 : 0;
    s.new_fanout += first_contact ? 1.0F : 0.0F;
    s.last_out_value = v;
    if (e.tx.to) s.counterparties.add(*e.tx.to);
    s.calls_out += e.tx.data.empty() ? 0 : 1;
    s.unprotected_out += unprotected(e) ? 1 : 0;
    s.next_nonce = std::max(s.next_nonce, e.tx.nonce + 1);
    s.last_style = style_of(e.tx);
    s.last_out_ms = now;
    s.last_seen_ms = std::max(s.last_seen_ms, now);
    s.failed += e.failed.value_or(false) ? 1 : 0;
}

/// An inflow of `eth` ether from `from` (0 for a token movement or an allowance).
void update_recipient(AccountStats& r, const Address& from, std::int64_t now, double eth,
                      bool with_data) {
    const bool first_sender = !r.counterparties.contains(from);
    if (!r.seen()) r.first_seen_ms = now;
    r.decay_to(now);
    r.in_count += 1;
    r.in_value += eth;
    r.in_amount.add(std::log1p(eth));
    if (eth > 0) r.last_in_value = eth;
    r.last_in_ms = now;
    r.vel_in_short += 1;
    r.vel_in_long += 1;
    if (first_sender) {
        r.in_new += 1;
        r.new_senders += 1;
    }
    r.counterparties.add(from);
    r.calls_in += with_data ? 1 : 0;
    r.last_seen_ms = std::max(r.last_seen_ms, now);
}

}  // namespace

GroupMask FeatureExtractor::extract(const TxEvent& e, const TxContext& ctx, std::span<float> row) {
    std::fill(row.begin(), row.begin() + kFeatures, 0.0F);
    const CallInfo call = read_call(e.tx.data);
    const auto fee = history_.fee_level();
    tx_pattern(e, call, fee.value_or(0), fee.has_value(), row);
    GroupMask mask = 1U << static_cast<unsigned>(Group::kTx);
    const auto sender = e.sender();
    const auto s = sender ? history_.find(*sender) : core::Result<const AccountStats*>{nullptr};
    const auto r = e.tx.to ? history_.find(*e.tx.to) : core::Result<const AccountStats*>{nullptr};
    const auto p =
        call.party ? history_.find(*call.party) : core::Result<const AccountStats*>{nullptr};
    if (sender && s && r && p) {
        const AccountStats sd = decayed(**s, e.time_ms);
        tx_history(e, call, sd, *p, row);
        row[kAccountAvailable] = 1;
        sender_columns(e, sd, row);
        if (*r) recipient_columns(e, decayed(**r, e.time_ms), row);
        mask |= 1U << static_cast<unsigned>(Group::kAccount);
    }
    if (state_columns(e.tx, ctx, row)) mask |= group_bit(Group::kState);
    if (e.signature == core::SignatureStatus::kUnavailable) return mask;
    row[kSigAvailable] = 1;
    row[kSigInvalid] = flag(e.signature == core::SignatureStatus::kInvalid || !e.recovered_sender);
    row[kSigHighS] = flag(e.signature == core::SignatureStatus::kHighS);
    row[kSigBadChainId] = flag(e.signature == core::SignatureStatus::kBadChainId);
    row[kSigNoChainId] = flag(unprotected(e));
    row[kSigRReused] = flag(!e.tx.r.is_zero() && history_.r_seen(e.tx.r, e.tx.s));
    row[kSigSenderMismatch] = flag(e.sender_mismatch());
    row[kSigNotValid] = flag(e.validity != core::Errc::kOk);
    if (e.recovered_sender) {
        if (auto k = history_.find(*e.recovered_sender); k) {
            const bool extra =
                e.sender_mismatch() && !(*k)->claimed_for.contains(*e.claimed_sender);
            row[kSigKeyAccounts] = log1p_count((*k)->keyed_accounts + (extra ? 1.0 : 0.0));
        }
    }
    return mask | group_bit(Group::kSignature);
}

core::Result<void> FeatureExtractor::observe_excluded(const TxEvent& e) {
    const auto sender = e.sender();
    if (!sender) return {};
    auto s = history_.modify(*sender);
    if (!s) return core::fail(s.error());
    (*s)->excluded_out += 1;
    const CallInfo call = read_call(e.tx.data);
    for (const auto& to : {e.tx.to, call.party}) {
        if (!to || *to == *sender) continue;
        auto r = history_.modify(*to);
        if (!r) return core::fail(r.error());
        (*r)->excluded_in += 1;
    }
    return {};
}

core::Result<void> FeatureExtractor::observe_refused_stale(const TxEvent& e) {
    const auto sender = e.sender();
    if (!sender) return {};
    auto s = history_.modify(*sender);
    if (!s) return core::fail(s.error());
    const auto refused = [&](AccountStats& a) {
        a.decay_to(e.time_ms);
        a.stale_refused += 1;
    };
    refused(**s);
    if (AccountStats* seen = history_.seen_record(*sender)) refused(*seen);  // the mempool's copy
    return {};
}

core::Result<void> FeatureExtractor::observe(const TxEvent& e) {
    const core::Transaction& tx = e.tx;
    if (e.signature != core::SignatureStatus::kUnavailable && !tx.r.is_zero()) {
        history_.add_r(tx.r, tx.s);
    }
    history_.observe_fee(std::max(gwei(tx.fee_cap()), 1e-3));
    const auto sender = e.sender();
    if (!sender) return {};
    auto s = history_.modify(*sender);
    if (!s) return core::fail(s.error());
    const bool first_contact = tx.to && !(*s)->counterparties.contains(*tx.to);
    update_sender(**s, e, first_contact);
    if (tx.to) {
        auto r = history_.modify(*tx.to);
        if (!r) return core::fail(r.error());
        update_recipient(**r, *sender, e.time_ms, ether(tx.value), !tx.data.empty());
    }
    const CallInfo call = read_call(tx.data);
    if (call.party) {
        auto p = history_.modify(*call.party);
        if (!p) return core::fail(p.error());
        update_recipient(**p, *sender, e.time_ms, 0.0, false);
        (*s)->counterparties.add(*call.party);
    }
    if (e.sender_mismatch()) {
        auto k = history_.modify(*e.recovered_sender);
        if (!k) return core::fail(k.error());
        if (!(*k)->claimed_for.contains(*e.claimed_sender)) (*k)->keyed_accounts += 1;
        (*k)->claimed_for.add(*e.claimed_sender);
    }
    return {};
}

}  // namespace mfd::fraud
