#pragma once
/// The model an instance scores with, and its hot swap: a loaded model (detector, version,
/// running expert statistics) behind a shared pointer that callers copy for the length of one
/// call, so a swap never waits for scoring and scoring never sees half a model.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "fraud/detector.hpp"

namespace mfd::plugin {

/// How often each expert was selected, with its mean weight and score. Thread-safe (atomics).
class ExpertTally {
public:
    /// Tallies over `experts` experts.
    explicit ExpertTally(std::size_t experts);

    /// Counts the selected experts of one score.
    void add(const fraud::Explanation& explanation) noexcept;

    struct Snapshot {
        std::uint64_t scored = 0;
        std::vector<std::uint64_t> selected;  ///< per expert
        std::vector<double> mean_weight;      ///< over the scores that selected it
        std::vector<double> mean_probability;
        /// selected / scored per expert (zeros before the first score).
        [[nodiscard]] std::vector<double> utilisation() const;
    };
    /// A consistent-enough copy (each counter read once).
    [[nodiscard]] Snapshot snapshot() const;
    [[nodiscard]] std::size_t experts() const noexcept { return n_; }

private:
    static constexpr double kFixed = 1e6;  ///< weights and probabilities summed in micro-units
    std::size_t n_;
    std::atomic<std::uint64_t> scored_{0};
    std::unique_ptr<std::atomic<std::uint64_t>[]> selected_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> weight_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> probability_;
};

/// A loaded model and what belongs to it. The detector is thread-safe; the rest is immutable.
struct ModelState {
    std::unique_ptr<fraud::Detector> detector;
    std::shared_ptr<const std::string> version;  ///< "sha256:" + 16 hex digits of the file
    std::filesystem::path path;
    std::int64_t loaded_at_ms = 0;  ///< wall clock
    std::shared_ptr<ExpertTally> tally;
};

/// A model file read and checked, not yet bound to a store (the slow, I/O-bound part of a load).
struct ModelFile {
    models::Model model;
    std::shared_ptr<const std::string> version;
    std::filesystem::path path;
};

/// Reads and checks `path` (models::Model::load with the feature schema) and hashes it. Errors
/// as Model::load: kNotFound, kCorruption, kInvalidArgument (other schema), kIo. Thread-safe.
[[nodiscard]] core::Result<ModelFile> read_model_file(const std::filesystem::path& path);

/// Builds the detector of `file` over `store`. Errors as fraud::Detector::create. Thread-safe.
[[nodiscard]] core::Result<std::shared_ptr<ModelState>> bind_model(
    const ModelFile& file, core::KvStore* store, const fraud::DetectorOptions& options);

/// The current model. Thread-safe; current() and swap() hold a mutex for a pointer copy only.
class ModelSlot {
public:
    explicit ModelSlot(std::shared_ptr<ModelState> initial) : current_(std::move(initial)) {}

    /// The model in force now; it stays valid for the caller after a swap.
    [[nodiscard]] std::shared_ptr<ModelState> current() const {
        std::lock_guard lock(mu_);
        return current_;
    }
    /// Puts `next` in force; the old one lives on while calls still hold it.
    void swap(std::shared_ptr<ModelState> next) {
        std::lock_guard lock(mu_);
        current_.swap(next);
    }

private:
    mutable std::mutex mu_;
    std::shared_ptr<ModelState> current_;
};

}  // namespace mfd::plugin
