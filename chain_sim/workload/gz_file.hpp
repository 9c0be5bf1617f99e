#pragma once
/// Reading files line by line through zlib (gzip, or plain text when allowed) and writing gzip
/// files. Each object is used by one thread at a time; distinct objects are independent.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mfd::chain::workload {

namespace detail {
/// Closes a zlib gzFile (an opaque pointer) when the owner goes away.
struct GzCloser {
    void operator()(void* file) const noexcept;
};
using GzHandle = std::unique_ptr<void, GzCloser>;
}  // namespace detail

/// Reads the lines of a gzip file or, when `require_gzip` is false, of a plain text file.
class GzLineReader {
public:
    /// Opens `path`. Fails with kNotFound when it does not exist, kIo when it cannot be opened,
    /// kCorruption when `require_gzip` and the file does not start like a gzip stream.
    [[nodiscard]] static core::Result<GzLineReader> open(const std::filesystem::path& path,
                                                         bool require_gzip);

    /// The next line without its line end ("\n" or "\r\n"); std::nullopt after the last line.
    /// The view stays valid until the next call. Fails with kCorruption when the gzip stream is
    /// truncated or damaged (the message names the file and the last complete line), kIo on a
    /// read error, kLimitExceeded for a line longer than kMaxLineBytes.
    [[nodiscard]] core::Result<std::optional<std::string_view>> next_line();

    /// The longest line accepted.
    static constexpr std::size_t kMaxLineBytes = 64u << 20;

    /// The 1-based number of the line last returned (0 before the first).
    [[nodiscard]] std::size_t line_number() const noexcept { return line_number_; }
    /// The file being read.
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

private:
    GzLineReader(std::filesystem::path path, detail::GzHandle file)
        : path_(std::move(path)), file_(std::move(file)) {}
    [[nodiscard]] core::Result<bool> refill();

    std::filesystem::path path_;
    detail::GzHandle file_;
    std::string buffer_;
    std::size_t begin_ = 0;
    bool eof_ = false;
    std::size_t line_number_ = 0;
};

/// Writes a gzip file. The bytes depend only on what is written and the level (zlib stores no
/// file name or time), so equal input gives byte-identical files.
class GzWriter {
public:
    /// Creates or truncates `path`; `level` 1 (fast) to 9 (small). Fails with kIo.
    [[nodiscard]] static core::Result<GzWriter> create(const std::filesystem::path& path,
                                                       int level = 6);

    /// Appends `text`. Fails with kIo (naming the file) when zlib or the disk refuses it.
    [[nodiscard]] core::Result<void> write(std::string_view text);
    /// Flushes the stream, writes the gzip trailer and closes the file; fails with kIo. Must be
    /// called once: a writer destroyed without it leaves a truncated file.
    [[nodiscard]] core::Result<void> close();

private:
    GzWriter(std::filesystem::path path, detail::GzHandle file)
        : path_(std::move(path)), file_(std::move(file)) {}

    std::filesystem::path path_;
    detail::GzHandle file_;
};

}  // namespace mfd::chain::workload
