#pragma once
/// The progress line of a run on stderr: a bar redrawn in place on a terminal, a plain line
/// every tenth of the way otherwise. Not thread-safe.

#include <chrono>
#include <cstdint>

namespace mfd::chain::sim {

class Progress {
public:
    /// Shows progress towards `total` blocks; `enabled` false shows nothing.
    Progress(std::uint64_t total, bool enabled);
    /// Redraws (at most 5 times a second) with `done` blocks and `txs` executed.
    void update(std::uint64_t done, std::uint64_t txs);
    /// Ends the line.
    void finish(std::uint64_t done, std::uint64_t txs);

private:
    void draw(std::uint64_t done, std::uint64_t txs);

    std::uint64_t total_;
    bool enabled_;
    bool tty_;
    std::uint64_t last_tenth_ = 0;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace mfd::chain::sim
