#pragma once
/// The plugin's configuration: the JSON document a host passes to `create`, parsed strictly
/// (every key of docs/plugin.md, unknown keys refused by name). Value types; thread-safe to share.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "models/scorer.hpp"

namespace mfd::plugin {

/// What a hook answers when the model fails or overruns its budget.
enum class FailurePolicy : std::uint8_t {
    kFailOpen,    ///< accept, flag nothing (the transaction is marked degraded)
    kFailClosed,  ///< reject, flag
};

/// The plugin's entry points that have a latency budget and a histogram.
enum class Hook : std::uint8_t {
    kCheckTx,
    kScoreBatch,
    kPrepareProposal,
    kProcessProposal,
    kExtendVote,
    kVerifyVoteExtension,
    kFinalizeBlock,
};
inline constexpr std::size_t kHookCount = 7;

/// "check_tx", "score_batch", ...: the hook's name in the config and in metrics.
[[nodiscard]] std::string_view hook_name(Hook hook) noexcept;

/// The optional JSON-RPC server of an instance.
struct RpcConfig {
    bool enabled = false;
    std::string host = "127.0.0.1";
    std::uint16_t port = 8545;  ///< 0 picks a free port
    std::string token;          ///< bearer token; empty: none required
    std::size_t io_threads = 2;
    std::size_t worker_threads = 2;
};

/// Fault injection for the tests of the failure policy; zero in production.
struct TestingConfig {
    std::chrono::microseconds score_delay{0};  ///< sleep before every model call
    bool score_error = false;                  ///< make every model call throw
};

/// Everything an instance is configured with (docs/plugin.md has the defaults' reasons).
struct PluginConfig {
    std::filesystem::path model;  ///< resolved by resolve_model_path
    models::Device device = models::Device::kAuto;
    std::optional<float> threshold;  ///< overrides the model's thresholds
    double target_fpr = 0.0015;      ///< picks one of the model's thresholds (docs/plugin.md)
    std::array<std::chrono::microseconds, kHookCount> budgets{};  ///< 0: unlimited
    FailurePolicy failure_policy = FailurePolicy::kFailOpen;
    std::filesystem::path data_dir;
    std::uint64_t chain_id = 1;
    std::size_t max_flags = 64;
    bool reject_flagged = false;
    RpcConfig rpc;
    std::size_t workers = 2;            ///< scoring threads
    std::size_t cache_scores = 100000;  ///< local scores (and accounts) kept in memory
    std::size_t max_tx_bytes = 128 * 1024;
    /// Where to write every scored row (fraud/feature_log.hpp); empty: no feature log.
    std::filesystem::path feature_log;
    TestingConfig testing;

    /// The budget of `hook`.
    [[nodiscard]] std::chrono::microseconds budget(Hook hook) const noexcept {
        return budgets[static_cast<std::size_t>(hook)];
    }
};

/// The default budgets in microseconds, by hook.
[[nodiscard]] std::array<std::chrono::microseconds, kHookCount> default_budgets() noexcept;

/// Parses the JSON config. Fails with kInvalidArgument naming the key: malformed JSON, not an
/// object, an unknown key (also inside budgets_us, rpc and testing), a value of the wrong type
/// or outside its range, a missing data_dir, both threshold and target_fpr, or a model file that
/// cannot be found. Thread-safe.
[[nodiscard]] core::Result<PluginConfig> parse_config(std::string_view json);

/// Where a configured model path points: an absolute path as is; a relative one against the
/// working directory when the file exists there, else against the source tree the plugin was
/// built from. Fails with kNotFound naming both places. Thread-safe.
[[nodiscard]] core::Result<std::filesystem::path> resolve_model_path(
    const std::filesystem::path& path);

}  // namespace mfd::plugin
