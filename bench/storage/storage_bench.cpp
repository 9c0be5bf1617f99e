// Block commits and account point reads on RocksStore (MemoryStore alongside for reference).
// A block batch holds 20,000 account updates (32-byte keys, 40-byte values) out of 1,000,000
// accounts, plus a 320 KB block record (10,000 transaction hashes) and the committed height.
// Counters: batches/s and records/s (items_per_second) for commits, reads/s for reads.
// The databases live under $TMPDIR (default /tmp).

#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/keccak.hpp"
#include "storage/chain_meta.hpp"
#include "storage/keys.hpp"
#include "storage/memory_store.hpp"
#include "storage/rocks_store.hpp"

namespace {

using mfd::core::Column;
using mfd::core::WriteBatch;

constexpr std::uint64_t kAccounts = 1'000'000;
constexpr std::uint64_t kUpdatesPerBlock = 20'000;
constexpr std::size_t kBlockRecordBytes = 10'000 * 32;
constexpr std::size_t kValueBytes = 40;

const std::vector<mfd::core::Hash>& account_keys() {
    static const auto keys = [] {
        std::vector<mfd::core::Hash> out(kAccounts);
        std::uint8_t be[8];
        for (std::uint64_t i = 0; i < kAccounts; ++i) {
            mfd::core::put_be64(be, i);
            out[i] = mfd::core::keccak256(mfd::core::ByteView(be, 8));
        }
        return out;
    }();
    return keys;
}

mfd::core::Bytes account_value(std::uint64_t height, std::uint64_t index) {
    mfd::core::Bytes value(kValueBytes, static_cast<std::uint8_t>(index));
    mfd::core::put_be64(value.data(), height);
    mfd::core::put_be64(value.data() + 8, index * 1'000'003);
    return value;
}

// Block `height`: a block record of random bytes (hashes do not compress) and 20,000 accounts
// drawn from `rng`.
WriteBatch block_batch(std::uint64_t height, std::mt19937_64& rng) {
    WriteBatch batch;
    mfd::core::Bytes record(kBlockRecordBytes);
    for (auto& byte : record) byte = static_cast<std::uint8_t>(rng());
    batch.put(Column::kBlocks, mfd::storage::block_number_key(height).view(), record);
    for (std::uint64_t j = 0; j < kUpdatesPerBlock; ++j) {
        const std::uint64_t index = rng() % kAccounts;
        batch.put(Column::kAccounts, account_keys()[index].view(), account_value(height, index));
    }
    mfd::storage::put_committed_height(batch, height);
    return batch;
}

// Writes every account once, in blocks of 20,000 consecutive indices.
void fill_all_accounts(mfd::core::KvStore& store) {
    for (std::uint64_t first = 0; first < kAccounts; first += kUpdatesPerBlock) {
        WriteBatch batch;
        for (std::uint64_t i = first; i < first + kUpdatesPerBlock && i < kAccounts; ++i) {
            batch.put(Column::kAccounts, account_keys()[i].view(), account_value(0, i));
        }
        if (!store.write(batch, false)) std::abort();
    }
}

class BenchDir {
public:
    BenchDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "mfd-bench-XXXXXX");
        if (::mkdtemp(pattern.data()) == nullptr) std::abort();
        path_ = pattern;
    }
    ~BenchDir() { std::filesystem::remove_all(path_); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

void commit_loop(benchmark::State& state, mfd::core::KvStore& store, bool sync) {
    std::mt19937_64 rng(42);
    std::uint64_t height = 0;
    for (auto _ : state) {
        state.PauseTiming();
        const WriteBatch batch = block_batch(++height, rng);
        state.ResumeTiming();
        if (!store.write(batch, sync)) state.SkipWithError("write failed");
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kUpdatesPerBlock + 2));
    state.counters["batches/s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_CommitBlockRocks(benchmark::State& state) {
    (void)account_keys();
    BenchDir dir;
    auto store = mfd::storage::RocksStore::open(dir.path() / "db");
    if (!store) return state.SkipWithError(store.error().to_string().c_str());
    commit_loop(state, **store, state.range(0) != 0);
}
BENCHMARK(BM_CommitBlockRocks)->ArgName("sync")->Arg(0)->Arg(1)->UseRealTime()->MinTime(5)
    ->Unit(benchmark::kMillisecond);

void BM_CommitBlockMemory(benchmark::State& state) {
    (void)account_keys();
    mfd::storage::MemoryStore store;
    commit_loop(state, store, false);
}
BENCHMARK(BM_CommitBlockMemory)->UseRealTime()->MinTime(2)->Unit(benchmark::kMillisecond);

// A database holding all 1,000,000 accounts, flushed to SST files, opened with `cache_bytes`.
struct ReadFixture {
    BenchDir dir;
    std::unique_ptr<mfd::storage::RocksStore> store;

    explicit ReadFixture(std::size_t cache_bytes) {
        mfd::storage::RocksStoreOptions options;
        auto filled = mfd::storage::RocksStore::open(dir.path() / "db", options);
        if (!filled) std::abort();
        fill_all_accounts(**filled);
        if (!(*filled)->flush()) std::abort();
        filled->reset();
        options.block_cache_bytes = cache_bytes;
        auto reopened = mfd::storage::RocksStore::open(dir.path() / "db", options);
        if (!reopened) std::abort();
        store = std::move(*reopened);
    }
};

// Reads keys drawn by `pick` (an index into account_keys, or beyond it for absent keys).
template <class Pick>
void read_loop(benchmark::State& state, const mfd::core::KvStore& store, Pick pick) {
    std::mt19937_64 rng(1'000 + static_cast<std::uint64_t>(state.thread_index()));
    std::uint64_t found = 0;
    for (auto _ : state) {
        auto value = store.get(Column::kAccounts, pick(rng).view());
        if (!value) state.SkipWithError("get failed");
        found += value && value->has_value() ? 1 : 0;
    }
    state.counters["reads/s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                   benchmark::Counter::kIsRate);
    const auto reads = static_cast<double>(std::max<std::int64_t>(1, state.iterations()));
    state.counters["found"] =
        benchmark::Counter(static_cast<double>(found) / reads, benchmark::Counter::kAvgThreads);
}

ReadFixture& warm_fixture() {
    static ReadFixture fixture(std::size_t{256} << 20);
    return fixture;
}

// Hot set of 10,000 accounts: after the first touch every read is a block-cache hit.
void BM_GetAccountCacheHit(benchmark::State& state) {
    read_loop(state, *warm_fixture().store,
              [](std::mt19937_64& rng) { return account_keys()[rng() % 10'000]; });
}
BENCHMARK(BM_GetAccountCacheHit)->Threads(1)->Threads(2)->UseRealTime()->MinTime(2);

// Keys that were never written: answered by the Bloom filters, almost never by a data block.
void BM_GetAccountAbsent(benchmark::State& state) {
    static const auto absent = [] {
        std::vector<mfd::core::Hash> keys(1 << 16);
        std::uint8_t be[8];
        for (std::uint64_t i = 0; i < keys.size(); ++i) {
            mfd::core::put_be64(be, kAccounts + i);
            keys[i] = mfd::core::keccak256(mfd::core::ByteView(be, 8));
        }
        return keys;
    }();
    read_loop(state, *warm_fixture().store,
              [](std::mt19937_64& rng) { return absent[rng() % absent.size()]; });
}
BENCHMARK(BM_GetAccountAbsent)->UseRealTime()->MinTime(2);

// Uniform over 1,000,000 accounts with a 1 MiB block cache: data blocks come from the OS page
// cache and are decompressed on (almost) every read.
void BM_GetAccountCacheMiss(benchmark::State& state) {
    static ReadFixture cold(std::size_t{1} << 20);
    read_loop(state, *cold.store,
              [](std::mt19937_64& rng) { return account_keys()[rng() % kAccounts]; });
}
BENCHMARK(BM_GetAccountCacheMiss)->UseRealTime()->MinTime(2);

}  // namespace
