#pragma once
/// From transaction scores to one risk per account, for labels that are per account (the
/// Etherscan phishing data): the rules compared in docs/detector.md, and a reproducible
/// hold-out split by account. Thread-safe: pure functions.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/bytes.hpp"

namespace mfd::fraud {

/// How an account's transaction scores (in chain order) become its risk.
enum class Aggregation : std::uint8_t {
    kLast,        ///< the score of its last transaction (whose features summarise all before it)
    kMeanLogit,   ///< sigmoid of the mean logit over its transactions
    kMax,         ///< the highest score
    kLateMean,    ///< sigmoid of the mean logit over the last half of its transactions
    kMean,        ///< the mean score (a few extreme logits weigh no more than their scores)
    kMedian,      ///< the median score (upper median for an even count)
};

/// Every rule, in the order reports list them.
inline constexpr std::array<Aggregation, 6> kAggregations = {
    Aggregation::kLast, Aggregation::kMeanLogit, Aggregation::kMax,
    Aggregation::kLateMean, Aggregation::kMean, Aggregation::kMedian};

/// The risk of an account whose transactions scored `probabilities` (chain order); 0 for none.
[[nodiscard]] float aggregate(std::span<const float> probabilities, Aggregation rule);

/// "last", "mean_logit", "max", "late_mean", "mean", "median".
[[nodiscard]] std::string_view aggregation_name(Aggregation rule) noexcept;
/// Parses aggregation_name's output.
[[nodiscard]] std::optional<Aggregation> parse_aggregation(std::string_view name) noexcept;

/// True when `account` falls in the hold-out part of a split that puts about `fraction` of
/// accounts there; the same for a given (account, seed) on every run and platform.
[[nodiscard]] bool in_holdout(const core::Address& account, std::uint64_t seed, double fraction);

}  // namespace mfd::fraud
