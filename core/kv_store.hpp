#pragma once
/// The storage interface of the project: an ordered key-value store split into the column
/// families of DESIGN.md, with atomic batches. `storage/` implements it over RocksDB and in
/// memory; everything above core talks to this interface only.

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"

namespace mfd::core {

/// One column family per domain.
enum class Column : std::uint8_t {
    kBlocks,           ///< block number (8 bytes BE) -> encoded block
    kTxs,              ///< tx hash -> tx location and raw bytes
    kReceipts,         ///< tx hash -> encoded receipt
    kAccounts,         ///< address -> balance and nonce
    kContractCode,     ///< contract address -> contract kind and constructor data
    kContractStorage,  ///< contract address || slot -> value
    kFraudScores,      ///< tx hash -> aggregated flags and consensus outcome
    kAccountHistory,   ///< address -> the detector's incremental per-account statistics
    kValidators,       ///< validator address -> stake and status
    kEvidence,         ///< evidence hash -> encoded evidence
    kMeta,             ///< named singletons: last committed height, schema version, ...
};

inline constexpr std::size_t kColumnCount = 11;

/// The column family's name in the database ("blocks", "txs", ...).
[[nodiscard]] std::string_view column_name(Column c) noexcept;

/// Every column, in declaration order.
[[nodiscard]] const std::array<Column, kColumnCount>& all_columns() noexcept;

/// A list of puts and deletes that a store applies all at once or not at all.
class WriteBatch {
public:
    struct Op {
        Column column;
        bool erase;
        Bytes key;
        Bytes value;
    };

    void put(Column column, ByteView key, ByteView value) {
        ops_.push_back({column, false, Bytes(key.begin(), key.end()),
                        Bytes(value.begin(), value.end())});
    }
    void erase(Column column, ByteView key) {
        ops_.push_back({column, true, Bytes(key.begin(), key.end()), {}});
    }
    /// Appends all of `other`'s operations after this batch's.
    void append(const WriteBatch& other) { ops_.insert(ops_.end(), other.ops_.begin(), other.ops_.end()); }

    [[nodiscard]] const std::vector<Op>& ops() const noexcept { return ops_; }
    [[nodiscard]] std::size_t size() const noexcept { return ops_.size(); }
    [[nodiscard]] bool empty() const noexcept { return ops_.empty(); }
    void clear() noexcept { ops_.clear(); }

private:
    std::vector<Op> ops_;
};

/// An ordered key-value store with column families. Implementations are thread-safe: reads may
/// run concurrently with one another and with `write`.
class KvStore {
public:
    virtual ~KvStore() = default;

    /// The value stored under `key`, std::nullopt when absent; kIo/kCorruption on failure.
    [[nodiscard]] virtual Result<std::optional<Bytes>> get(Column column, ByteView key) const = 0;

    /// Applies every operation of `batch` atomically; with `sync` it is durable when this
    /// returns (a crash afterwards keeps it, a crash before leaves none of it).
    [[nodiscard]] virtual Result<void> write(const WriteBatch& batch, bool sync = true) = 0;

    /// Calls `visit(key, value)` for every key starting with `prefix`, in ascending byte order,
    /// until `visit` returns false.
    [[nodiscard]] virtual Result<void> scan(
        Column column, ByteView prefix,
        const std::function<bool(ByteView key, ByteView value)>& visit) const = 0;
};

}  // namespace mfd::core
