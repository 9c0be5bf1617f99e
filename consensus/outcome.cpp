#include "consensus/outcome.hpp"

namespace mfd::consensus {

std::string_view outcome_name(Outcome outcome) noexcept {
    static constexpr std::array<std::string_view, kOutcomeCount> kNames = {
        "accepted",
        "buffered",
        "late",
        "wrong_chain",
        "wrong_height",
        "round_too_far",
        "unknown_validator",
        "bad_signature",
        "duplicate",
        "oversized_extension",
        "extension_rejected",
        "not_proposer",
        "conflicting_proposal",
        "invalid_block",
        "invalid_evidence",
        "invalid_decision",
        "equivocation",
        "buffer_full",
        "malformed",
    };
    const auto i = static_cast<std::size_t>(outcome);
    return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

std::uint64_t EngineStats::rejected() const noexcept {
    std::uint64_t n = 0;
    for (std::size_t i = static_cast<std::size_t>(Outcome::kWrongChain); i < kOutcomeCount; ++i) {
        n += messages[i];
    }
    return n;
}

}  // namespace mfd::consensus
