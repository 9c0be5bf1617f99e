#pragma once
/// Sortable key encodings for the column families: byte order of the encoded key equals the
/// natural order of what it encodes, so a scan walks blocks by number and a contract's storage
/// slots together. Pure functions; thread-safe.

#include <cstdint>
#include <utility>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace mfd::storage {

/// A block number as a key: 8 bytes big-endian.
using BlockNumberKey = core::FixedBytes<8>;

/// A contract storage key: the contract's 20-byte address followed by the 32-byte slot.
using StorageSlotKey = core::FixedBytes<52>;

/// Encodes `number` as 8 bytes big-endian. Never fails.
[[nodiscard]] BlockNumberKey block_number_key(std::uint64_t number) noexcept;

/// Decodes an 8-byte big-endian key; kCorruption when `key` is not exactly 8 bytes.
[[nodiscard]] core::Result<std::uint64_t> decode_block_number_key(core::ByteView key);

/// Encodes `contract || slot` (52 bytes). Never fails.
[[nodiscard]] StorageSlotKey storage_slot_key(const core::Address& contract,
                                              const core::Hash& slot) noexcept;

/// Splits a 52-byte storage key into (contract, slot); kCorruption on any other length.
[[nodiscard]] core::Result<std::pair<core::Address, core::Hash>> decode_storage_slot_key(
    core::ByteView key);

}  // namespace mfd::storage
