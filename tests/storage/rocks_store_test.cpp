// RocksStore beyond the shared conformance suite: the files on disk, reopening, and the
// failures a node operator meets (unwritable directory, locked database, damaged files).

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "storage/rocks_store.hpp"
#include "tests/storage/crash_workload.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace mfd::storage::test {
namespace {

using mfd::test::ChildProcess;
using mfd::test::TempDir;

using core::Column;

core::Bytes s(std::string_view text) {
    return core::Bytes(text.begin(), text.end());
}

std::unique_ptr<RocksStore> open_ok(const std::filesystem::path& dir) {
    auto store = RocksStore::open(dir);
    EXPECT_TRUE(store) << store.error().to_string();
    return store ? std::move(*store) : nullptr;
}

void put(core::KvStore& store, Column column, std::string_view key, std::string_view value,
         bool sync = true) {
    core::WriteBatch batch;
    batch.put(column, s(key), s(value));
    ASSERT_TRUE(store.write(batch, sync));
}

std::vector<std::string> families_on_disk(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.string(), &names).ok());
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::filesystem::path> files_named(const std::filesystem::path& dir,
                                               std::string_view suffix) {
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().string().ends_with(suffix)) out.push_back(entry.path());
    }
    return out;
}

void overwrite(const std::filesystem::path& file, std::uintmax_t offset, std::string_view bytes) {
    std::fstream out(file, std::ios::in | std::ios::out | std::ios::binary);
    out.seekp(static_cast<std::streamoff>(offset));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(RocksStore, CreatesNestedDirectoryAndOneFamilyPerColumn) {
    TempDir dir;
    const auto path = dir / "a/b/db";
    ASSERT_NE(open_ok(path), nullptr);
    std::vector<std::string> expected{"default"};
    for (auto column : core::all_columns()) expected.emplace_back(core::column_name(column));
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(families_on_disk(path), expected);
}

TEST(RocksStore, ReopenKeepsSyncedUnsyncedAndFlushedWrites) {
    TempDir dir;
    {
        auto store = open_ok(dir.path());
        ASSERT_NE(store, nullptr);
        put(*store, Column::kAccounts, "flushed", "1");
        ASSERT_TRUE(store->flush());
        put(*store, Column::kAccounts, "synced", "2", true);
        put(*store, Column::kReceipts, "unsynced", "3", false);
    }
    auto store = open_ok(dir.path());
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(*store->get(Column::kAccounts, s("flushed")), s("1"));
    EXPECT_EQ(*store->get(Column::kAccounts, s("synced")), s("2"));
    EXPECT_EQ(*store->get(Column::kReceipts, s("unsynced")), s("3"));
    EXPECT_FALSE(files_named(dir.path(), ".sst").empty());
}

TEST(RocksStore, OpensDatabaseWithAFamilyItDoesNotKnow) {
    TempDir dir;
    {
        rocksdb::Options options;
        options.create_if_missing = true;
        rocksdb::DB* raw = nullptr;
        ASSERT_TRUE(rocksdb::DB::Open(options, dir.path().string(), &raw).ok());
        std::unique_ptr<rocksdb::DB> db(raw);
        rocksdb::ColumnFamilyHandle* handle = nullptr;
        ASSERT_TRUE(db->CreateColumnFamily({}, "from_a_newer_version", &handle).ok());
        ASSERT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
    }
    auto store = open_ok(dir.path());
    ASSERT_NE(store, nullptr);
    put(*store, Column::kMeta, "k", "v");
    EXPECT_EQ(families_on_disk(dir.path()).size(), core::kColumnCount + 2);
}

TEST(RocksStore, PathUnderARegularFileIsAnIoError) {
    TempDir dir;
    std::ofstream(dir / "file") << "not a directory";
    for (const auto& path : {dir / "file", dir / "file/db"}) {
        auto store = RocksStore::open(path);
        ASSERT_FALSE(store) << path;
        EXPECT_EQ(store.error().code, core::Errc::kIo);
        EXPECT_NE(store.error().message.find(path.string()), std::string::npos);
    }
}

TEST(RocksStore, ReadOnlyFileSystemIsAnIoError) {
    if (!std::filesystem::is_directory("/proc/self")) GTEST_SKIP() << "no /proc";
    auto store = RocksStore::open("/proc/self/mfd-db");
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().code, core::Errc::kIo);
}

TEST(RocksStore, SecondOpenInThisProcessIsUnavailable) {
    TempDir dir;
    auto first = open_ok(dir.path());
    ASSERT_NE(first, nullptr);
    auto second = RocksStore::open(dir.path());
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, core::Errc::kUnavailable);
    EXPECT_NE(second.error().message.find("locked"), std::string::npos);
    first.reset();
    EXPECT_NE(open_ok(dir.path()), nullptr);
}

