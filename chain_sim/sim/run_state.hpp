#pragma once
/// The file <data-dir>/run.json: what made the chains of a data directory (validators, seed,
/// traffic), so that a restart with other options is refused instead of mixing chains.

#include <filesystem>
#include <nlohmann/json.hpp>

#include "chain_sim/sim/run_options.hpp"
#include "core/result.hpp"

namespace mfd::chain::sim {

/// The options that must not change across restarts of one data directory.
[[nodiscard]] nlohmann::json run_identity(const RunOptions& options);

/// Writes run.json on first use; on a later start compares it with `identity`. Fails with
/// kInvalidArgument naming the first option that differs, kCorruption for an unreadable file,
/// kIo when it cannot be written. Thread-safe as the file system is.
[[nodiscard]] core::Result<void> check_run_state(const std::filesystem::path& data_dir,
                                                 const nlohmann::json& identity);

/// Records in run.json (replaced atomically) that every validator's stores were opened: from
/// then on, a validator whose chain store is missing is refused by check_run_state. Before
/// it, a missing store is one that a process killed during the first open never created.
/// Fails with kIo when the file cannot be written.
[[nodiscard]] core::Result<void> mark_run_started(const std::filesystem::path& data_dir,
                                                  const nlohmann::json& identity);

}  // namespace mfd::chain::sim
