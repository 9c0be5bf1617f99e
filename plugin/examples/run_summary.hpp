#pragma once
/// What the example host counts while it streams transactions through check_tx, and the summary
/// it prints. Not thread-safe (one stream).

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "plugin/loader/plugin_types.hpp"

namespace mfd::plugin::example {

class RunSummary {
public:
    /// Counts one verdict that took `latency_us` as the host measured it.
    void add(const CheckResult& result, double latency_us);
    /// Counts a line that is not a transaction at all (bad hex), by its reason.
    void add_unreadable(const std::string& reason);
    /// Counts a finalised block.
    void add_block() noexcept { ++blocks_; }

    /// Totals, rejections by reason, flagged and degraded counts, latency p50/p99/max.
    void print(std::ostream& out, double seconds) const;

    [[nodiscard]] std::uint64_t total() const noexcept { return total_; }
    [[nodiscard]] std::uint64_t accepted() const noexcept { return accepted_; }
    [[nodiscard]] std::uint64_t flagged() const noexcept { return flagged_; }

private:
    std::uint64_t total_ = 0;
    std::uint64_t accepted_ = 0;
    std::uint64_t flagged_ = 0;
    std::uint64_t degraded_ = 0;
    std::uint64_t blocks_ = 0;
    std::map<std::string, std::uint64_t> rejected_;
    std::vector<double> latencies_us_;
};

/// The q-quantile (0..1) of `values` by nearest rank; 0 for none. Sorts a copy.
[[nodiscard]] double quantile(std::vector<double> values, double q);

}  // namespace mfd::plugin::example
