#pragma once
/// The feature log: the rows a running detector scored, as it scored them, so that training
/// learns from what is served (DESIGN.md, "Serve what you train"). A plugin configured with
/// `feature_log` writes one row per transaction each scoring hook scores; `chain_sim run
/// --feature-log FILE` labels validator 0's rows with the traffic's ground truth; `fraudctl
/// train --features FILE` trains on them.
///
/// Format (docs/detector.md): JSON lines. A header
///   {"format":"mfd-feature-log","version":1,"schema":"mfd-features-3","labelled":false,
///    "features":["tx.available",...]}
/// then one line per row
///   {"hash":"0x…","hook":"extend_vote","time_ms":…,"mask":15,"x":[…]}
/// (labelled logs add "label": 1, 0 or -1 for unknown, and "typology"), then a trailer
///   {"end":true,"rows":N}
/// A log without its trailer (a truncated file, a host that died) is refused, as is one of
/// another schema version or feature list. Torch-free.

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "fraud/feature_schema.hpp"

namespace mfd::fraud {

inline constexpr std::string_view kFeatureLogFormat = "mfd-feature-log";
inline constexpr int kFeatureLogVersion = 1;

/// One scored row.
struct FeatureLogRow {
    core::Hash hash;
    std::string hook;          ///< "check_tx", "extend_vote", "prepare_proposal", ...
    std::int64_t time_ms = 0;  ///< the scorer's clock when it scored (the last block's time)
    GroupMask mask = 0;        ///< the groups computed
    std::array<float, kFeatures> x{};
    std::int8_t label = -1;  ///< labelled logs: 1 fraud, 0 honest, -1 unknown
    std::string typology;    ///< labelled logs: "fraud:drain", "wallet:cancel", ...
};

/// A whole log.
struct FeatureLog {
    bool labelled = false;
    std::vector<FeatureLogRow> rows;
};

/// Writes a log. Not thread-safe: one writer per file, callers serialise.
class FeatureLogWriter {
public:
    /// Creates (truncating) `path` and writes the header. Fails with kIo naming the file.
    [[nodiscard]] static core::Result<FeatureLogWriter> create(const std::filesystem::path& path,
                                                               bool labelled);
    /// Appends a row (label and typology only in labelled logs). Fails with kIo.
    [[nodiscard]] core::Result<void> write(const FeatureLogRow& row);
    /// Writes the trailer and closes the file. Fails with kIo. Without it the log reads as
    /// truncated.
    [[nodiscard]] core::Result<void> close();
    [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }

    FeatureLogWriter(FeatureLogWriter&&) noexcept = default;
    FeatureLogWriter& operator=(FeatureLogWriter&&) noexcept = default;

private:
    FeatureLogWriter(std::filesystem::path path, std::ofstream out, bool labelled)
        : path_(std::move(path)), out_(std::move(out)), labelled_(labelled) {}

    std::filesystem::path path_;
    std::ofstream out_;
    bool labelled_ = false;
    std::uint64_t rows_ = 0;
};

/// The longest line accepted and the most rows a log may hold.
inline constexpr std::size_t kMaxFeatureLogLine = 1u << 20;
inline constexpr std::uint64_t kMaxFeatureLogRows = 100'000'000;

/// Reads a log from `in` (`name` for messages). Fails with kCorruption naming name:line for a
/// header that is not a feature log's, another version, another schema version or feature
/// list (both named), a malformed row (a key missing or unknown, a value of the wrong type,
/// a non-finite feature, a row of the wrong width), a missing trailer (truncated) or one whose
/// count differs; kLimitExceeded for a line over kMaxFeatureLogLine or more than
/// kMaxFeatureLogRows rows. Thread-safe.
[[nodiscard]] core::Result<FeatureLog> read_feature_log(std::istream& in, std::string_view name);

/// Reads the log at `path`: kNotFound when there is none, else as above.
[[nodiscard]] core::Result<FeatureLog> read_feature_log(const std::filesystem::path& path);

}  // namespace mfd::fraud
