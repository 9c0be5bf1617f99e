#pragma once
/// What a node asks of its fraud detector, shaped as the plugin's C ABI (plugin/fraud_plugin.h)
/// and using the loader's value types. The node calls it through this interface so that the
/// real plugin (PluginHooks, through dlopen) and a deterministic stand-in for tests
/// (ListedHooks) are interchangeable. Implementations must be thread-safe as the plugin is.

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "plugin/loader/plugin_instance.hpp"
#include "plugin/loader/plugin_types.hpp"

namespace mfd::chain::node {

class FraudHooks {
public:
    virtual ~FraudHooks() = default;

    // `state`/`states`: the chain's state of each transaction's sender and recipient (none, or
    // one per transaction).
    /// Mempool admission of one raw transaction: verdict, score and reason. Fails only when the
    /// detector itself fails (never for bad bytes).
    [[nodiscard]] virtual core::Result<plugin::CheckResult> check_tx(
        core::ByteView raw, const plugin::TxState* state) = 0;
    /// The node refused `raw` at admission for `why`, before check_tx. Fails only when the
    /// detector itself fails.
    [[nodiscard]] virtual core::Result<void> report_refusal(core::ByteView raw,
                                                            plugin::Refusal why) = 0;
    /// The proposer's ordering of candidates and which ones to announce.
    [[nodiscard]] virtual core::Result<plugin::ProposalOrder> prepare_proposal(
        std::uint64_t height, std::span<const core::ByteView> raws,
        std::span<const plugin::TxState> states) = 0;
    /// The deterministic check of a proposed block's announced transactions.
    [[nodiscard]] virtual core::Result<plugin::Verdict> process_proposal(
        std::uint64_t height, std::span<const core::ByteView> raws) = 0;
    /// This validator's flags on the candidates: at most `cap`, ascending by hash.
    [[nodiscard]] virtual core::Result<std::vector<plugin::Flag>> extend_vote(
        std::uint64_t height, std::span<const core::ByteView> raws, std::size_t cap,
        std::span<const plugin::TxState> states) = 0;
    /// Another validator's flags, already well-formed for the engine.
    [[nodiscard]] virtual core::Result<plugin::Verdict> verify_vote_extension(
        const core::Address& validator, std::uint64_t height,
        std::span<const plugin::Flag> flags) = 0;
    /// A committed block; heights at or below the last one applied are skipped.
    [[nodiscard]] virtual core::Result<void> finalize_block(const plugin::BlockInput& block) = 0;
};

/// The real plugin: forwards every call to a PluginInstance (its functions are thread-safe).
class PluginHooks final : public FraudHooks {
public:
    explicit PluginHooks(std::shared_ptr<plugin::PluginInstance> instance)
        : instance_(std::move(instance)) {}

    [[nodiscard]] core::Result<plugin::CheckResult> check_tx(core::ByteView raw,
                                                             const plugin::TxState* state) override;
    [[nodiscard]] core::Result<void> report_refusal(core::ByteView raw,
                                                    plugin::Refusal why) override;
    [[nodiscard]] core::Result<plugin::ProposalOrder> prepare_proposal(
        std::uint64_t height, std::span<const core::ByteView> raws,
        std::span<const plugin::TxState> states) override;
    [[nodiscard]] core::Result<plugin::Verdict> process_proposal(
        std::uint64_t height, std::span<const core::ByteView> raws) override;
    [[nodiscard]] core::Result<std::vector<plugin::Flag>> extend_vote(
        std::uint64_t height, std::span<const core::ByteView> raws, std::size_t cap,
        std::span<const plugin::TxState> states) override;
    [[nodiscard]] core::Result<plugin::Verdict> verify_vote_extension(
        const core::Address& validator, std::uint64_t height,
        std::span<const plugin::Flag> flags) override;
    [[nodiscard]] core::Result<void> finalize_block(const plugin::BlockInput& block) override;

    /// The instance, for queries and metrics.
    [[nodiscard]] const std::shared_ptr<plugin::PluginInstance>& instance() const noexcept {
        return instance_;
    }

private:
    std::shared_ptr<plugin::PluginInstance> instance_;
};

/// A stand-in detector for tests: flags (score 9000) exactly the transactions whose hashes it
/// was given, accepts everything that decodes, keeps the proposer's order and records the
/// heights it finalised and the refusals reported. Thread-safe after construction (both lists take
/// a lock).
class ListedHooks final : public FraudHooks {
public:
    explicit ListedHooks(std::unordered_set<core::Hash> flagged) : flagged_(std::move(flagged)) {}

    [[nodiscard]] core::Result<plugin::CheckResult> check_tx(core::ByteView raw,
                                                             const plugin::TxState* state) override;
    [[nodiscard]] core::Result<void> report_refusal(core::ByteView raw,
                                                    plugin::Refusal why) override;
    [[nodiscard]] core::Result<plugin::ProposalOrder> prepare_proposal(
        std::uint64_t height, std::span<const core::ByteView> raws,
        std::span<const plugin::TxState> states) override;
    [[nodiscard]] core::Result<plugin::Verdict> process_proposal(
        std::uint64_t height, std::span<const core::ByteView> raws) override;
    [[nodiscard]] core::Result<std::vector<plugin::Flag>> extend_vote(
        std::uint64_t height, std::span<const core::ByteView> raws, std::size_t cap,
        std::span<const plugin::TxState> states) override;
    [[nodiscard]] core::Result<plugin::Verdict> verify_vote_extension(
        const core::Address& validator, std::uint64_t height,
        std::span<const plugin::Flag> flags) override;
    [[nodiscard]] core::Result<void> finalize_block(const plugin::BlockInput& block) override;

    /// Heights passed to finalize_block, in call order. Thread-safe.
    [[nodiscard]] std::vector<std::uint64_t> finalized() const;
    /// Hashes and reasons passed to report_refusal, in call order. Thread-safe.
    [[nodiscard]] std::vector<std::pair<core::Hash, plugin::Refusal>> refused() const;

private:
    std::unordered_set<core::Hash> flagged_;
    mutable std::mutex mu_;
    std::vector<std::uint64_t> finalized_;
    std::vector<std::pair<core::Hash, plugin::Refusal>> refused_;
};

}  // namespace mfd::chain::node
