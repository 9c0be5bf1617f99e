#pragma once
/// Drives N engines over a perfect network (no latency, no loss, FIFO, zero simulated time
/// per message) to measure the engine alone: only timers advance the simulated clock.

#include <cstdint>
#include <deque>
#include <memory>
#include <queue>
#include <vector>

#include "consensus/engine.hpp"

namespace mfd::bench {

/// Counts of one run.
struct DriverCounts {
    std::uint64_t messages = 0;    ///< messages sent (a broadcast counts once)
    std::uint64_t deliveries = 0;  ///< messages handed to an engine
    std::uint64_t signatures = 0;
};

class EngineDriver {
public:
    /// `validators` engines with equal power and an application that proposes empty blocks.
    explicit EngineDriver(std::size_t validators);
    ~EngineDriver();

    /// Runs until every engine committed `heights` more heights.
    void run_heights(consensus::Height heights);
    [[nodiscard]] const DriverCounts& counts() const noexcept { return counts_; }
    [[nodiscard]] consensus::CachingVerifier& verifier() noexcept { return verifier_; }
    [[nodiscard]] consensus::Height min_height() const;

private:
    struct Timer {
        std::int64_t at;
        std::uint64_t seq;
        std::size_t node;
        consensus::TimeoutRequest request;
        bool operator>(const Timer& o) const { return at != o.at ? at > o.at : seq > o.seq; }
    };
    void process(std::size_t node);

    consensus::CachingVerifier verifier_;
    std::vector<std::unique_ptr<consensus::Application>> apps_;
    std::vector<std::unique_ptr<consensus::Engine>> engines_;
    std::vector<core::Address> addresses_;
    std::deque<std::pair<std::size_t, consensus::Send>> queue_;
    std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
    consensus::Effects scratch_;
    std::int64_t now_ = 0;
    std::uint64_t seq_ = 0;
    DriverCounts counts_;
};

}  // namespace mfd::bench
