#pragma once
/// The application a validator's consensus engine drives (consensus::Application): the chain,
/// its mempool and the fraud plugin behind the ABCI++-shaped hooks. Block h announces
/// candidates (their raw bytes in the payload); the precommits for h carry this validator's
/// flags on them (the plugin's extend_vote); block h + 1 executes them minus those the flag
/// rule left out: finalize_block builds the chain block from them in announced order (a
/// transaction invalid by then is skipped, deterministically), commits it with the encoded
/// consensus decision in one RocksDB batch, tells the plugin, and prunes the mempool.
/// Not thread-safe: the node's driving thread makes every call.

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "chain_sim/chain.hpp"
#include "chain_sim/mempool.hpp"
#include "chain_sim/node/block_payload.hpp"
#include "chain_sim/node/checked_tx_cache.hpp"
#include "chain_sim/node/fraud_hooks.hpp"
#include "chain_sim/node/node_config.hpp"
#include "chain_sim/node/node_stats.hpp"
#include "consensus/application.hpp"
#include "consensus/message.hpp"

namespace mfd::chain::node {

/// The verdict of mempool admission.
struct Admission {
    bool accepted = false;
    core::Hash hash;
    /// Why it was refused: the chain's or the stateless rules' reason, or kInvalidArgument
    /// with the plugin's reason in `reason` ("FLAGGED", "TIMEOUT", ...).
    core::Errc code = core::Errc::kOk;
    std::string reason;          ///< reason name and detail; empty when accepted
    bool flagged = false;        ///< the plugin's local flag
    std::uint16_t score_bp = 0;  ///< the plugin's score in basis points
};

/// A transaction this node refused at admission, remembered for wallets that ask.
struct Refusal {
    core::Errc code = core::Errc::kOk;
    std::string reason;          ///< reason name and detail
    bool flagged = false;        ///< the plugin's local flag
    std::uint16_t score_bp = 0;  ///< the plugin's score in basis points (0 when not scored)
};

/// What one committed block did, for the node's host.
struct BlockOutcome {
    std::uint64_t height = 0;
    std::uint64_t timestamp_ms = 0;
    core::Hash hash;  ///< the chain block's hash
    core::Address proposer;
    consensus::Round round = 0;
    std::vector<core::Hash> included;              ///< executed, in block order
    std::vector<SkippedTx> skipped;                ///< announced earlier, invalid now
    std::vector<core::Hash> announced;             ///< this block's candidates
    std::vector<consensus::AggregatedFlag> flags;  ///< committed flags on the parent's candidates
    std::vector<consensus::Misbehaviour> slashed;
    std::vector<core::Address> jailed;
};

class NodeApp final : public consensus::Application {
public:
    /// An application over `chain` (committed in `store`) and `mempool`, which must outlive
    /// it, checking transactions through `cache` and scoring them with `hooks` (null: no
    /// detector, nothing is flagged).
    NodeApp(const NodeConfig& config, const core::KvStore& store, Chain& chain, Mempool& mempool,
            CheckedTxCache& cache, std::shared_ptr<FraudHooks> hooks, NodeStats& stats);

    /// Mempool admission: stateless rules (cached), the chain's admission rules, the plugin's
    /// check_tx, then the mempool. A plugin failure admits the transaction (counted).
    [[nodiscard]] Admission admit(core::ByteView raw);

    consensus::Verdict check_tx(core::ByteView tx) override;
    consensus::ProposalContent prepare_proposal(const consensus::ProposalContext& ctx) override;
    consensus::Verdict process_proposal(const consensus::Block& block) override;
    std::vector<consensus::FraudFlag> extend_vote(const consensus::Block& block) override;
    consensus::Verdict verify_vote_extension(const core::Address& validator,
                                             consensus::Height height,
                                             std::span<const consensus::FraudFlag> flags) override;
    consensus::FinalizeResult finalize_block(const consensus::FinalizedBlock& block) override;

