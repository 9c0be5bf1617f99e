#pragma once
/// What the engine asks of its host after each call: messages to send, timers to set, blocks it
/// committed. The engine never does I/O or reads a clock; the host (a node, or the simulation)
/// carries these out. Plain values.

#include <cstdint>
#include <optional>
#include <vector>

#include "consensus/chain_state.hpp"
#include "consensus/message.hpp"

namespace mfd::consensus {

/// The timers of Tendermint (arXiv:1807.04938) plus commit wait and gossip.
enum class TimeoutKind : std::uint8_t { kPropose, kPrevote, kPrecommit, kCommit, kGossip };

/// "Call on_timeout(this) after delay_us."
struct TimeoutRequest {
    TimeoutKind kind = TimeoutKind::kPropose;
    Height height = 0;
    Round round = 0;
    std::int64_t delay_us = 0;
};

/// A message to send: to one validator, or to all (`to` empty).
struct Send {
    std::optional<core::Address> to;
    Message message;
};

/// A block this engine committed, with what applying it did.
struct CommitRecord {
    Height height = 0;
    Round round = 0;
    BlockPtr block;
    CommitSummary summary;
};

/// Everything one engine call produced, appended in order.
struct Effects {
    std::vector<Send> sends;
    std::vector<TimeoutRequest> timeouts;
    std::vector<CommitRecord> commits;

    void clear() noexcept {
        sends.clear();
        timeouts.clear();
        commits.clear();
    }
};

}  // namespace mfd::consensus
