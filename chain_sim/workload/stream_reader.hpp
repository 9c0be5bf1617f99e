#pragma once
/// Reads a labelled transaction stream (docs/workload.md) strictly: any line that is not
/// exactly what the format says is an error naming the file and line, never skipped. One reader
/// per thread.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "chain_sim/workload/gz_file.hpp"
#include "chain_sim/workload/record_fields.hpp"
#include "chain_sim/workload/stream_format.hpp"

namespace mfd::chain::workload {

class StreamReader {
public:
    /// Opens `path` and reads its header line. Fails with kNotFound/kIo when the file cannot be
    /// opened, kCorruption when it is not gzip, is empty or truncated, or the header is not a
    /// version-1 header (the message says which key is wrong).
    [[nodiscard]] static core::Result<StreamReader> open(const std::filesystem::path& path);

    /// The header line.
    [[nodiscard]] const StreamHeader& header() const noexcept { return header_; }

    /// The next record, std::nullopt after the last one. The event comes from
    /// core::tx_event_from_raw under the header's chain id (stateless verdict, recovered
    /// sender, signature status) with the line's claimed sender, label, typology and roles.
    /// Fails with kCorruption, naming "path:line", when the line is not JSON, a key is missing,
    /// unknown or of the wrong type, the index is out of sequence, the time goes backwards, the
    /// raw bytes do not decode as a transaction, the hash is not theirs, the label is not 0/1,
    /// the typology does not start with "fraud:" for label 1 and "honest:" for label 0, or the
    /// expected verdict is unknown; kCorruption too when the gzip stream is truncated or damaged.
    /// After an error the reader must not be used further.
    [[nodiscard]] core::Result<std::optional<StreamRecord>> next();

    /// Up to `max` next records (fewer at the end, none after it), as `next` reads them, with
    /// the decoding and signature recovery of the batch spread over `threads` threads (0 is
    /// taken as 1). Errors as `next`, for the first bad line of the batch.
    [[nodiscard]] core::Result<std::vector<StreamRecord>> next_batch(std::size_t max,
                                                                     unsigned threads);

private:
    StreamReader(GzLineReader lines, StreamHeader header)
        : lines_(std::move(lines)), header_(std::move(header)) {}
    struct Pending {
        detail::RecordFields fields;
        std::size_t line = 0;
    };
    [[nodiscard]] core::Result<detail::RecordFields> check_fields(std::string_view line);
    [[nodiscard]] core::Result<StreamRecord> finish(Pending& pending,
                                                    core::Result<core::TxEvent> event) const;

    GzLineReader lines_;
    StreamHeader header_;
    std::uint64_t read_ = 0;
    std::int64_t last_time_ms_ = INT64_MIN;
};

/// A whole stream in memory.
struct Stream {
    StreamHeader header;
    std::vector<StreamRecord> records;
};

/// Reads every record of `path`, recovering signatures on `threads` threads; errors as
/// StreamReader's.
[[nodiscard]] core::Result<Stream> read_stream(const std::filesystem::path& path,
                                               unsigned threads = 1);

}  // namespace mfd::chain::workload
