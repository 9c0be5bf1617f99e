#pragma once
/// RFC 4180 CSV records from a gzip or plain file: comma-separated fields, optionally in double
/// quotes ("" inside quotes is one quote; commas and line breaks inside quotes are data).
/// One reader per thread.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chain_sim/workload/gz_file.hpp"

namespace mfd::chain::workload {

/// One record: its fields, or why it could not be split.
struct CsvRecord {
    std::size_t line = 0;             ///< 1-based line where the record starts
    std::vector<std::string> fields;  ///< empty when `problem` is set
    std::string problem;              ///< non-empty for a malformed record (bad quoting)
};

class CsvReader {
public:
    /// Opens a gzip or plain CSV file; errors as GzLineReader::open.
    [[nodiscard]] static core::Result<CsvReader> open(const std::filesystem::path& path);

    /// The next record, std::nullopt at the end. A malformed record (a quote inside an
    /// unquoted field, text after a closing quote, a quote left open for more than
    /// `kMaxRecordLines` lines or to the end of the file) comes back with `problem` set, and
    /// reading goes on after it. Fails only on I/O or gzip errors (kIo, kCorruption).
    [[nodiscard]] core::Result<std::optional<CsvRecord>> next();

    /// How many physical lines a quoted field may span.
    static constexpr std::size_t kMaxRecordLines = 64;

    /// The file being read.
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return lines_.path(); }

private:
    explicit CsvReader(GzLineReader lines) : lines_(std::move(lines)) {}

    GzLineReader lines_;
    std::string pending_;
};

/// How splitting one line of text went.
enum class CsvSplit : std::uint8_t {
    kComplete,   ///< `fields` holds the record
    kOpenQuote,  ///< the text ends inside a quoted field: append the next line and retry
    kMalformed,  ///< bad quoting; `problem` says where
};

/// Splits `text` into `fields` (cleared first). Thread-safe.
[[nodiscard]] CsvSplit split_csv(std::string_view text, std::vector<std::string>& fields,
                                 std::string& problem);

}  // namespace mfd::chain::workload
