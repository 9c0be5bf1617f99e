#pragma once
/// Internal to storage (includes RocksDB): the one place a rocksdb::Status becomes a core::Error.

#include <rocksdb/status.h>

#include <string_view>

#include "core/error.hpp"

namespace mfd::storage::detail {

/// Maps `status` (not ok) to an Error whose message starts with `what` (e.g. "open /data/db"):
/// corruption -> kCorruption, a held LOCK file -> kUnavailable, busy/timed out -> kUnavailable,
/// not found -> kNotFound, invalid argument / not supported -> kInvalidArgument, else kIo.
[[nodiscard]] core::Error to_error(const rocksdb::Status& status, std::string_view what);

}  // namespace mfd::storage::detail
