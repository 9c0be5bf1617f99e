#pragma once
/// Scoring with a loaded model on CPU or CUDA: rows of features in, per row the fraud
/// probability with its explanation (gate weights over all experts, the experts used, every
/// expert's logit). No Torch types: the Torch state lives behind a pimpl in scorer.cpp.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "models/model.hpp"

namespace mfd::models {

/// Where a scorer runs. kAuto picks CUDA when LibTorch reports a usable device.
enum class Device : std::uint8_t { kAuto, kCpu, kCuda };

/// Scores of `rows` rows over `experts` experts; per-expert arrays are row-major [rows, experts].
/// Reuse one across calls: score() only grows its vectors, so steady-state calls do not allocate.
struct ScoreBatch {
    std::size_t rows = 0;
    std::size_t experts = 0;
    std::vector<float> probability;      ///< sigmoid of the mixed logit
    std::vector<float> gate_weights;     ///< the gate's softmax over all experts (sums to 1)
    std::vector<std::uint8_t> selected;  ///< 1 for the experts the row used (top-k), else 0
    std::vector<float> expert_logits;    ///< every expert's logit, used or not

    /// Row `r`'s gate weights / selection / expert logits (r < rows).
    [[nodiscard]] std::span<const float> gate(std::size_t r) const noexcept {
        return {gate_weights.data() + r * experts, experts};
    }
    [[nodiscard]] std::span<const std::uint8_t> used(std::size_t r) const noexcept {
        return {selected.data() + r * experts, experts};
    }
    [[nodiscard]] std::span<const float> logits(std::size_t r) const noexcept {
        return {expert_logits.data() + r * experts, experts};
    }
};

/// Per expert, the fraction of rows that used it (sums to k; each in [0, 1]). Empty for an
/// empty batch.
[[nodiscard]] std::vector<double> utilisation(const ScoreBatch& batch);

/// Options of a scorer.
struct ScorerOptions {
    Device device = Device::kAuto;
    std::size_t max_batch_rows = std::size_t{1} << 22;  ///< larger calls fail (kLimitExceeded)
    /// On the CPU a call runs in chunks of this many rows, so the temporaries stay in cache
    /// and in the allocator's reusable heap instead of fresh pages (0: one chunk).
    std::size_t cpu_chunk_rows = 2048;
};

/// Running totals of what a scorer (not its forks) has scored.
struct ScorerStats {
    std::uint64_t rows = 0;
    std::vector<std::uint64_t> expert_rows;  ///< rows that used each expert

    /// expert_rows / rows per expert (zeros before the first row).
    [[nodiscard]] std::vector<double> utilisation() const;
};

/// A model made ready to score: weights on the device, normalisation folded into the first
/// layers, reusable buffers (pinned host memory and device buffers on CUDA). Scoring is
/// deterministic (no gate noise, no dropout) and runs under c10::InferenceMode.
///
/// Thread-safety: every member is safe to call from several threads; calls on one scorer are
/// serialised by its mutex. For parallel scoring give each thread its own fork(): forks share
/// the weights (read-only) and own their buffers, so they do not contend.
///
/// CUDA: rows are copied into a pinned buffer, sent with a non-blocking copy, and all outputs
/// come back in one copy. A CUDA failure (moving weights or scoring) logs a warning through
/// spdlog and moves this scorer to the CPU for good; device() then reports kCpu.
class Scorer {
public:
    /// Prepares `model`. kAuto uses CUDA when available, else the CPU; kCuda fails with
    /// kUnavailable when LibTorch sees no CUDA device (a failure while moving there falls back).
    /// Fails with kInternal on a LibTorch error, and with kInvalidArgument when the model's
    /// scores of its probe rows (its training mean, the mean ± 3 standard deviations, zeros) are
    /// not all finite: weights out of range are refused at load, not met in production.
    [[nodiscard]] static core::Result<Scorer> create(const Model& model,
                                                     const ScorerOptions& options = {});

    Scorer(Scorer&&) noexcept;
    Scorer& operator=(Scorer&&) noexcept;
    ~Scorer();

    /// Scores `rows` (row-major, n × n_features floats) into `out`. Fails with
    /// kInvalidArgument when the size is not a multiple of n_features or a value is NaN or
    /// infinite (the message names row and column), kLimitExceeded above max_batch_rows, or
    /// kInternal on a LibTorch error on the CPU, or kOutOfRange when a probability, gate weight
    /// or expert logit comes out NaN or infinite (the message names the row). `out` is
    /// unspecified after a failure.
    [[nodiscard]] core::Result<void> score(std::span<const float> rows, ScoreBatch& out);

    /// Allocating convenience form of score().
    [[nodiscard]] core::Result<ScoreBatch> score(std::span<const float> rows);

    /// A scorer sharing this one's weights with its own buffers and statistics (for another
    /// thread). Cheap: no weight copy.
    [[nodiscard]] Scorer fork() const;

    /// Where scoring runs now (kCpu or kCuda; never kAuto).
    [[nodiscard]] Device device() const;
    [[nodiscard]] std::size_t n_features() const noexcept;
    [[nodiscard]] std::size_t n_experts() const noexcept;
    /// A snapshot of the running totals.
    [[nodiscard]] ScorerStats stats() const;

private:
    struct Impl;
    explicit Scorer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// True when LibTorch sees a usable CUDA device (what Device::kAuto goes by). Thread-safe.
[[nodiscard]] bool cuda_available();

/// "cpu", "cuda" or "auto".
[[nodiscard]] const char* device_name(Device device) noexcept;

/// Parses "auto", "cpu" or "cuda"; fails with kInvalidArgument otherwise.
[[nodiscard]] core::Result<Device> parse_device(std::string_view name);

}  // namespace mfd::models
