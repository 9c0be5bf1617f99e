#pragma once
/// One plugin instance behind the C ABI: the detector with its hot-swappable model, the data
/// directory (account histories, consensus outcomes, findings), the scoring workers with their
/// deadlines, the local score cache, the metrics and the optional JSON-RPC server. The C layer
/// (c_api.cpp) checks arguments, catches exceptions and converts; everything here assumes valid
/// arguments. Thread-safe: every member may be called concurrently, except destruction.

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/transaction_rules.hpp"
#include "core/tx_event.hpp"
#include "fraud/account_stats.hpp"
#include "fraud/feature_extractor.hpp"
#include "plugin/deadline_runner.hpp"
#include "plugin/fraud_plugin.h"
#include "plugin/lru_map.hpp"
#include "plugin/model_slot.hpp"
#include "plugin/outcome_records.hpp"
#include "plugin/plugin_config.hpp"
#include "plugin/plugin_metrics.hpp"
#include "plugin/rpc/dispatcher.hpp"
#include "plugin/rpc/server.hpp"

namespace mfd::storage {
class RocksStore;
}

namespace mfd::plugin {

class FeatureLogSink;

/// One transaction as this instance scored it (what fraud_getScore reports locally).
struct LocalScore {
    core::Hash tx_hash;
    fraud::Score score;
    bool degraded = false;
    core::Errc validity = core::Errc::kOk;  ///< the stateless verdict
    std::optional<core::Address> sender;
    std::optional<core::Address> to;
    std::uint32_t latency_us = 0;
    std::string_view origin;   ///< the hook or "rpc" that first scored it (static strings)
    std::int64_t seen_ms = 0;  ///< wall clock
    /// The service's event count when its features were read: what the detector learnt with a
    /// higher count (a refusal, FraudService::refused_since) is newer than this score.
    std::uint64_t seq = 0;
    std::shared_ptr<const std::string> model_version;
};

/// What this instance knows of an account's risk.
struct AccountRisk {
    std::uint32_t scored = 0;   ///< distinct transactions it sent that were scored here
    std::uint32_t flagged = 0;  ///< ... of which flagged locally
    float max_probability = 0;
    float last_probability = 0;
    double logit_sum = 0;
    core::Hash last_tx;
};

/// An account's risk with its committed history, for fraud_getAccountRisk.
struct AccountReport {
    std::optional<AccountRisk> local;
    std::optional<fraud::AccountStats> history;  ///< from the account_history column
    AccountFlags committed;
};

/// The answer of a query: the result or the JSON-RPC error object, as JSON text.
struct QueryAnswer {
    bool ok = false;
    std::string json;
};

class FraudService {
public:
    /// Opens the data directory, loads the model, starts the workers and (when configured) the
    /// JSON-RPC server. Fails with the error of the part that failed, and sets `failed` to its
    /// status: FP_ERR_STORAGE (data directory), FP_ERR_MODEL (the message names the file),
    /// FP_ERR_CONFIG (the RPC address cannot be bound) or FP_ERR_INTERNAL.
    [[nodiscard]] static core::Result<std::unique_ptr<FraudService>> create(PluginConfig config,
                                                                            fp_status& failed);
    /// Stops the server and the workers (waiting for tasks that are running), closes the store.
    ~FraudService();
    FraudService(const FraudService&) = delete;
    FraudService& operator=(const FraudService&) = delete;

