#include "fraud/feature_schema.hpp"

namespace mfd::fraud {
namespace {

constexpr std::array<std::string_view, kFeatures> kNames = {
    "tx.available",
    "tx.log_value",
    "tx.value_zero",
    "tx.round_value",
    "tx.log_fee_rel",
    "tx.tip_share",
    "tx.log_gas_rel",
    "tx.log_data_size",
    "tx.fn_transfer",
    "tx.fn_approve",
    "tx.fn_transfer_from",
    "tx.fn_other",
    "tx.approve_unlimited",
    "tx.create",
    "tx.type_legacy",
    "tx.type_dynamic",
    "tx.first_contact",
    "tx.party_first_contact",
    "tx.party_fresh",
    "tx.party_log_age",
    "tx.to_self",
    "tx.value_to_last_in",
    "tx.log_token_amount",
    "tx.party_log_in_count",
    "tx.party_log_out_count",
    "tx.party_call_share",
    "account.available",
    "sender.seen",
    "sender.log_age",
    "sender.log_out_count",
    "sender.log_in_count",
    "sender.log_idle",
    "sender.log_since_in",
    "sender.vel_short",
    "sender.vel_long",
    "sender.amount_z",
    "sender.interval_z",
    "sender.drain",
    "sender.out_in_ratio",
    "sender.nonce_gap",
    "sender.nonce_repeat",
    "sender.new_share",
    "sender.log_distinct",
    "sender.failed_share",
    "sender.call_share",
    "sender.unprotected_share",
    "sender.style_changed",
    "sender.new_fanout",
    "sender.same_amount",
    "sender.excluded_share",
    "sender.stale_refused",
    "recipient.seen",
    "recipient.log_age",
    "recipient.log_in_count",
    "recipient.log_out_count",
    "recipient.log_idle",
    "recipient.vel_short",
    "recipient.vel_long",
    "recipient.new_senders",
    "recipient.new_share",
    "recipient.log_in_value",
    "recipient.out_in_ratio",
    "recipient.call_share",
    "recipient.amount_z",
    "recipient.log_since_out",
    "recipient.log_distinct",
    "recipient.out_call_share",
    "recipient.failed_share",
    "recipient.excluded_in",
    "recipient.excluded_share",
    "sig.available",
    "sig.invalid",
    "sig.high_s",
    "sig.bad_chain_id",
    "sig.no_chain_id",
    "sig.r_reused",
    "sig.sender_mismatch",
    "sig.key_accounts",
    "sig.not_valid",
    "state.available",
    "state.value_to_balance",
    "state.cost_to_balance",
    "state.sender_log_balance",
    "state.sender_log_nonce",
    "state.nonce_ahead",
    "state.recipient_known",
    "state.recipient_empty",
    "state.recipient_log_balance",
    "state.recipient_log_nonce",
};

constexpr std::array<GroupSpan, kGroups> kSpans = {{
    {"tx", kTxAvailable, kAccountAvailable - kTxAvailable},
    {"account", kAccountAvailable, kSigAvailable - kAccountAvailable},
    {"signature", kSigAvailable, kStateAvailable - kSigAvailable},
    {"state", kStateAvailable, kFeatureCount - kStateAvailable},
}};

}  // namespace

GroupSpan group_span(Group g) noexcept {
    return kSpans[static_cast<std::size_t>(g)];
}

std::string_view feature_name(std::size_t f) noexcept {
    return f < kFeatures ? kNames[f] : std::string_view("?");
}

Group feature_group(std::size_t f) noexcept {
    if (f >= kStateAvailable) return Group::kState;
    if (f >= kSigAvailable) return Group::kSignature;
    return f >= kAccountAvailable ? Group::kAccount : Group::kTx;
}

models::MoeConfig schema_config(const ExpertCounts& experts, std::size_t top_k,
                                std::size_t hidden) {
    models::MoeConfig c;
    c.n_features = kFeatures;
    const std::array<std::size_t, kGroups> counts = {experts.tx, experts.account, experts.signature,
                                                     experts.state};
    for (std::size_t g = 0; g < kGroups; ++g) {
        if (counts[g] == 0) continue;
        c.groups.push_back(
            {std::string(kSpans[g].name), kSpans[g].offset, kSpans[g].size, counts[g]});
    }
    c.hidden = {hidden};
    c.top_k = top_k;
    return c;
}

std::string missing_groups(GroupMask mask) {
    std::string out;
    for (std::size_t g = 0; g < kGroups; ++g) {
        if (mask & (1U << g)) continue;
        if (!out.empty()) out += ",";
        out += kSpans[g].name;
    }
    return out;
}

}  // namespace mfd::fraud
