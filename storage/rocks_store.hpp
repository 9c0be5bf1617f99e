#pragma once
/// core::KvStore over RocksDB: one column family per core::Column, write-ahead log on, tuned for
/// a node that commits one large atomic batch per block and then serves point reads. RocksDB's
/// headers stay inside storage's .cpp files.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>

#include "core/kv_store.hpp"

namespace mfd::storage {

/// Memory budgets of a RocksStore; the defaults suit a validator node.
struct RocksStoreOptions {
    /// LRU cache of data, index and filter blocks, shared by every column family.
    std::size_t block_cache_bytes = std::size_t{256} << 20;
    /// Memtable size of one column family before it is flushed to an SST file.
    std::size_t write_buffer_bytes = std::size_t{64} << 20;
    /// Cap on the memtables of all column families together.
    std::size_t total_write_buffer_bytes = std::size_t{512} << 20;
};

/// A RocksDB database in one directory. Thread-safe: get, scan, write, flush and snapshot may be
/// called concurrently from any threads (RocksDB serialises writes). A process holds at most one
/// open store per directory; the directory's LOCK file keeps other processes out.
class RocksStore final : public core::KvStore {
public:
    /// Opens the database in `dir`, creating the directory, the database and any missing column
    /// family. After a crash it reopens at the last write that completed (replaying the WAL);
    /// a write cut short leaves nothing behind. Fails with kIo when the directory cannot be
    /// created or written, kUnavailable when another process (or this one) has it open,
    /// kCorruption when its files are damaged.
    [[nodiscard]] static core::Result<std::unique_ptr<RocksStore>> open(
        const std::filesystem::path& dir, const RocksStoreOptions& options = {});

    /// Closes the database (after the last snapshot taken from it is gone as well).
    ~RocksStore() override;
    RocksStore(const RocksStore&) = delete;
    RocksStore& operator=(const RocksStore&) = delete;

    /// The value under `key`, std::nullopt when absent; kIo/kCorruption on a read failure,
    /// kInvalidArgument for an unknown column.
    [[nodiscard]] core::Result<std::optional<core::Bytes>> get(
        core::Column column, core::ByteView key) const override;

    /// Applies `batch` atomically across column families; with `sync` the WAL is fsynced before
    /// this returns. Without it the write survives a process crash but not a power failure.
    /// Fails (applying nothing) with kInvalidArgument on an unknown column, kIo otherwise.
    [[nodiscard]] core::Result<void> write(const core::WriteBatch& batch,
                                           bool sync = true) override;

    /// Visits the keys starting with `prefix` in ascending byte order until `visit` returns
    /// false. It sees the store as it was when the scan began; `visit` may call into the store.
    /// Fails with kIo/kCorruption when the iteration fails part way.
    [[nodiscard]] core::Result<void> scan(
        core::Column column, core::ByteView prefix,
        const std::function<bool(core::ByteView key, core::ByteView value)>& visit)
        const override;

    /// Writes every memtable to SST files and waits for it; kIo on failure.
    [[nodiscard]] core::Result<void> flush();

    /// A read-only view of the store as it is now (a RocksDB snapshot: O(1), no copy). Its
    /// `write` fails with kInvalidArgument. It keeps the database open while it lives.
    [[nodiscard]] std::unique_ptr<core::KvStore> snapshot() const;

    /// The directory the store was opened on.
    [[nodiscard]] const std::filesystem::path& path() const noexcept;

    /// The open database (defined in rocks_store.cpp; shared with snapshots).
    struct Impl;

private:
    explicit RocksStore(std::shared_ptr<Impl> impl);

    std::shared_ptr<Impl> impl_;
};

}  // namespace mfd::storage