    /// The host's clock in milliseconds (proposal timestamps).
    void set_time_ms(std::uint64_t now_ms) noexcept { now_ms_ = now_ms; }
    /// Where finalize_block finds the decision (block + commit) of a height it applies.
    void set_decision_source(std::function<consensus::DecisionPtr(consensus::Height)> source) {
        decision_source_ = std::move(source);
    }
    /// Called after each block this node commits (not for blocks replayed at restart).
    void set_observer(std::function<void(const BlockOutcome&)> observer) {
        observer_ = std::move(observer);
    }
    /// The first store failure met while committing; the node stops committing after it.
    [[nodiscard]] const std::optional<core::Error>& failure() const noexcept { return failure_; }
    /// The nonce the next transaction of `sender` should carry: past the pooled ones that follow
    /// its account nonce without a gap.
    [[nodiscard]] core::Result<std::uint64_t> pending_nonce(const core::Address& sender) const;
    /// The raw bytes of a pooled transaction, or null. The pointer lives until the next call
    /// that changes the mempool.
    [[nodiscard]] const core::Bytes* pooled_raw(const core::Hash& hash) const {
        const auto it = pooled_raw_.find(hash);
        return it == pooled_raw_.end() || !mempool_.contains(hash) ? nullptr : &it->second;
    }
    /// Why the transaction with `hash` was refused at admission, among the last kMaxRefusals
    /// refusals (one admitted since is forgotten).
    [[nodiscard]] std::optional<Refusal> refusal(const core::Hash& hash) const {
        const auto it = refusals_.find(hash);
        return it == refusals_.end() ? std::nullopt : std::optional<Refusal>(it->second);
    }
    static constexpr std::size_t kMaxRefusals = 50'000;
    /// The process-wide cache of stateless checks this node uses.
    [[nodiscard]] CheckedTxCache& cache() const noexcept { return cache_; }
    /// The fraud detector (may be null).
    [[nodiscard]] const std::shared_ptr<FraudHooks>& hooks() const noexcept { return hooks_; }

private:
    struct Selection {
        std::vector<core::CheckedTransaction> txs;
        std::vector<core::Bytes> raws;  ///< parallel to txs
    };

    /// The chain's committed state of `tx`'s sender and recipient, for the plugin.
    [[nodiscard]] plugin::TxState state_of(const core::CheckedTransaction& tx) const;
    [[nodiscard]] std::vector<plugin::TxState> states_of(std::span<const core::ByteView> raws);
    [[nodiscard]] Selection select_candidates(const consensus::ProposalContext& ctx);
    void order_by_plugin(std::uint64_t height, Selection& selection);
    [[nodiscard]] std::vector<core::CheckedTransaction> executed_txs(
        const consensus::FinalizedBlock& fb);
    void commit_block(const consensus::FinalizedBlock& fb, const ProposalPayload& payload);
    void replay_block(const consensus::FinalizedBlock& fb);
    void notify_plugin(const consensus::FinalizedBlock& fb, std::uint64_t time_ms,
                       const core::Hash& hash, std::span<const core::ByteView> executed);
    void prune_mempool(const consensus::FinalizedBlock& fb, const BuiltBlock& built);
    void report(const consensus::FinalizedBlock& fb, const BuiltBlock& built);
    void remember_pending(const consensus::Block& block, const ProposalPayload& payload);
    [[nodiscard]] core::Bytes decision_bytes(consensus::Height height) const;
    void note_plugin_error(const core::Error& error);

    const NodeConfig& config_;
    const core::KvStore& store_;
    Chain& chain_;
    Mempool& mempool_;
    CheckedTxCache& cache_;
    std::shared_ptr<FraudHooks> hooks_;
    NodeStats& stats_;
    std::uint64_t now_ms_ = 0;
    std::function<consensus::DecisionPtr(consensus::Height)> decision_source_;
    std::function<void(const BlockOutcome&)> observer_;
    std::optional<core::Error> failure_;
    /// Raw bytes of pooled transactions (entries of evicted ones are swept after each block).
    std::unordered_map<core::Hash, core::Bytes> pooled_raw_;
    /// The last committed block's candidates: what the next block executes.
    std::unordered_map<core::Hash, core::Bytes> pending_raw_;
    std::unordered_map<core::Hash, std::uint32_t> announcements_;
    std::unordered_map<core::Hash, Refusal> refusals_;
    std::deque<core::Hash> refusal_order_;
    void remember_refusal(const Admission& a);
    /// Tells the detector that the chain's rules refused `raw` with `code` (report_refusal).
    void report_refusal(core::ByteView raw, core::Errc code);
};

}  // namespace mfd::chain::node
