#pragma once
/// Basic consensus vocabulary: heights, rounds, vote kinds, fraud flags, validator updates and
/// exact stake fractions. Plain values; thread-safe to share once built.

#include <cstdint>
#include <vector>

#include "core/bytes.hpp"
#include "core/secp256k1.hpp"

namespace mfd::consensus {

/// A block height; the first block is height 1 (0 means "before genesis").
using Height = std::int64_t;
/// A round within a height, from 0; kNoRound stands for "none" (Tendermint's -1).
using Round = std::int32_t;
inline constexpr Round kNoRound = -1;

/// The hash of a sealed block; all zeros is nil (a vote for no block).
using BlockId = core::Hash;

/// The two vote kinds of a Tendermint round.
enum class VoteType : std::uint8_t { kPrevote = 1, kPrecommit = 2 };

/// The largest quantised fraud score a flag may carry (scores are basis points, 0..10000).
inline constexpr std::uint16_t kMaxScore = 10000;

/// One validator's claim that a pending transaction is fraudulent, with its quantised score.
struct FraudFlag {
    core::Hash tx;
    std::uint16_t score = 0;
    friend bool operator==(const FraudFlag&, const FraudFlag&) = default;
};

/// A change to the validator set: power 0 removes the validator, any other value sets its power
/// (adding it when new). `address` must be the address of `key`.
struct ValidatorUpdate {
    core::Address address;
    core::PublicKey key;
    std::int64_t power = 0;
    friend bool operator==(const ValidatorUpdate&, const ValidatorUpdate&) = default;
};

/// An exact fraction num/den (0 < den), used for thresholds and slashing.
struct Share {
    std::uint32_t num = 1;
    std::uint32_t den = 3;
};

/// True when part/whole >= share, computed exactly (part, whole >= 0).
[[nodiscard]] inline bool reaches_share(std::int64_t part, std::int64_t whole,
                                        Share share) noexcept {
    __extension__ using Wide = __int128;
    return static_cast<Wide>(part) * share.den >= static_cast<Wide>(whole) * share.num;
}

/// `amount` * share, rounded down (amount >= 0, share <= 1).
[[nodiscard]] inline std::int64_t scale_down(std::int64_t amount, Share share) noexcept {
    __extension__ using Wide = __int128;
    return static_cast<std::int64_t>(static_cast<Wide>(amount) * share.num / share.den);
}

/// True when `power` is more than two thirds of `total` (Tendermint's 2f+1 quorum).
[[nodiscard]] inline bool is_supermajority(std::int64_t power, std::int64_t total) noexcept {
    __extension__ using Wide = __int128;
    return static_cast<Wide>(power) * 3 > static_cast<Wide>(total) * 2;
}

/// True when `power` is more than one third of `total` (f+1: at least one honest validator).
[[nodiscard]] inline bool is_one_third_plus(std::int64_t power, std::int64_t total) noexcept {
    __extension__ using Wide = __int128;
    return static_cast<Wide>(power) * 3 > static_cast<Wide>(total);
}

}  // namespace mfd::consensus
