#pragma once
/// The fraud detector as a node, the plugin and the JSON-RPC server use it: it owns the feature
/// state (account histories over a core::KvStore with an in-memory cache), scores transactions
/// from the past only, and updates the history only when told that a transaction was committed.
///
///   auto det = Detector::load("models/default.safetensors", &store);
///   auto s = det->score(event);          // mempool: history unchanged
///   det->observe(event);                 // the transaction was committed
///   det->commit(batch);                  // its history records go into the block's WriteBatch
///
/// Two scoring paths: `score` runs one transaction on the host CPU with a hand-written forward
/// pass (lowest latency, full explanation); `score_batch`/`replay` extract features for many
/// transactions and score them in batches through models::Scorer on the chosen device (highest
/// throughput; feature effects computed for flagged rows unless `explain_all`).
///
/// Thread-safety: every member is safe to call from several threads; calls are serialised by
/// one internal mutex (give each scoring thread its own Detector over a read-only view for
/// parallel mempool scoring). Torch-free header.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/kv_store.hpp"
#include "core/tx_event.hpp"
#include "fraud/feature_extractor.hpp"
#include "fraud/feature_rows.hpp"
#include "fraud/score.hpp"
#include "models/model.hpp"
#include "models/scorer.hpp"

namespace mfd::fraud {

/// How a detector runs.
struct DetectorOptions {
    models::Device device = models::Device::kAuto;      ///< where batches are scored
    std::size_t cache_accounts = std::size_t{1} << 20;  ///< clean history records kept in memory
    /// Picks the model's threshold chosen for the closest false-positive rate.
    double target_fpr = 0.001;
    std::optional<float> threshold;  ///< overrides the model's thresholds
    bool explain_all = false;        ///< batch paths: feature effects for every row
    std::size_t batch_rows = 65536;  ///< rows per call to the scorer
};

class Detector {
public:
    /// A detector for `model` over `store` (null: history in memory only), reading the r values
    /// and fee level the store holds. Fails with kInvalidArgument when the model's schema
    /// version is not kSchemaVersion or its row width is not kFeatures, kCorruption for bad
    /// thresholds metadata, kUnavailable when CUDA is requested and absent, or the store's error.
    [[nodiscard]] static core::Result<Detector> create(const models::Model& model,
                                                       core::KvStore* store,
                                                       const DetectorOptions& options = {});

    /// Loads a model file (models::Model::load with kSchemaVersion) and creates a detector.
    /// Errors as Model::load (missing, truncated, wrong schema, shapes or NaN weights, each
    /// named) and create().
    [[nodiscard]] static core::Result<Detector> load(const std::filesystem::path& path,
                                                     core::KvStore* store,
                                                     const DetectorOptions& options = {});

    Detector(Detector&&) noexcept;
    Detector& operator=(Detector&&) noexcept;
    ~Detector();

    /// Scores one transaction against the history as it stands (which stays unchanged), with
    /// its full explanation. Never fails on a transaction: groups that cannot be computed are
    /// masked and the explanation says so.
    [[nodiscard]] Score score(const core::TxEvent& event, const TxContext& context = {});

    /// Scores `events` against the history as it stands (unchanged), in batches. `contexts` is
    /// empty or one per event. Fails with kInvalidArgument on mismatched sizes or the scorer's
    /// error.
    [[nodiscard]] core::Result<void> score_batch(std::span<const core::TxEvent> events,
                                                 std::vector<Score>& out,
                                                 std::span<const TxContext> contexts = {});

    /// Scores each event against the history before it and then observes it (all of them, or
    /// those `observe` marks): what a validator does for a committed block, or an evaluation
    /// over a labelled stream. Features are extracted in order; the model runs in batches.
    /// Errors as score_batch() and observe().
    [[nodiscard]] core::Result<void> replay(std::span<const core::TxEvent> events,
                                            std::vector<Score>& out, ObserveMask observe = {},
                                            std::span<const TxContext> contexts = {});

    /// Adds a committed transaction to the history (pending until commit()). Fails with the
    /// store's error when a record cannot be read.
    [[nodiscard]] core::Result<void> observe(const core::TxEvent& event);

    /// Records that consensus kept a transaction out as fraud (pending until commit()): its
    /// sender's and recipients' exclusion counts. Fails with the store's error.
    [[nodiscard]] core::Result<void> observe_excluded(const core::TxEvent& event);

    /// Records that the host refused a transaction because its sender had already used its
    /// nonce (pending until commit()): the sender's stale-refusal count. Fails with the store's
    /// error.
    [[nodiscard]] core::Result<void> observe_refused_stale(const core::TxEvent& event);

    /// Remembers the signature of a transaction seen but not committed (a mempool's, a block
    /// candidate's), so that a second signature with its r is nonce reuse even when neither is
    /// executed. In memory only.
    void note_seen(const core::TxEvent& event);

    /// Adds a transaction seen but not committed (a mempool's) to an overlay of the history
    /// that scoring reads first: the transactions scored after it see it as the past (a fan-out
    /// in progress, a collector's inflows) and, when this detector `flagged` it, count it as
    /// kept out for its accounts (as observe_excluded does for what consensus kept out). Never
    /// committed; cleared by clear_seen(). Fails with the store's error.
    [[nodiscard]] core::Result<void> observe_seen(const core::TxEvent& event, bool flagged);
    /// Drops the overlay of seen transactions.
    void clear_seen();
    /// True when another signature with `event`'s r value has been seen or observed: ECDSA
    /// nonce reuse, a definitive anomaly.
    [[nodiscard]] bool reuses_r(const core::TxEvent& event) const;

    /// Receives every row `score` and `score_batch` score, as scored (the feature log).
    /// Called under the detector's lock, on the scoring thread.
    using FeatureSink =
        std::function<void(const core::TxEvent&, std::span<const float> row, GroupMask mask)>;
    /// Sets (or, with an empty function, clears) the sink.
    void set_feature_sink(FeatureSink sink);

    /// Puts the pending history changes into `batch` (to be written with the block).
    void commit(core::WriteBatch& batch);

    /// Drops the pending history changes (a block that was not committed).
    void discard();

    /// The decision threshold in use.
    [[nodiscard]] float threshold() const;
    /// Replaces the decision threshold.
    void set_threshold(float threshold);
    /// Where batches are scored now (kCpu after a CUDA failure).
    [[nodiscard]] models::Device device() const;
    /// The model (shared weights; cheap to copy).
    [[nodiscard]] const models::Model& model() const;
    /// Rows scored per expert by the batch paths so far.
    [[nodiscard]] models::ScorerStats stats() const;

private:
    struct Impl;
    explicit Detector(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace mfd::fraud
