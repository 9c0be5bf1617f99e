#include "storage/rocks_store.hpp"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/slice.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "storage/detail/column_check.hpp"
#include "storage/detail/rocks_error.hpp"
#include "storage/detail/rocks_options.hpp"

namespace mfd::storage {
namespace {

// An empty span may have a null data pointer, which memcmp inside Slice must not see.
rocksdb::Slice to_slice(core::ByteView v) noexcept {
    if (v.empty()) return {"", 0};
    return {reinterpret_cast<const char*>(v.data()), v.size()};
}

core::ByteView to_view(const rocksdb::Slice& s) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

bool starts_with(const rocksdb::Slice& key, core::ByteView prefix) noexcept {
    return key.starts_with(to_slice(prefix));
}

// The smallest key greater than every key starting with `prefix`; empty when there is none
// (the prefix is empty or all 0xff).
std::string prefix_upper_bound(core::ByteView prefix) {
    std::string bound(reinterpret_cast<const char*>(prefix.data()), prefix.size());
    while (!bound.empty() && static_cast<std::uint8_t>(bound.back()) == 0xff) bound.pop_back();
    if (!bound.empty()) {
        bound.back() = static_cast<char>(static_cast<std::uint8_t>(bound.back()) + 1);
    }
    return bound;
}

// The batch's operations sorted by (column, key), keeping the batch order of operations on one
// key (a stable sort), so the result is the same. The memtable skip list then inserts each key
// next to the previous one instead of searching from the top; for a block of 20,000 random
// account keys this cut the commit's CPU time by ~40% (bench_storage).
std::vector<const core::WriteBatch::Op*> in_key_order(const core::WriteBatch& batch) {
    std::vector<const core::WriteBatch::Op*> ops;
    ops.reserve(batch.size());
    for (const auto& op : batch.ops()) ops.push_back(&op);
    std::stable_sort(ops.begin(), ops.end(), [](const auto* a, const auto* b) {
        if (a->column != b->column) return a->column < b->column;
        return std::lexicographical_compare(a->key.begin(), a->key.end(), b->key.begin(),
                                            b->key.end());
    });
    return ops;
}

// An upper estimate of the encoded batch size, so the batch buffer is allocated once.
std::size_t batch_bytes(const core::WriteBatch& batch) {
    std::size_t bytes = 12;  // sequence number and count
    for (const auto& op : batch.ops()) bytes += op.key.size() + op.value.size() + 16;
    return bytes;
}

// Creates `dir` and checks that it is a writable directory, so that these failures read as
// such instead of as RocksDB's first failed file operation.
core::Result<void> prepare_directory(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return core::fail(core::Errc::kIo,
                          "cannot create database directory " + dir.string() + ": " + ec.message());
    }
    if (!std::filesystem::is_directory(dir, ec)) {
        return core::fail(core::Errc::kIo, "database path " + dir.string() + " is not a directory");
    }
    if (::access(dir.c_str(), W_OK | X_OK) != 0) {
        return core::fail(core::Errc::kIo,
                          "database directory " + dir.string() +
                              " is not writable: " + std::generic_category().message(errno));
    }
    return {};
}

// An SST or WAL file in `dir`, if there is one. A MANIFEST alone is not counted: a process
// killed while RocksDB created the database leaves one before CURRENT, and nothing was stored.
std::optional<std::filesystem::path> database_file_in(const std::filesystem::path& dir) {
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto ext = it->path().extension();
        if (ext == ".sst" || ext == ".log") return it->path();
    }
    return std::nullopt;
}

// The column families already in the database (RocksDB must open all of them), plus "default".
core::Result<std::vector<std::string>> existing_families(const std::filesystem::path& dir,
                                                         const rocksdb::DBOptions& options) {
    std::vector<std::string> names;
    std::error_code ec;
    if (!std::filesystem::exists(dir / "CURRENT", ec)) {
        // Without CURRENT, RocksDB would take the directory for a new database and write an
        // empty one over what is there: refuse instead when database files are present.
        if (const auto left = database_file_in(dir)) {
            return core::fail(core::Errc::kCorruption,
                              "open " + dir.string() + ": its CURRENT file is missing but " +
                                  left->filename().string() +
                                  " is there: a damaged database, not a new one");
        }
        names.push_back(rocksdb::kDefaultColumnFamilyName);
        return names;
    }
    const auto status = rocksdb::DB::ListColumnFamilies(options, dir.string(), &names);
    if (!status.ok()) return core::fail(detail::to_error(status, "open " + dir.string()));
    return names;
}

}  // namespace

