#pragma once
/// One plugin instance created through a PluginLibrary, with a Result-returning wrapper for every
/// function of the C ABI. Errors carry the call, the fp_status name and the plugin's message,
/// e.g. "create: FP_ERR_CONFIG: config key 'threshold': expected a number in [0, 1], got 2".

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "plugin/loader/plugin_library.hpp"
#include "plugin/loader/plugin_types.hpp"

namespace mfd::plugin {

/// The name of a status ("FP_OK", "FP_ERR_CONFIG", ...). Thread-safe.
[[nodiscard]] std::string_view status_name(fp_status status) noexcept;

/// Owns an fp_plugin (destroyed with this object) and the library it came from. Every member is
/// thread-safe, as the plugin's functions are.
class PluginInstance {
public:
    /// Creates an instance from `config_json`. Fails with kInvalidArgument (FP_ERR_CONFIG,
    /// FP_ERR_INVALID_ARGUMENT), kCorruption (FP_ERR_MODEL), kIo (FP_ERR_STORAGE) or kInternal,
    /// the message saying which key, file or directory.
    [[nodiscard]] static core::Result<std::unique_ptr<PluginInstance>> create(
        std::shared_ptr<const PluginLibrary> library, std::string_view config_json);

    ~PluginInstance();
    PluginInstance(const PluginInstance&) = delete;
    PluginInstance& operator=(const PluginInstance&) = delete;

    // The scoring hooks take the host's state of each transaction's accounts (`state`:
    // none; `states`: empty or one per transaction, else kInvalidArgument), passed through the
    // *_with_state hooks when the plugin has them and dropped when it serves only the first
    // table.

    /// Mempool admission. Fails only on a plugin error (never for bad transaction bytes).
    [[nodiscard]] core::Result<CheckResult> check_tx(core::ByteView raw,
                                                     const TxState* state = nullptr);
    /// Tells the plugin that the host refused `raw` for `why` without scoring it; does nothing
    /// for a plugin without the hook. Fails with the plugin's error (bad bytes, storage).
    [[nodiscard]] core::Result<void> report_refusal(core::ByteView raw, Refusal why);
    /// One score per transaction, in order.
    [[nodiscard]] core::Result<std::vector<TxScore>> score_batch(
        std::span<const core::ByteView> raws, std::span<const TxState> states = {});
    [[nodiscard]] core::Result<ProposalOrder> prepare_proposal(
        std::uint64_t height, std::span<const core::ByteView> raws,
        std::span<const TxState> states = {});
    [[nodiscard]] core::Result<Verdict> process_proposal(std::uint64_t height,
                                                         std::span<const core::ByteView> raws);
    /// At most `cap` flags, ascending by transaction hash.
    [[nodiscard]] core::Result<std::vector<Flag>> extend_vote(std::uint64_t height,
                                                              std::span<const core::ByteView> raws,
                                                              std::size_t cap,
                                                              std::span<const TxState> states = {});
    [[nodiscard]] core::Result<Verdict> verify_vote_extension(const core::Address& validator,
                                                              std::uint64_t height,
                                                              std::span<const Flag> flags);
    /// Fails with kIo (FP_ERR_STORAGE) when the block could not be stored.
    [[nodiscard]] core::Result<void> finalize_block(const BlockInput& block);
    /// Runs a fraud_* method; a method's own error is a QueryResult with ok = false, not a
    /// failure. `params_json` is an array or object ("" for none).
    [[nodiscard]] core::Result<QueryResult> query(std::string_view method,
                                                  std::string_view params_json);
    /// Fails with kCorruption (FP_ERR_MODEL) naming the file; the old model stays then.
    [[nodiscard]] core::Result<void> reload_model(const std::filesystem::path& path);
    /// The instance's metrics in the Prometheus text format.
    [[nodiscard]] core::Result<std::string> metrics_text();
    /// "host:port" of the instance's JSON-RPC server, "" without one.
    [[nodiscard]] core::Result<std::string> rpc_endpoint();

    [[nodiscard]] const PluginLibrary& library() const noexcept { return *library_; }
    /// The raw handle, for calls through library().api().
    [[nodiscard]] fp_plugin* handle() const noexcept { return plugin_; }

private:
    PluginInstance(std::shared_ptr<const PluginLibrary> library, fp_plugin* plugin)
        : library_(std::move(library)), plugin_(plugin) {}
    [[nodiscard]] const fp_api& api() const noexcept { return library_->api(); }
    /// `states` for the plugin when it has the state hooks and there is one per transaction;
    /// else empty (the hooks without state are called).
    [[nodiscard]] std::vector<fp_tx_state> with_states(std::span<const TxState> states,
                                                       std::size_t n) const;
    [[nodiscard]] static core::Unexpected mismatched(std::span<const TxState> states,
                                                     std::span<const core::ByteView> raws);
    /// The error of a call that returned `status`, with the plugin's last message.
    [[nodiscard]] core::Unexpected error(std::string_view call, fp_status status) const;

    std::shared_ptr<const PluginLibrary> library_;
    fp_plugin* plugin_;
};

}  // namespace mfd::plugin
