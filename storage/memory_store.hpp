#pragma once
/// The in-memory core::KvStore for tests: ordered, thread-safe, atomic batches, with the same
/// observable semantics as RocksStore (the conformance suite in tests/storage runs against both).

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>

#include "core/kv_store.hpp"

namespace mfd::storage {

/// Orders byte strings as RocksDB's default comparator does (unsigned lexicographic), and lets a
/// map of Bytes be searched with a ByteView.
struct BytesLess {
    using is_transparent = void;
    [[nodiscard]] bool operator()(core::ByteView a, core::ByteView b) const noexcept;
};

/// An ordered key-value store held in memory. Thread-safe: reads share a lock, a write takes it
/// exclusively, so a batch is seen whole or not at all. `scan` visits a copy of the matching
/// range taken at its start (as a RocksDB iterator sees a snapshot), so `visit` may call back
/// into the store, including `write`.
class MemoryStore final : public core::KvStore {
public:
    MemoryStore() = default;

    /// The value under `key`, std::nullopt when absent; kInvalidArgument for an unknown column.
    [[nodiscard]] core::Result<std::optional<core::Bytes>> get(
        core::Column column, core::ByteView key) const override;

    /// Applies `batch` atomically (`sync` has nothing to flush here). Fails, applying nothing,
    /// with kInvalidArgument on an unknown column or a read-only snapshot, or with the error set
    /// by `fail_writes`.
    [[nodiscard]] core::Result<void> write(const core::WriteBatch& batch,
                                           bool sync = true) override;

    /// Visits the keys starting with `prefix` in ascending byte order until `visit` returns false;
    /// kInvalidArgument for an unknown column.
    [[nodiscard]] core::Result<void> scan(
        core::Column column, core::ByteView prefix,
        const std::function<bool(core::ByteView key, core::ByteView value)>& visit)
        const override;

    /// A read-only copy of the current contents (O(size of the store)); its `write` fails with
    /// kInvalidArgument. Thread-safe.
    [[nodiscard]] std::unique_ptr<core::KvStore> snapshot() const;

    /// Makes every later `write` fail with `error` (applying nothing) until called with
    /// std::nullopt; for tests of how callers handle a failing store. Thread-safe.
    void fail_writes(std::optional<core::Error> error);

    /// The number of keys in `column`. Thread-safe.
    [[nodiscard]] std::size_t size(core::Column column) const;

private:
    using Table = std::map<core::Bytes, core::Bytes, BytesLess>;

    mutable std::shared_mutex mutex_;
    std::array<Table, core::kColumnCount> tables_;
    std::optional<core::Error> write_failure_;
    bool read_only_ = false;
};

}  // namespace mfd::storage
