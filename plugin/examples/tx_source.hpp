#pragma once
/// The example host's input: a text file of raw transactions (one 0x-hex per line; blank lines
/// and lines starting with '#' are skipped) or, when built with the workload library, the
/// generator's labelled stream (.jsonl.gz). One reader per thread.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/bytes.hpp"

namespace mfd::plugin::example {

/// One input line.
struct TxInput {
    std::uint64_t line = 0;
    core::Bytes raw;
    std::int64_t time_ms = 0;
    std::string error;  ///< not empty: the line is not hex ("BAD_HEX: ..."); raw is empty
};

class TxSource {
public:
    /// Opens `path`: a .jsonl.gz stream when the name ends so, else hex lines. Fails with
    /// kNotFound/kIo when the file cannot be read, kCorruption for a bad stream header, and
    /// kUnavailable for a stream when this build has no workload library.
    [[nodiscard]] static core::Result<TxSource> open(const std::filesystem::path& path);

    /// The next input, std::nullopt at the end. Fails on a stream's corrupt line (streams are
    /// strict); a bad hex line is an input with `error` set, not a failure.
    [[nodiscard]] core::Result<std::optional<TxInput>> next() { return next_(); }

    /// The chain id a stream's header names; std::nullopt for hex files.
    [[nodiscard]] std::optional<std::uint64_t> chain_id() const noexcept { return chain_id_; }

private:
    std::function<core::Result<std::optional<TxInput>>()> next_;
    std::optional<std::uint64_t> chain_id_;
};

}  // namespace mfd::plugin::example
