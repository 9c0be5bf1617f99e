#pragma once
/// Account labels for imported data: a CSV file with the columns `address` and `label` (any
/// order, other columns ignored), label 0 (normal) or 1 (fraud). Thread-safe: pure functions.

#include <cstdint>
#include <filesystem>
#include <unordered_map>

#include "core/bytes.hpp"

namespace mfd::chain::workload {

using AccountLabels = std::unordered_map<core::Address, std::int8_t>;

/// Reads a labels file (gzip or plain). Strict: fails with kCorruption naming "path:line" for a
/// missing column, a malformed row, an address that is not 20 bytes of hex, a label other than
/// 0/1, or an address listed twice with different labels; kNotFound/kIo when it cannot be read.
[[nodiscard]] core::Result<AccountLabels> read_labels(const std::filesystem::path& path);

}  // namespace mfd::chain::workload
