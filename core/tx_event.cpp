#include "core/tx_event.hpp"

#include "core/keccak.hpp"

namespace mfd::core {
namespace {

SignatureStatus classify(const Transaction& tx, const TxRules& rules, const Result<void>& verdict,
                         const Result<Address>& sender) {
    if (!sender) return SignatureStatus::kInvalid;
    if (!verdict) {
        if (verdict.error().code == Errc::kTxSignatureHighS) return SignatureStatus::kHighS;
        if (verdict.error().code == Errc::kTxInvalidChainId) return SignatureStatus::kBadChainId;
    }
    if (tx.chain_id && *tx.chain_id != rules.chain_id) return SignatureStatus::kBadChainId;
    return SignatureStatus::kValid;
}

}  // namespace

Result<TxEvent> tx_event_from_raw(ByteView raw, const TxRules& rules, std::int64_t time_ms) {
    auto decoded = decode_transaction(raw);
    if (!decoded) return fail(decoded.error());
    TxEvent ev;
    ev.tx = std::move(*decoded);
    ev.raw.assign(raw.begin(), raw.end());
    ev.hash = keccak256(raw);
    ev.time_ms = time_ms;
    const Result<void> verdict = validate_transaction(ev.tx, rules);
    const Result<Address> sender = recover_sender(ev.tx);
    if (sender) ev.recovered_sender = *sender;
    ev.signature = classify(ev.tx, rules, verdict, sender);
    if (!verdict) {
        ev.validity = verdict.error().code;
    } else if (!sender) {
        ev.validity = sender.error().code;
    }
    return ev;
}

std::string_view signature_status_name(SignatureStatus s) noexcept {
    switch (s) {
    case SignatureStatus::kUnavailable: return "unavailable";
    case SignatureStatus::kValid: return "valid";
    case SignatureStatus::kHighS: return "high_s";
    case SignatureStatus::kBadChainId: return "bad_chain_id";
    case SignatureStatus::kInvalid: return "invalid";
    }
    return "unknown";
}

}  // namespace mfd::core
