#pragma once
/// What the detector says about one transaction: the fraud probability, the decision at the
/// configured threshold, a quantised score for vote extensions, and why (the experts used with
/// their weights and scores, the features that moved the score most, the groups that could
/// not be computed). Plain value types without heap memory; thread-compatible.

#include <array>
#include <cstdint>
#include <string>

#include "fraud/feature_schema.hpp"

namespace mfd::fraud {

/// One expert's part in a score.
struct ExpertShare {
    std::uint8_t expert = 0;  ///< index in the model (experts are numbered group by group)
    Group group = Group::kTx;  ///< the feature group it specialises on
    float weight = 0;          ///< its mixing weight
    float probability = 0;     ///< sigmoid of its own logit
};

/// One feature's part in a score.
struct FeatureEffect {
    std::uint8_t feature = 0;  ///< a Feature column
    float value = 0;           ///< the raw feature value
    float effect = 0;          ///< logit change it caused against its training mean
};

inline constexpr std::size_t kExplainedExperts = 4;
inline constexpr std::size_t kExplainedFeatures = 4;

/// Why a transaction scored as it did.
struct Explanation {
    std::array<ExpertShare, kExplainedExperts> experts{};  ///< by weight, highest first
    std::uint8_t expert_count = 0;
    std::array<FeatureEffect, kExplainedFeatures> features{};  ///< by |effect|, largest first
    std::uint8_t feature_count = 0;  ///< 0 when effects were not computed (see Detector)
    GroupMask groups = kAllGroups;   ///< the groups that were computed
    /// Signature anomalies present, as bits (1 << (f - kSigInvalid)) for f in kSigInvalid..
    /// kSigNotValid.
    std::uint16_t anomalies = 0;
};

/// A scored transaction.
struct Score {
    float probability = 0;
    /// probability >= the detector's threshold, or a definitive signature anomaly
    bool flagged = false;
    std::uint16_t quantised = 0;  ///< round(probability × 65535), for vote extensions
    Explanation explanation;
};

/// round(p × 65535), p clamped to [0, 1].
[[nodiscard]] std::uint16_t quantise(float probability) noexcept;

/// The signature anomaly bits of a feature row.
[[nodiscard]] std::uint16_t anomaly_bits(const float* row) noexcept;

/// True when `anomalies` (anomaly_bits) hold one that is fraud whatever the model says: an
/// invalid or non-recoverable signature, a high S, a reused r value (the private key is
/// recoverable) or a sender the key does not recover to. The detector flags such rows.
[[nodiscard]] bool definitive_anomaly(std::uint16_t anomalies) noexcept;

/// True for a transaction that moves nothing and calls nothing: no value, to its own sender, no
/// calldata (a wallet's cancel of a nonce). Nothing it does can be kept from anyone, so the
/// model's probability never flags it (a definitive signature anomaly still does).
[[nodiscard]] bool inert(const float* row) noexcept;

/// The detector's decision on a row: the probability at or above the threshold on a row that
/// is not inert, or a definitive signature anomaly.
[[nodiscard]] bool flag_decision(float probability, float threshold, const float* row) noexcept;

/// A one-line account of `e` for people: experts with weights and scores, the leading
/// features, missing groups ("scored without: signature"), and what each anomaly means
/// (a reused r says the private key is recoverable).
[[nodiscard]] std::string describe(const Explanation& e);

}  // namespace mfd::fraud
