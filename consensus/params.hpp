#pragma once
/// The configuration every validator of one chain must share: timeouts, the fraud-flag rule,
/// size caps, slashing and jailing. A plain struct; thread-safe to share.

#include <cstddef>
#include <cstdint>

#include "consensus/types.hpp"

namespace mfd::consensus {

/// Timeouts in simulated (or real) microseconds. Round r waits base + r * delta (Tendermint's
/// timeouts that grow per round, arXiv:1807.04938 §4).
struct Timeouts {
    std::int64_t propose_us = 300'000;
    std::int64_t propose_delta_us = 100'000;
    std::int64_t prevote_us = 100'000;
    std::int64_t prevote_delta_us = 50'000;
    std::int64_t precommit_us = 100'000;
    std::int64_t precommit_delta_us = 50'000;
    /// Wait after a decision before the next height, to gather late precommits (CometBFT's
    /// timeout_commit): the next proposer's extended commit carries them.
    std::int64_t commit_us = 50'000;
    /// Period of re-broadcasting this validator's own current messages (lost-message recovery).
    std::int64_t gossip_us = 400'000;
};

/// How the flags in an extended commit decide which pending transactions stay out of the next
/// block (docs/consensus.md, "The flag rule"). Deterministic: it reads only signed, committed
/// votes and the validator set.
struct FlagRule {
    enum class Kind : std::uint8_t {
        kFlaggedStake,  ///< flagged by at least `share` of the total stake
        kMeanScore,     ///< Σ(flagger's stake × its score) / total stake >= `min_mean_score`
    };
    Kind kind = Kind::kFlaggedStake;
    Share share{1, 3};
    std::uint16_t min_mean_score = 3000;  ///< basis points of the stake-weighted score
};

/// Parameters of one chain.
struct ConsensusParams {
    std::uint64_t chain_id = 1;
    Timeouts timeouts;
    /// Which pending transactions the extended commit's flags leave out of the block: by
    /// default those flagged by at least a third of the validator set's stake.
    FlagRule flag_rule;
    /// Most flags one vote extension may carry (an extension is 2 + 34 bytes per flag).
    std::size_t max_extension_flags = 64;
    /// Most transactions one block may announce.
    std::size_t max_candidates = 256;
    /// Most evidence records one block may carry.
    std::size_t max_evidence = 16;
    /// Most bytes of application payload in one block.
    std::size_t max_payload_bytes = 1 << 20;
    /// Share of stake an equivocating validator loses (it is also removed for good).
    Share slash_share{1, 20};
    /// A validator that misses more than `downtime_max_missed` of the last `downtime_window`
    /// commits is jailed (removed until it bonds again).
    std::int64_t downtime_window = 100;
    std::int64_t downtime_max_missed = 50;
    /// Evidence older than this many heights is no longer accepted.
    std::int64_t evidence_max_age = 100;
    /// Messages for rounds further ahead than this are rejected (bounds memory).
    Round max_round_ahead = 64;
    /// Messages for the next height kept until this validator gets there.
    std::size_t max_buffered_messages = 4096;
};

}  // namespace mfd::consensus