TEST(RocksStore, OpenWhileAnotherProcessHoldsItIsUnavailable) {
    TempDir dir;
    ChildProcess writer({MFD_CRASH_WRITER, dir.path().string()});
    ASSERT_EQ(writer.read_line(std::chrono::seconds(60)), "opened 0");
    auto second = RocksStore::open(dir.path());
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, core::Errc::kUnavailable) << second.error().to_string();
    ASSERT_TRUE(writer.kill_and_wait());
    EXPECT_NE(open_ok(dir.path()), nullptr);
}

TEST(RocksStore, DamagedCurrentFileIsCorruption) {
    TempDir dir;
    ASSERT_NE(open_ok(dir.path()), nullptr);
    std::ofstream(dir / "CURRENT", std::ios::trunc) << "MANIFEST-garbage";
    auto store = RocksStore::open(dir.path());
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().code, core::Errc::kCorruption) << store.error().to_string();
}

// Without this check RocksDB took the directory for a new database and wrote an empty one over
// the blocks (the fault-injection suite's "delete CURRENT").
TEST(RocksStore, AMissingCurrentFileBesideDatabaseFilesIsCorruptionNotANewDatabase) {
    TempDir dir;
    {
        auto store = open_ok(dir.path());
        ASSERT_NE(store, nullptr);
        put(*store, Column::kAccounts, "alice", "100");
    }
    std::filesystem::remove(dir / "CURRENT");
    auto store = RocksStore::open(dir.path());
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().code, core::Errc::kCorruption) << store.error().to_string();
    EXPECT_NE(store.error().message.find("CURRENT file is missing"), std::string::npos)
        << store.error().to_string();
    EXPECT_FALSE(std::filesystem::exists(dir / "CURRENT"));
}

// What a process killed while RocksDB created the database leaves: a MANIFEST, no CURRENT, no
// data. Nothing was stored, so the database is created again.
TEST(RocksStore, AManifestWithoutCurrentOrDataIsAnInterruptedCreation) {
    TempDir dir;
    {
        auto store = open_ok(dir.path());
        ASSERT_NE(store, nullptr);
    }
    std::filesystem::remove(dir / "CURRENT");
    for (const auto& log : files_named(dir.path(), ".log")) std::filesystem::remove(log);
    bool manifest = false;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        manifest = manifest || e.path().filename().string().starts_with("MANIFEST-");
    }
    ASSERT_TRUE(manifest);
    auto store = open_ok(dir.path());
    ASSERT_NE(store, nullptr);
    put(*store, Column::kAccounts, "alice", "100");
    EXPECT_TRUE(std::filesystem::exists(dir / "CURRENT"));
}

TEST(RocksStore, DamagedTableFileIsCorruptionNotACrash) {
    TempDir dir;
    {
        auto store = open_ok(dir.path());
        ASSERT_NE(store, nullptr);
        ASSERT_TRUE(store->write(block_batch(1)));
        ASSERT_TRUE(store->flush());
    }
    const auto tables = files_named(dir.path(), ".sst");
    ASSERT_FALSE(tables.empty());
    for (const auto& table : tables) {
        overwrite(table, std::filesystem::file_size(table) / 3, std::string(64, '\x5a'));
    }
    auto store = RocksStore::open(dir.path());
    if (!store) {
        EXPECT_EQ(store.error().code, core::Errc::kCorruption) << store.error().to_string();
        return;
    }
    auto scanned = (*store)->scan(Column::kAccounts, {}, [](auto, auto) { return true; });
    ASSERT_FALSE(scanned);
    EXPECT_EQ(scanned.error().code, core::Errc::kCorruption) << scanned.error().to_string();
}

TEST(RocksStore, SnapshotOutlivesTheStoreAndThenReleasesTheLock) {
    TempDir dir;
    auto store = open_ok(dir.path());
    ASSERT_NE(store, nullptr);
    put(*store, Column::kAccounts, "a", "1");
    auto snapshot = store->snapshot();
    store.reset();
    EXPECT_EQ(*snapshot->get(Column::kAccounts, s("a")), s("1"));
    snapshot.reset();
    EXPECT_NE(open_ok(dir.path()), nullptr);
}

TEST(RocksStore, ReportsItsPath) {
    TempDir dir;
    auto store = open_ok(dir / "db");
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->path(), dir / "db");
}

}  // namespace
}  // namespace mfd::storage::test