struct RocksStore::Impl {
    std::filesystem::path path;
    std::shared_ptr<rocksdb::Cache> cache;
    std::unique_ptr<rocksdb::DB> db;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;  // every family opened
    std::array<rocksdb::ColumnFamilyHandle*, core::kColumnCount> columns{};

    ~Impl() {
        if (!db) return;
        for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
        db->Close().PermitUncheckedError();
    }

    core::Result<std::optional<core::Bytes>> get(core::Column column, core::ByteView key,
                                                 const rocksdb::Snapshot* snapshot) const;
    core::Result<void> scan(core::Column column, core::ByteView prefix,
                            const std::function<bool(core::ByteView, core::ByteView)>& visit,
                            const rocksdb::Snapshot* snapshot) const;
};

core::Result<std::optional<core::Bytes>> RocksStore::Impl::get(
    core::Column column, core::ByteView key, const rocksdb::Snapshot* snapshot) const {
    if (!detail::valid_column(column)) return detail::unknown_column(column);
    rocksdb::ReadOptions read;
    read.snapshot = snapshot;
    rocksdb::PinnableSlice value;
    const auto status =
        db->Get(read, columns[static_cast<std::size_t>(column)], to_slice(key), &value);
    if (status.IsNotFound()) return std::optional<core::Bytes>{};
    if (!status.ok()) {
        return core::fail(
            detail::to_error(status, "get from " + std::string(core::column_name(column))));
    }
    const auto bytes = to_view(value);
    return std::optional<core::Bytes>{core::Bytes(bytes.begin(), bytes.end())};
}

core::Result<void> RocksStore::Impl::scan(
    core::Column column, core::ByteView prefix,
    const std::function<bool(core::ByteView, core::ByteView)>& visit,
    const rocksdb::Snapshot* snapshot) const {
    if (!detail::valid_column(column)) return detail::unknown_column(column);
    const std::string bound = prefix_upper_bound(prefix);
    const rocksdb::Slice bound_slice(bound);
    rocksdb::ReadOptions read;
    read.snapshot = snapshot;
    if (!bound.empty()) read.iterate_upper_bound = &bound_slice;
    std::unique_ptr<rocksdb::Iterator> it(
        db->NewIterator(read, columns[static_cast<std::size_t>(column)]));
    for (it->Seek(to_slice(prefix)); it->Valid() && starts_with(it->key(), prefix); it->Next()) {
        if (!visit(to_view(it->key()), to_view(it->value()))) break;
    }
    if (!it->status().ok()) {
        return core::fail(
            detail::to_error(it->status(), "scan of " + std::string(core::column_name(column))));
    }
    return {};
}

namespace {

// A read-only view of a RocksStore at one moment; keeps the database open while it lives.
class RocksSnapshot final : public core::KvStore {
public:
    explicit RocksSnapshot(std::shared_ptr<const RocksStore::Impl> impl)
        : impl_(std::move(impl)), snapshot_(impl_->db->GetSnapshot()) {}
    ~RocksSnapshot() override { impl_->db->ReleaseSnapshot(snapshot_); }
    RocksSnapshot(const RocksSnapshot&) = delete;
    RocksSnapshot& operator=(const RocksSnapshot&) = delete;

