#pragma once
/// What the engine did with a message, and the counters it keeps of that. Plain values.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mfd::consensus {

/// The fate of one incoming message. Everything from kWrongChain on is a rejection.
enum class Outcome : std::uint8_t {
    kAccepted,             ///< recorded and acted upon
    kBuffered,             ///< for the next height: kept until this validator gets there
    kLate,                 ///< for a height or step already decided: ignored
    kWrongChain,           ///< another chain id
    kWrongHeight,          ///< a height this validator cannot use (too far ahead)
    kRoundTooFar,          ///< a round beyond max_round_ahead
    kUnknownValidator,     ///< the signer is not in the validator set of that height
    kBadSignature,         ///< the signature does not come from the claimed signer
    kDuplicate,            ///< already received
    kOversizedExtension,   ///< more flags than max_extension_flags
    kExtensionRejected,    ///< verify_vote_extension said REJECT
    kNotProposer,          ///< a proposal from someone who is not that round's proposer
    kConflictingProposal,  ///< a second, different proposal for one round
    kInvalidBlock,         ///< a proposal whose block fails validation
    kInvalidEvidence,      ///< evidence that does not verify
    kInvalidDecision,      ///< a decision whose commit or block does not verify
    kEquivocation,         ///< a conflicting vote: turned into evidence, not counted
    kBufferFull,           ///< next-height buffer full
    kMalformed,            ///< bytes that do not decode (counted by the transport)
};

inline constexpr std::size_t kOutcomeCount = static_cast<std::size_t>(Outcome::kMalformed) + 1;

/// A short lower-case name, e.g. "bad_signature".
[[nodiscard]] std::string_view outcome_name(Outcome outcome) noexcept;

/// Counters of one engine.
struct EngineStats {
    std::array<std::uint64_t, kOutcomeCount> messages{};
    std::uint64_t signatures_made = 0;
    std::uint64_t blocks_validated = 0;
    std::uint64_t invalid_blocks = 0;
    std::uint64_t rounds_started = 0;
    std::uint64_t heights_committed = 0;

    [[nodiscard]] std::uint64_t count(Outcome o) const noexcept {
        return messages[static_cast<std::size_t>(o)];
    }
    /// All rejections together.
    [[nodiscard]] std::uint64_t rejected() const noexcept;
};

}  // namespace mfd::consensus
