#pragma once
/// Writes a labelled transaction stream (docs/workload.md) to a gzip file. One writer per thread.

#include <cstdint>
#include <filesystem>

#include "chain_sim/workload/gz_file.hpp"
#include "chain_sim/workload/stream_format.hpp"

namespace mfd::chain::workload {

class StreamWriter {
public:
    /// Creates `path` and writes the header line. Fails with kIo (or kNotFound for a missing
    /// directory).
    [[nodiscard]] static core::Result<StreamWriter> create(const std::filesystem::path& path,
                                                           const StreamHeader& header,
                                                           int gzip_level = 6);

    /// Appends one transaction line. Fails with kInvalidArgument, writing nothing, when the
    /// record's index is not the number of records written so far, its time is before the
    /// previous record's, the raw bytes are empty, the hash is not Keccak-256 of the raw bytes,
    /// the claimed sender is missing or the label is not 0 or 1; kIo when the file refuses it.
    [[nodiscard]] core::Result<void> write(const StreamRecord& record);

    /// Finishes the gzip stream and closes the file (kIo on failure). A stream not closed is
    /// truncated, and the reader says so.
    [[nodiscard]] core::Result<void> close() { return file_.close(); }

    /// How many transaction lines were written.
    [[nodiscard]] std::uint64_t records_written() const noexcept { return written_; }

private:
    explicit StreamWriter(GzWriter file) : file_(std::move(file)) {}
    [[nodiscard]] core::Result<void> check(const StreamRecord& record) const;

    GzWriter file_;
    std::uint64_t written_ = 0;
    std::int64_t last_time_ms_ = INT64_MIN;
};

}  // namespace mfd::chain::workload