    core::Result<std::optional<core::Bytes>> get(core::Column column,
                                                 core::ByteView key) const override {
        return impl_->get(column, key, snapshot_);
    }
    core::Result<void> write(const core::WriteBatch&, bool) override {
        return core::fail(core::Errc::kInvalidArgument, "snapshot is read-only");
    }
    core::Result<void> scan(
        core::Column column, core::ByteView prefix,
        const std::function<bool(core::ByteView, core::ByteView)>& visit) const override {
        return impl_->scan(column, prefix, visit, snapshot_);
    }

private:
    std::shared_ptr<const RocksStore::Impl> impl_;
    const rocksdb::Snapshot* snapshot_;
};

core::Result<std::shared_ptr<RocksStore::Impl>> open_impl(const std::filesystem::path& dir,
                                                          const RocksStoreOptions& options) {
    auto impl = std::make_shared<RocksStore::Impl>();
    impl->path = dir;
    impl->cache = rocksdb::NewLRUCache(options.block_cache_bytes);
    const auto db_options = detail::make_db_options(options);
    const auto cf_options = detail::make_column_options(options, impl->cache);
    auto names = existing_families(dir, db_options);
    if (!names) return core::fail(names.error());
    for (auto column : core::all_columns()) {
        const std::string name(core::column_name(column));
        if (std::find(names->begin(), names->end(), name) == names->end()) names->push_back(name);
    }
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const auto& name : *names) families.emplace_back(name, cf_options);
    rocksdb::DB* db = nullptr;
    const auto status = rocksdb::DB::Open(db_options, dir.string(), families, &impl->handles, &db);
    if (!status.ok()) return core::fail(detail::to_error(status, "open " + dir.string()));
    impl->db.reset(db);
    for (std::size_t i = 0; i < families.size(); ++i) {
        for (auto column : core::all_columns()) {
            if (families[i].name == core::column_name(column)) {
                impl->columns[static_cast<std::size_t>(column)] = impl->handles[i];
            }
        }
    }
    return impl;
}

}  // namespace

RocksStore::RocksStore(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

RocksStore::~RocksStore() = default;

core::Result<std::unique_ptr<RocksStore>> RocksStore::open(const std::filesystem::path& dir,
                                                           const RocksStoreOptions& options) {
    if (auto ready = prepare_directory(dir); !ready) return core::fail(ready.error());
    auto impl = open_impl(dir, options);
    if (!impl) return core::fail(impl.error());
    return std::unique_ptr<RocksStore>(new RocksStore(std::move(*impl)));
}

core::Result<std::optional<core::Bytes>> RocksStore::get(core::Column column,
                                                         core::ByteView key) const {
    return impl_->get(column, key, nullptr);
}

core::Result<void> RocksStore::write(const core::WriteBatch& batch, bool sync) {
    for (const auto& op : batch.ops()) {
        if (!detail::valid_column(op.column)) return detail::unknown_column(op.column);
    }
    rocksdb::WriteBatch rocks_batch(batch_bytes(batch));
    for (const auto* op : in_key_order(batch)) {
        auto* handle = impl_->columns[static_cast<std::size_t>(op->column)];
        const auto key = to_slice(op->key);
        const auto status = op->erase ? rocks_batch.Delete(handle, key)
                                      : rocks_batch.Put(handle, key, to_slice(op->value));
        if (!status.ok()) return core::fail(detail::to_error(status, "build write batch"));
    }
    rocksdb::WriteOptions write_options;
    write_options.sync = sync;
    const auto status = impl_->db->Write(write_options, &rocks_batch);
    if (!status.ok()) {
        return core::fail(detail::to_error(status, "write to " + impl_->path.string()));
    }
    return {};
}

core::Result<void> RocksStore::scan(
    core::Column column, core::ByteView prefix,
    const std::function<bool(core::ByteView key, core::ByteView value)>& visit) const {
    return impl_->scan(column, prefix, visit, nullptr);
}

core::Result<void> RocksStore::flush() {
    rocksdb::FlushOptions flush_options;
    flush_options.wait = true;
    const std::vector<rocksdb::ColumnFamilyHandle*> columns(impl_->columns.begin(),
                                                            impl_->columns.end());
    const auto status = impl_->db->Flush(flush_options, columns);
    if (!status.ok()) {
        return core::fail(detail::to_error(status, "flush " + impl_->path.string()));
    }
    return {};
}

std::unique_ptr<core::KvStore> RocksStore::snapshot() const {
    return std::make_unique<RocksSnapshot>(impl_);
}

const std::filesystem::path& RocksStore::path() const noexcept {
    return impl_->path;
}

}  // namespace mfd::storage
