#pragma once
/// Typed records of the chain over any core::KvStore: blocks by number and by hash, transactions
/// by hash with their location, receipts by transaction hash. Writers add to a WriteBatch so a
/// block, its index entries, its receipts and its committed height commit together; readers
/// decode and check what they read. Thread-safe as the store passed in is.
///
/// Layout: blocks[number (8 bytes BE)] = encode_block; meta["block_hash/" || hash] = number;
/// txs[tx hash] = number (8 bytes BE) || index (4 bytes BE) || raw transaction;
/// receipts[tx hash] = encode_receipt.

#include <cstdint>
#include <optional>

#include "core/block.hpp"
#include "core/kv_store.hpp"
#include "core/receipt.hpp"
#include "core/result.hpp"

namespace mfd::storage {

/// Where a transaction sits in the chain.
struct TxLocation {
    std::uint64_t block_number = 0;
    std::uint32_t index = 0;  ///< position in the block's transactions
    friend bool operator==(const TxLocation&, const TxLocation&) = default;
};

/// A stored transaction: where it is and its canonical raw bytes.
struct StoredTx {
    TxLocation location;
    core::Bytes raw;
    friend bool operator==(const StoredTx&, const StoredTx&) = default;
};

/// Adds `block`, its hash index entry and one txs record per transaction (keyed by Keccak-256
/// of the raw bytes, which is the transaction hash of canonical bytes) to `batch`. Fails with
/// kLimitExceeded when the block has 2^32 transactions or more, adding nothing.
[[nodiscard]] core::Result<void> put_block(core::WriteBatch& batch, const core::Block& block);

/// The block at `number`; std::nullopt when absent, kCorruption when the stored bytes do not
/// decode (the message carries the decoder's reason), or the store's error.
[[nodiscard]] core::Result<std::optional<core::Block>> get_block(const core::KvStore& store,
                                                                std::uint64_t number);

/// The block whose header hashes to `hash`; std::nullopt when unknown, kCorruption when the
/// index points at a missing or different block, or the store's error.
[[nodiscard]] core::Result<std::optional<core::Block>> get_block_by_hash(
    const core::KvStore& store, const core::Hash& hash);

/// The stored transaction with hash `tx_hash`; std::nullopt when unknown, kCorruption when the
/// record is shorter than its 12-byte location, or the store's error.
[[nodiscard]] core::Result<std::optional<StoredTx>> get_transaction(const core::KvStore& store,
                                                                   const core::Hash& tx_hash);

/// Adds the receipt of transaction `tx_hash` to `batch`.
void put_receipt(core::WriteBatch& batch, const core::Hash& tx_hash,
                 const core::Receipt& receipt);

/// The receipt of transaction `tx_hash`; std::nullopt when absent, kCorruption when the stored
/// bytes do not decode, or the store's error.
[[nodiscard]] core::Result<std::optional<core::Receipt>> get_receipt(const core::KvStore& store,
                                                                    const core::Hash& tx_hash);

}  // namespace mfd::storage
