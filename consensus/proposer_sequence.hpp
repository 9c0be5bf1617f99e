#pragma once
/// The proposer sequence behind `chain_sim proposers --powers NAME:POWER,... --rounds N`: a
/// validator's address is the bytes of its name, and the sequence is CometBFT's weighted round
/// robin from a fresh set (NewValidatorSet, then one IncrementProposerPriority(1) per step).
/// Pure functions; thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mfd::consensus {

/// A validator named for the command line.
struct NamedPower {
    std::string name;
    std::int64_t power = 0;
};

/// Parses "NAME:POWER,NAME:POWER,...". Fails with kInvalidArgument naming the bad entry: an
/// empty name, a missing ':', a power that is not a positive decimal integer, or a repeated name.
[[nodiscard]] core::Result<std::vector<NamedPower>> parse_powers(std::string_view text);

/// The first `rounds` proposers (names), starting with the proposer of the first round. Fails
/// with kInvalidArgument on an empty list, a duplicate name, a power <= 0, or a total power
/// above kMaxTotalVotingPower.
[[nodiscard]] core::Result<std::vector<std::string>> proposer_sequence(
    const std::vector<NamedPower>& validators, std::size_t rounds);

}  // namespace mfd::consensus
