#include "storage/detail/rocks_options.hpp"

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

#include <algorithm>

namespace mfd::storage::detail {
namespace {

// Keys are addresses and hashes and values are short: they compress little, so use the
// cheapest codec RocksDB was built with (LZ4, else Snappy) rather than spending CPU on ZSTD.
rocksdb::CompressionType cheap_compression() {
    const auto supported = rocksdb::GetSupportedCompressions();
    for (auto type : {rocksdb::kLZ4Compression, rocksdb::kSnappyCompression}) {
        if (std::find(supported.begin(), supported.end(), type) != supported.end()) return type;
    }
    return rocksdb::kNoCompression;
}

rocksdb::BlockBasedTableOptions table_options(const std::shared_ptr<rocksdb::Cache>& cache) {
    rocksdb::BlockBasedTableOptions table;
    table.block_cache = cache;
    // Point reads dominate after each commit, and many of them miss (new accounts, unknown tx
    // hashes): a 10 bits/key Bloom filter (~1% false positives) skips SST files without reading
    // a data block.
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    // Index and filter blocks live in the block cache, so the cache size bounds all read memory
    // as the database grows; L0's stay pinned because every read consults them.
    table.cache_index_and_filter_blocks = true;
    table.pin_l0_filter_and_index_blocks_in_cache = true;
    return table;
}

}  // namespace

rocksdb::DBOptions make_db_options(const RocksStoreOptions& options) {
    rocksdb::DBOptions db;
    db.create_if_missing = true;
    db.create_missing_column_families = true;
    // After a crash, an incomplete record at the end of the WAL is a write the crash cut short
    // (never acknowledged: writes are synced) and is dropped whole; a damaged record with
    // records after it is an error, not the silent point-in-time rollback of
    // kPointInTimeRecovery, which would drop every later committed block without a word.
    // A truncation that ends on an incomplete record looks like the first case; the node's
    // start-up check against its plugin's height catches what it drops (docs/simulator.md).
    db.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
    // Closed WALs and their synced sizes are recorded in the MANIFEST: a missing or shortened
    // one fails the open instead of being skipped.
    db.track_and_verify_wals_in_manifest = true;
    // All column families share one WAL, and a WAL file is kept until every family that wrote to
    // it has flushed; rarely written families (validators, evidence) would pin WAL files for
    // ever. Past this size RocksDB flushes them so old WAL files can go (bounds recovery time).
    db.max_total_wal_size = 256u << 20;
    db.db_write_buffer_size = options.total_write_buffer_bytes;
    // Flushes and compactions share these threads; a validator host has few cores to spare.
    db.max_background_jobs = 2;
    // Sync SST and WAL data to disk in 1 MiB steps while writing, instead of one long fsync
    // stall at the end of a flush or at a synced commit of a multi-megabyte block batch.
    db.bytes_per_sync = 1u << 20;
    db.wal_bytes_per_sync = 1u << 20;
    // RocksDB's LOG is for post-mortems: warnings only, and a few files, not a thousand.
    db.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
    db.keep_log_file_num = 4;
    return db;
}

rocksdb::ColumnFamilyOptions make_column_options(
    const RocksStoreOptions& options, const std::shared_ptr<rocksdb::Cache>& block_cache) {
    rocksdb::ColumnFamilyOptions cf;
    // One block batch writes ~20,000 account records (~2 MB): a 64 MiB memtable holds ~30
    // blocks before a flush, so flushes are few and produce large L0 files.
    cf.write_buffer_size = options.write_buffer_bytes;
    // Sizes levels from the last one up, which keeps space amplification near 1.1 for state that
    // is overwritten block after block (account balances).
    cf.level_compaction_dynamic_level_bytes = true;
    cf.compression = cheap_compression();
    cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options(block_cache)));
    return cf;
}

}  // namespace mfd::storage::detail
