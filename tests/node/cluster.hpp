#pragma once
/// A small network of real validator nodes for the tests: 4 nodes with their chains in RocksDB
/// under a temporary directory, a detector of the test's choosing, a short generated traffic,
/// and the simulation's event loop.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_set>
#include <vector>

#include "chain_sim/sim/driver.hpp"
#include "chain_sim/sim/traffic.hpp"
#include "chain_sim/sim/validators.hpp"
#include "tests/support/temp_dir.hpp"

namespace mfd::chain::test {

/// A fresh directory under the system's temporary one, removed on destruction.
using mfd::test::TempDir;

/// The traffic every cluster test uses: 40 accounts, `txs` transactions, seed 1.
[[nodiscard]] const sim::Traffic& small_traffic(std::size_t txs = 300);

class Cluster {
public:
    /// Opens (or resumes) 4 validators in `dir` whose detectors come from `hooks` (null: none),
    /// or the real plugin library `plugin`, and schedules `traffic` (transactions already in
    /// validator 0's chain are skipped).
    Cluster(const std::filesystem::path& dir, const sim::Traffic& traffic,
            std::function<std::shared_ptr<node::FraudHooks>(std::size_t)> hooks,
            std::uint64_t seed = 7, sim::ByzantineSpec byzantine = {},
            std::optional<std::filesystem::path> plugin = std::nullopt);

    /// Steps until every validator reached `height` or the loop runs dry; false on a dry loop
    /// or a node failure.
    [[nodiscard]] bool run_to(std::uint64_t height);
    [[nodiscard]] sim::Validators& validators() { return *validators_; }
    [[nodiscard]] sim::Driver& driver() { return *driver_; }
    [[nodiscard]] node::Node& node(std::size_t i) { return validators_->node(i); }
    /// Every block validator 0 committed, in order.
    [[nodiscard]] const std::vector<node::BlockOutcome>& blocks() const { return blocks_; }

private:
    std::unique_ptr<sim::Validators> validators_;
    std::unique_ptr<sim::Driver> driver_;
    std::vector<node::BlockOutcome> blocks_;
};

}  // namespace mfd::chain::test
