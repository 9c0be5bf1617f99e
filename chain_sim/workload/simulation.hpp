#pragma once
/// Internal to the generator: the event loop that the behaviours (honest.cpp, fraud_*.cpp)
/// drive. It owns the random generator, the world view, a time-ordered task queue, and the
/// emission of transactions: build, check affordability against the view, sign, apply to the
/// view, hand to the sink. Not thread-safe.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "chain_sim/workload/generator.hpp"
#include "chain_sim/workload/rng.hpp"
#include "chain_sim/workload/world.hpp"
#include "core/transaction.hpp"
#include "core/tx_event.hpp"

namespace mfd::chain::workload::detail {

/// One fraud episode in progress: how many label-1 transactions it still plans to write
/// (the fraud-rate control counts them ahead).
struct Episode {
    std::string typology;  ///< "fraud:drain", ...
    std::int64_t remaining = 0;
};
using EpisodePtr = std::shared_ptr<Episode>;

/// A transaction to build: who sends what to whom, and its ground truth.
struct Intent {
    std::uint32_t from = 0;
    std::optional<core::Address> to;
    core::U256 value;
    core::Bytes data;
    std::uint64_t exec_gas = 0;      ///< gas allowed above intrinsic (contract calls)
    std::optional<TxFlavor> flavor;  ///< the typology's type (replay); else the sender's wallet
    /// Sends everything the sender holds less the most the transaction can cost (`value` is
    /// computed once fees and gas are set).
    bool sweep = false;
    std::string typology;  ///< for honest intents; an episode sets its own
    std::string sender_role;
    std::string recipient_role;
    EpisodePtr episode;  ///< label 1 when set
};

/// How a record's signature was planted (what tx_event_from_raw will find).
struct Planted {
    core::Address signer;
    core::SignatureStatus status = core::SignatureStatus::kValid;
    core::Errc validity = core::Errc::kOk;  ///< the stateless verdict
    core::Errc expected = core::Errc::kOk;  ///< the chain's verdict in stream order
};

class Simulation {
public:
    Simulation(const GeneratorConfig& config, RecordSink& sink);

    /// Runs until the configured number of transactions is written or the sink fails.
    [[nodiscard]] core::Result<GenerationSummary> run();

    // --- for the behaviours ---
    [[nodiscard]] Rng& rng() noexcept { return rng_; }
    [[nodiscard]] World& world() noexcept { return world_; }
    [[nodiscard]] const GeneratorConfig& config() const noexcept { return config_; }
    [[nodiscard]] std::int64_t now() const noexcept { return now_; }
    /// True once every transaction is written (or the sink failed): emit calls then do nothing.
    [[nodiscard]] bool full() const noexcept;
    /// The index of the record written last (the one the view's changes now belong to).
    [[nodiscard]] std::uint64_t last_record() const noexcept { return emitted_ - 1; }
    /// Share of the run already written, in [0, 1].
    [[nodiscard]] double progress() const noexcept;

    /// Runs `task` `delay_ms` from now (tasks at one time run in scheduling order).
    void after(std::int64_t delay_ms, std::function<void()> task);
    /// A random delay of `lo`..`hi` episode steps (scaled so that episodes fit short runs).
    [[nodiscard]] std::int64_t steps(double lo, double hi);
    /// The expected duration of the run in ms.
    [[nodiscard]] double duration_ms() const noexcept;

    /// A random wallet style for an account of `role`.
    [[nodiscard]] FeeStyle style_for(Role role);
    /// A new account with a key derived from the seed, no balance and no genesis entry.
    std::uint32_t fresh_account(Role role);
    /// A key derived from the seed that no account uses (for planted anomalies).
    [[nodiscard]] core::PrivateKey fresh_key(std::string_view purpose);

    /// Opens an episode planning `planned` label-1 transactions.
    EpisodePtr open_episode(std::string typology, std::int64_t planned);
    /// Ends an episode; what it planned and did not write stops counting.
    void close_episode(const EpisodePtr& episode);

    /// Builds `intent` with nonce `nonce`, unsigned: type and fees from the sender's wallet
    /// style (now and then its other wallet's type), gas limit from intrinsic gas plus
    /// `exec_gas` (with the wallet's margin on plain transfers); a sweep's value from the rest.
    [[nodiscard]] core::Transaction build(const Intent& intent, std::uint64_t nonce);
    /// The most `tx` can cost its sender: value + gas limit × fee cap.
    [[nodiscard]] static core::U256 upfront(const core::Transaction& tx);
    /// Builds, signs and writes `intent` and applies it to the view; std::nullopt (nothing
    /// written) when the run is full or the sender cannot afford it.
    std::optional<core::Transaction> emit(const Intent& intent);
    /// As `emit`, but signs with the nonce `k` (planted ECDSA nonce reuse).
    std::optional<core::Transaction> emit_with_k(const Intent& intent, const core::Hash& k);
    /// Writes an already signed transaction without touching the view (rejected ones), signed
    /// with `signer` (kept with the record in memory, for wallets that must re-sign).
    bool write(const core::Transaction& tx, const Intent& meta, const core::Address& claimed,
               const Planted& planted, const core::PrivateKey& signer);

private:
    struct Task {
        std::int64_t time;
        std::uint64_t seq;
        std::function<void()> run;
        bool operator>(const Task& o) const { return time != o.time ? time > o.time : seq > o.seq; }
    };

    std::optional<core::Transaction> finish(const Intent& intent, core::Transaction signed_tx);
    void apply(const Intent& intent, const core::Transaction& tx);
    /// Hands the record being written (with its dependencies) to the sink.
    void flush();
    void honest_tick();
    void maybe_start_fraud();
    [[nodiscard]] StreamHeader header() const;

    GeneratorConfig config_;
    RecordSink& sink_;
    Rng rng_;
    World world_;
    std::priority_queue<Task, std::vector<Task>, std::greater<>> queue_;
    std::uint64_t seq_ = 0;
    std::int64_t now_ = 0;
    std::uint64_t fresh_keys_ = 0;
    std::uint64_t emitted_ = 0;
    std::uint64_t fraud_emitted_ = 0;
    std::int64_t fraud_pending_ = 0;
    std::vector<std::uint64_t> typology_starts_;
    GenerationSummary summary_;
    std::optional<core::Error> error_;
    std::optional<StreamRecord> open_;  ///< written, not yet handed to the sink
};

}  // namespace mfd::chain::workload::detail