    // Hooks: fraud_plugin.h documents each one's behaviour; none fails on transaction bytes.
    // `contexts` is empty (the host passed no state: the state group is masked) or holds one
    // per transaction.
    /// Mempool admission of `raw` into `out` within the check_tx budget.
    void check_tx(core::ByteView raw, const fraud::TxContext& context, fp_check_result& out);
    /// One score per transaction into `out` (same size as `raws`).
    void score_batch(std::span<const core::ByteView> raws,
                     std::span<const fraud::TxContext> contexts, std::span<fp_score> out);
    /// Ranks the candidates (lowest score first) into `order` and says which to `keep`.
    void prepare_proposal(std::span<const core::ByteView> raws,
                          std::span<const fraud::TxContext> contexts,
                          std::span<std::uint32_t> order, std::span<std::uint8_t> keep);
    /// ACCEPT when every transaction decodes, fits and passes the stateless rules.
    [[nodiscard]] fp_verdict process_proposal(std::span<const core::ByteView> raws);
    /// The flags of the locally flagged candidates, at most min(cap, max_flags), by hash.
    [[nodiscard]] std::vector<fp_flag> extend_vote(std::span<const core::ByteView> raws,
                                                   std::span<const fraud::TxContext> contexts,
                                                   std::size_t cap);
    /// ACCEPT for well-formed flags (height, count, order, score range).
    [[nodiscard]] fp_verdict verify_vote_extension(std::uint64_t height,
                                                   std::span<const fp_flag> flags);
    /// Fails with the store's error (nothing of the block kept) or kInvalidArgument.
    [[nodiscard]] core::Result<void> finalize_block(const fp_block& block);
    /// The host refused `raw` for `reason` (FP_REFUSED_*). A nonce-too-low refusal of a
    /// transaction no committed block executed counts against its sender (the detector's
    /// stale-refusal count, written with the next block); other reasons, and a re-broadcast of
    /// an executed transaction, change nothing. Fails with kInvalidArgument for an unknown
    /// reason or bytes over max_tx_bytes, the decoder's error, or the store's.
    [[nodiscard]] core::Result<void> report_refusal(core::ByteView raw, std::uint32_t reason);
    /// Fails with read_model_file's or bind_model's error; the old model stays then.
    [[nodiscard]] core::Result<void> reload_model(const std::filesystem::path& path);
    /// Runs a JSON-RPC method through the dispatcher (params_json empty: no params).
    [[nodiscard]] QueryAnswer query(std::string_view method, std::string_view params_json) const;
    /// The metrics in the Prometheus text format.
    [[nodiscard]] std::string metrics_text() const { return registry_.render(); }
    /// "host:port" of the server, "" without one.
    [[nodiscard]] std::string rpc_endpoint() const;

    // What the JSON-RPC methods read (fraud_methods.cpp).
    /// Decodes and scores `raw` on the calling thread. Fails with the decoder's error.
    [[nodiscard]] core::Result<LocalScore> score_raw(core::ByteView raw);
    /// The score this instance keeps for `tx`, if any.
    [[nodiscard]] std::optional<LocalScore> local_score(const core::Hash& tx) const;
    /// The committed outcome of `tx`; std::nullopt when no block mentioned it. Store errors.
    [[nodiscard]] core::Result<std::optional<TxOutcome>> outcome(const core::Hash& tx) const;
    /// Findings of heights from..to (inclusive). kLimitExceeded over kMaxFlagRange blocks or
    /// kMaxFindings findings; store errors.
    [[nodiscard]] core::Result<std::vector<Finding>> findings(std::uint64_t from,
                                                              std::uint64_t to) const;
    /// The local risk, committed flags and history of `address`; store errors.
    [[nodiscard]] core::Result<AccountReport> account(const core::Address& address) const;
    /// The model in force (valid for the caller after a reload).
    [[nodiscard]] std::shared_ptr<ModelState> model() const { return models_->current(); }
    /// The last block applied.
    [[nodiscard]] Head head() const;
    [[nodiscard]] const PluginConfig& config() const noexcept { return config_; }
    /// Successful reloads since creation.
    [[nodiscard]] std::uint64_t reloads() const noexcept { return reloads_.load(); }
    /// Sets the utilisation gauges from the current model's tally.
    void refresh_utilisation();

    /// Decoded transactions kept for the next hook (check_tx to finalize_block spans a mempool's
    /// worth, not history): at most this many, fewer when cache_scores is smaller.
    static constexpr std::size_t kMaxDecoded = 20'000;
    static constexpr std::uint64_t kMaxFlagRange = 10'000;
    static constexpr std::size_t kMaxFindings = 10'000;
    /// How long a seen transaction stays in the overlay without executing, in blocks; and how
    /// many it holds at most.
    static constexpr std::uint64_t kSeenBlocks = 32;
    static constexpr std::size_t kMaxSeen = 50'000;

private:
    /// One transaction of a scored set.
    struct Entry {
        core::Hash hash;
        bool decoded = false;
        core::Errc error = core::Errc::kOk;  ///< why it did not decode
        std::optional<LocalScore> local;     ///< absent when the model call did not finish
        RunStatus status = RunStatus::kDone;
    };

    explicit FraudService(PluginConfig config);
    [[nodiscard]] core::Result<void> open(fp_status& failed);
    [[nodiscard]] core::Result<void> start_rpc();

