#pragma once
/// A validator node: its chain in its own RocksDB, its mempool, its consensus engine and its
/// fraud plugin (NodeApp wires them). The host (the simulation, or a networked node) feeds it
/// consensus messages, timer events and transactions, and carries out the Effects it returns.
/// Reopening a data directory resumes: the committed decisions stored in the chain's blocks are
/// replayed into a fresh engine, which then continues at the next height with the committed
/// validator set. Not thread-safe: one thread drives a node.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "chain_sim/node/node_app.hpp"
#include "consensus/engine.hpp"
#include "storage/rocks_store.hpp"

namespace mfd::chain::node {

class Node {
public:
    /// Opens (creating) the chain in config.data_dir and builds the engine. `cache` and
    /// `verifier` are shared with the other nodes of the process and must outlive the node;
    /// `hooks` may be null (no detector). Fails with the store's error (kUnavailable when
    /// another process holds the directory), Chain::open's (kInvalidArgument for a directory of
    /// another chain) or Engine::create's.
    [[nodiscard]] static core::Result<std::unique_ptr<Node>> open(
        NodeConfig config, std::shared_ptr<FraudHooks> hooks, CheckedTxCache& cache,
        consensus::SignatureVerifier& verifier);

    ~Node();
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    /// Replays the decisions of the committed blocks (blocks the plugin missed are finalised
    /// for it again), then starts the engine at the next height. `out` receives what the host
    /// must do now; replayed commits are not in it. Call once, before anything else. Fails with
    /// kCorruption when a stored decision is refused by the engine.
    [[nodiscard]] core::Result<void> start(consensus::Effects& out);
    /// Hands one message to the engine.
    consensus::Outcome on_message(const consensus::Message& message, consensus::Effects& out);
    /// Fires one timer the node asked for.
    void on_timeout(const consensus::TimeoutRequest& timeout, consensus::Effects& out);
    /// Mempool admission of a raw transaction (NodeApp::admit).
    [[nodiscard]] Admission admit(core::ByteView raw) { return app_->admit(raw); }

    /// The host's clock, used for block timestamps.
    void set_time_ms(std::uint64_t now_ms) noexcept { app_->set_time_ms(now_ms); }
    /// Called after each block committed (NodeApp::set_observer).
    void set_observer(std::function<void(const BlockOutcome&)> observer) {
        app_->set_observer(std::move(observer));
    }

    [[nodiscard]] const NodeConfig& config() const noexcept { return config_; }
    [[nodiscard]] const Chain& chain() const noexcept { return *chain_; }
    [[nodiscard]] const core::KvStore& store() const noexcept { return *store_; }
    [[nodiscard]] const Mempool& mempool() const noexcept { return *mempool_; }
    [[nodiscard]] const consensus::Engine& engine() const noexcept { return *engine_; }
    [[nodiscard]] const NodeApp& app() const noexcept { return *app_; }
    [[nodiscard]] const NodeStats& stats() const noexcept { return stats_; }
    /// The validator's address (none for an observer).
    [[nodiscard]] const std::optional<core::Address>& address() const noexcept {
        return engine_->address();
    }
    /// The chain height found when the node was opened (0 for a new directory).
    [[nodiscard]] std::uint64_t opened_at() const noexcept { return opened_at_; }
    /// The first store failure while committing: the node then stops committing blocks.
    [[nodiscard]] const std::optional<core::Error>& failure() const noexcept {
        return app_->failure();
    }

private:
    explicit Node(NodeConfig config) : config_(std::move(config)) {}
    [[nodiscard]] core::Result<void> replay(consensus::Effects& out);
    template <class F>
    void timed(F&& f);

    NodeConfig config_;
    NodeStats stats_;
    std::unique_ptr<storage::RocksStore> store_;
    std::unique_ptr<Chain> chain_;
    std::unique_ptr<Mempool> mempool_;
    std::unique_ptr<NodeApp> app_;
    std::unique_ptr<consensus::Engine> engine_;
    std::uint64_t opened_at_ = 0;
};

}  // namespace mfd::chain::node
