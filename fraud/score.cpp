#include "fraud/score.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mfd::fraud {
namespace {

std::string_view anomaly_text(std::size_t f) {
    switch (f) {
    case kSigInvalid: return "invalid or non-recoverable signature";
    case kSigHighS: return "high-S (malleated) signature";
    case kSigBadChainId: return "signature for another chain id";
    case kSigNoChainId: return "no chain id (replayable on other chains)";
    case kSigRReused:
        return "r value seen before: ECDSA nonce reuse, the private key is recoverable";
    case kSigSenderMismatch: return "signature does not recover to the claimed sender";
    case kSigKeyAccounts: return "key signs for other accounts";
    case kSigNotValid: return "fails the stateless transaction rules";
    default: return "";
    }
}

std::string fixed(double v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

}  // namespace

std::uint16_t quantise(float probability) noexcept {
    const double p = std::clamp(static_cast<double>(probability), 0.0, 1.0);
    return static_cast<std::uint16_t>(std::lround(p * 65535.0));
}

std::uint16_t anomaly_bits(const float* row) noexcept {
    std::uint16_t bits = 0;
    for (std::size_t f = kSigInvalid; f <= kSigNotValid; ++f) {
        if (row[f] > 0) bits |= static_cast<std::uint16_t>(1U << (f - kSigInvalid));
    }
    return bits;
}

bool definitive_anomaly(std::uint16_t anomalies) noexcept {
    constexpr auto bit = [](std::size_t f) {
        return static_cast<std::uint16_t>(1U << (f - kSigInvalid));
    };
    constexpr std::uint16_t kDefinitive =
        bit(kSigInvalid) | bit(kSigHighS) | bit(kSigRReused) | bit(kSigSenderMismatch);
    return (anomalies & kDefinitive) != 0;
}

bool inert(const float* row) noexcept {
    return row[kTxValueZero] == 1.0F && row[kTxToSelf] == 1.0F && row[kTxLogDataSize] == 0.0F &&
           row[kTxCreate] == 0.0F;
}

bool flag_decision(float probability, float threshold, const float* row) noexcept {
    return (probability >= threshold && !inert(row)) || definitive_anomaly(anomaly_bits(row));
}

std::string describe(const Explanation& e) {
    std::string out = "experts:";
    for (std::size_t i = 0; i < e.expert_count; ++i) {
        const auto& x = e.experts[i];
        out += " #" + std::to_string(x.expert) + "(" +
               std::string(group_span(x.group).name) + ") w=" + fixed(x.weight, 2) +
               " p=" + fixed(x.probability, 3);
    }
    if (e.feature_count > 0) out += "; features:";
    for (std::size_t i = 0; i < e.feature_count; ++i) {
        const auto& f = e.features[i];
        out += " " + std::string(feature_name(f.feature)) + "=" + fixed(f.value, 2) + " (" +
               (f.effect >= 0 ? "+" : "") + fixed(f.effect, 2) + ")";
    }
    if (e.groups != kAllGroups) out += "; scored without: " + missing_groups(e.groups);
    if ((e.groups & group_bit(Group::kState)) == 0) {
        out += " (no balances or nonces from the host's state)";
    }
    for (std::size_t f = kSigInvalid; f <= kSigNotValid; ++f) {
        if (e.anomalies & (1U << (f - kSigInvalid))) out += "; " + std::string(anomaly_text(f));
    }
    return out;
}

}  // namespace mfd::fraud
