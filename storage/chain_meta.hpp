#pragma once
/// The chain-commit metadata kept in the `meta` column: the height of the last committed block.
/// A block's records and its height go into one WriteBatch, so after a crash the store holds
/// either both or neither. Thread-safe as the store passed in is.

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/kv_store.hpp"
#include "core/result.hpp"

namespace mfd::storage {

/// The `meta` key under which the committed height is stored (value: 8 bytes big-endian).
inline constexpr std::string_view kCommittedHeightKey = "committed_height";

/// The height of the last committed block; std::nullopt for a store that never committed one.
/// Fails with the store's error, or kCorruption when the stored value is not 8 bytes.
[[nodiscard]] core::Result<std::optional<std::uint64_t>> last_committed_height(
    const core::KvStore& store);

/// Adds the record "committed height = `height`" to `batch`; commit it with the block's records.
void put_committed_height(core::WriteBatch& batch, std::uint64_t height);

}  // namespace mfd::storage