    [[nodiscard]] fraud::DetectorOptions detector_options() const;
    [[nodiscard]] std::int64_t now_ms() const noexcept { return time_ms_.load(); }
    [[nodiscard]] core::Result<core::TxEvent> event_of(core::ByteView raw, std::int64_t time_ms);
    /// Scores `events` with the model in force (as one batch from kBatchRows on) with their
    /// `contexts` (empty or one each), remembers and counts them. Throws on a scoring failure
    /// (also the injected ones).
    [[nodiscard]] std::vector<LocalScore> score_events(std::span<const core::TxEvent> events,
                                                       std::span<const fraud::TxContext> contexts,
                                                       std::string_view origin);
    void remember(const LocalScore& s);
    [[nodiscard]] std::vector<Entry> score_many(std::span<const core::ByteView> raws,
                                                std::span<const fraud::TxContext> contexts,
                                                Hook hook);
    struct Batch {
        std::vector<core::Bytes> raws;
        std::vector<fraud::TxContext> contexts;  ///< empty or one per raw
    };
    [[nodiscard]] std::vector<Entry> score_chunk(const Batch& batch, std::size_t begin,
                                                 std::size_t end, Hook hook);
    /// Sends `model`'s scored rows to the feature log, when one is configured.
    void attach_feature_log(ModelState& model);
    /// A transaction admitted at check_tx joins the detector's overlay of seen transactions.
    void note_arrival(const core::TxEvent& event, bool flagged);
    /// After a committed block: the overlay rebuilt from what was seen and is still pending
    /// (not executed, not excluded, seen within kSeenBlocks blocks), in arrival order.
    void rebuild_seen(const fp_block& block, const std::vector<core::Hash>& executed);
    /// The score this instance gave `hash` at check_tx with the model in force, if any.
    [[nodiscard]] std::optional<LocalScore> admission_score(const core::Hash& hash,
                                                            const ModelState& model) const;
    /// True when `s`'s sender has had a transaction refused on a spent nonce since `s` was
    /// scored: the score predates what the detector now knows of the sender.
    [[nodiscard]] bool refused_since(const LocalScore& s) const;
    [[nodiscard]] static Entry unscored(core::ByteView raw, RunStatus status);
    void note_failure(Hook hook, RunStatus status, std::size_t n, const std::string& error);
    [[nodiscard]] fp_score to_fp_score(const Entry& e) const;
    [[nodiscard]] bool policy_flags() const noexcept {
        return config_.failure_policy == FailurePolicy::kFailClosed;
    }
    void fill_check(core::ByteView raw, const fraud::TxContext& context, fp_check_result& out);
    [[nodiscard]] core::Result<void> apply_block(const fp_block& block);
    [[nodiscard]] core::Result<void> add_outcomes(const fp_block& block,
                                                  const std::vector<core::Hash>& executed,
                                                  core::WriteBatch& batch);
    [[nodiscard]] core::Result<AccountFlags> account_flags(const core::Address& a) const;
    void resync_detector();

    PluginConfig config_;
    core::TxRules rules_;
    std::unique_ptr<storage::RocksStore> store_;
    rpc::Registry registry_;
    std::optional<PluginMetrics> metrics_;
    std::unique_ptr<ModelSlot> models_;
    std::atomic<std::uint64_t> reloads_{0};
    std::atomic<std::int64_t> time_ms_{0};       ///< the last block's time: "now" for scoring
    std::atomic<std::uint64_t> head_height_{0};  ///< the last block applied
    std::atomic<std::int64_t> last_warn_ms_{0};
    mutable std::mutex finalize_mu_;
    Head head_;
    LruMap<core::Hash, LocalScore> scores_;
    LruMap<core::Address, AccountRisk> accounts_;
    LruMap<core::Hash, std::shared_ptr<const core::TxEvent>> events_;
    /// Orders scores and refusals (LocalScore::seq); wall clocks can repeat or step back.
    std::atomic<std::uint64_t> seq_{0};
    LruMap<core::Address, std::uint64_t> stale_refusals_;  ///< sender → seq_ of its last refusal
    std::unique_ptr<FeatureLogSink> feature_log_;
    struct Seen {
        core::TxEvent event;
        std::uint64_t height = 0;  ///< the head when it arrived
        bool flagged = false;      ///< flagged here at admission
    };
    mutable std::mutex seen_mu_;
    std::deque<Seen> seen_;
    std::unordered_set<core::Hash> seen_hashes_;
    std::unique_ptr<rpc::Dispatcher> dispatcher_;
    std::unique_ptr<rpc::Server> server_;
    std::unique_ptr<DeadlineRunner> runner_;  ///< last: stopped first, while the rest lives
};

}  // namespace mfd::plugin
