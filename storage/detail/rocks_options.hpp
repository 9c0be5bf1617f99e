#pragma once
/// Internal to storage (includes RocksDB): the database and column family options of RocksStore.

#include <rocksdb/options.h>

#include <memory>

#include "storage/rocks_store.hpp"

namespace mfd::storage::detail {

/// Database-wide options: creation, WAL and recovery, background work, logging.
[[nodiscard]] rocksdb::DBOptions make_db_options(const RocksStoreOptions& options);

/// Options of one column family; every family shares `block_cache`.
[[nodiscard]] rocksdb::ColumnFamilyOptions make_column_options(
    const RocksStoreOptions& options, const std::shared_ptr<rocksdb::Cache>& block_cache);

}  // namespace mfd::storage::detail
