// The behaviour every core::KvStore of the project shares, run against MemoryStore and
// RocksStore alike, so tests above storage can use the in-memory one and trust the result.

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "storage/chain_meta.hpp"
#include "storage/memory_store.hpp"
#include "storage/rocks_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace mfd::storage::test {
namespace {

using mfd::test::TempDir;

using core::Bytes;
using core::Column;

Bytes b(std::initializer_list<std::uint8_t> bytes) {
    return Bytes(bytes);
}
Bytes s(std::string_view text) {
    return Bytes(text.begin(), text.end());
}

// A store under test and the way to take its snapshot.
struct Subject {
    std::unique_ptr<TempDir> dir;
    std::unique_ptr<core::KvStore> store;
    std::function<std::unique_ptr<core::KvStore>()> snapshot;
};

struct Flavour {
    std::string name;
    std::function<Subject()> make;
};

Subject make_memory() {
    auto store = std::make_unique<MemoryStore>();
    auto* raw = store.get();
    return {nullptr, std::move(store), [raw] { return raw->snapshot(); }};
}

Subject make_rocks() {
    auto dir = std::make_unique<TempDir>();
    auto opened = RocksStore::open(dir->path() / "db");
    if (!opened) throw std::runtime_error(opened.error().to_string());
    auto* raw = opened->get();
    return {std::move(dir), std::move(*opened), [raw] { return raw->snapshot(); }};
}

class StoreConformance : public ::testing::TestWithParam<Flavour> {
protected:
    void SetUp() override { subject_ = GetParam().make(); }
    core::KvStore& store() { return *subject_.store; }

    void put(Column column, const Bytes& key, const Bytes& value) {
        core::WriteBatch batch;
        batch.put(column, key, value);
        ASSERT_TRUE(store().write(batch));
    }
    std::optional<Bytes> get(Column column, const Bytes& key) {
        auto value = store().get(column, key);
        EXPECT_TRUE(value) << value.error().to_string();
        return value ? *value : std::nullopt;
    }
    std::vector<Bytes> keys(Column column, const Bytes& prefix) {
        std::vector<Bytes> out;
        auto scanned = store().scan(column, prefix, [&](core::ByteView key, core::ByteView) {
            out.emplace_back(key.begin(), key.end());
            return true;
        });
        EXPECT_TRUE(scanned);
        return out;
    }

    Subject subject_;
};

TEST_P(StoreConformance, MissingKeyIsNullopt) {
    EXPECT_EQ(get(Column::kAccounts, s("nobody")), std::nullopt);
}

TEST_P(StoreConformance, PutThenGetThenOverwrite) {
    put(Column::kAccounts, s("alice"), s("100"));
    EXPECT_EQ(get(Column::kAccounts, s("alice")), s("100"));
    put(Column::kAccounts, s("alice"), s("7"));
    EXPECT_EQ(get(Column::kAccounts, s("alice")), s("7"));
}

TEST_P(StoreConformance, EmptyValueIsStoredAndDiffersFromAbsent) {
    put(Column::kMeta, s("flag"), {});
    EXPECT_EQ(get(Column::kMeta, s("flag")), Bytes{});
}

TEST_P(StoreConformance, EraseRemovesAndErasingAbsentKeyIsFine) {
    put(Column::kTxs, s("tx"), s("raw"));
    core::WriteBatch batch;
    batch.erase(Column::kTxs, s("tx"));
    batch.erase(Column::kTxs, s("never-written"));
    ASSERT_TRUE(store().write(batch));
    EXPECT_EQ(get(Column::kTxs, s("tx")), std::nullopt);
}

TEST_P(StoreConformance, LaterOperationInOneBatchWins) {
    core::WriteBatch batch;
    batch.put(Column::kAccounts, s("a"), s("1"));
    batch.erase(Column::kAccounts, s("a"));
    batch.put(Column::kAccounts, s("b"), s("1"));
    batch.put(Column::kAccounts, s("b"), s("2"));
    batch.put(Column::kAccounts, s("c"), s("1"));
    batch.erase(Column::kAccounts, s("c"));
    batch.put(Column::kAccounts, s("c"), s("3"));
    ASSERT_TRUE(store().write(batch));
    EXPECT_EQ(get(Column::kAccounts, s("a")), std::nullopt);
    EXPECT_EQ(get(Column::kAccounts, s("b")), s("2"));
    EXPECT_EQ(get(Column::kAccounts, s("c")), s("3"));
}

TEST_P(StoreConformance, ColumnsAreSeparate) {
    for (auto column : core::all_columns()) {
        put(column, s("key"), s(core::column_name(column)));
    }
    for (auto column : core::all_columns()) {
        EXPECT_EQ(get(column, s("key")), s(core::column_name(column)));
        EXPECT_EQ(keys(column, {}).size(), 1u);
    }
}

TEST_P(StoreConformance, EmptyBatchSucceeds) {
    EXPECT_TRUE(store().write(core::WriteBatch{}, true));
    EXPECT_TRUE(store().write(core::WriteBatch{}, false));
}

TEST_P(StoreConformance, UnsyncedWriteIsVisible) {
    core::WriteBatch batch;
    batch.put(Column::kFraudScores, s("tx"), s("0.93"));
    ASSERT_TRUE(store().write(batch, false));
    EXPECT_EQ(get(Column::kFraudScores, s("tx")), s("0.93"));
}

TEST_P(StoreConformance, LargeValueRoundTrips) {
    Bytes value(3 << 20);
    for (std::size_t i = 0; i < value.size(); ++i) value[i] = static_cast<std::uint8_t>(i * 131);
    put(Column::kContractCode, s("big"), value);
    EXPECT_EQ(get(Column::kContractCode, s("big")), value);
}

TEST_P(StoreConformance, ScanOrdersKeysAsUnsignedBytes) {
    for (const auto& key :
         {b({0xff}), b({0x80}), b({0x01, 0x00}), b({0x7f}), b({0x00}), b({0x01}), Bytes{}}) {
        put(Column::kBlocks, key, s("v"));
    }
    const std::vector<Bytes> expected{Bytes{},   b({0x00}), b({0x01}), b({0x01, 0x00}),
                                      b({0x7f}), b({0x80}), b({0xff})};
    EXPECT_EQ(keys(Column::kBlocks, {}), expected);
}

TEST_P(StoreConformance, ScanVisitsExactlyThePrefix) {
    for (const auto& key : {b({0x00, 0xff}), b({0x01}), b({0x01, 0x00}), b({0x01, 0xff, 0xff}),
                            b({0x02}), b({0x02, 0x00})}) {
        put(Column::kContractStorage, key, s("v"));
    }
    const std::vector<Bytes> expected{b({0x01}), b({0x01, 0x00}), b({0x01, 0xff, 0xff})};
    EXPECT_EQ(keys(Column::kContractStorage, b({0x01})), expected);
    EXPECT_TRUE(keys(Column::kContractStorage, b({0x03})).empty());
    EXPECT_TRUE(keys(Column::kContractStorage, b({0x01, 0x00, 0x00})).empty());
}

TEST_P(StoreConformance, ScanWithAllOnesPrefixReachesTheEnd) {
    for (const auto& key : {b({0xfe, 0xff}), b({0xff}), b({0xff, 0xff}), b({0xff, 0xff, 0x01})}) {
        put(Column::kEvidence, key, s("v"));
    }
    const std::vector<Bytes> expected{b({0xff, 0xff}), b({0xff, 0xff, 0x01})};
    EXPECT_EQ(keys(Column::kEvidence, b({0xff, 0xff})), expected);
}

TEST_P(StoreConformance, ScanPassesValuesAndStopsWhenAsked) {
    for (std::uint8_t i = 0; i < 10; ++i) put(Column::kValidators, b({i}), b({i, i}));
    std::vector<Bytes> values;
    auto scanned = store().scan(Column::kValidators, {}, [&](core::ByteView, core::ByteView v) {
        values.emplace_back(v.begin(), v.end());
        return values.size() < 3;
    });
    ASSERT_TRUE(scanned);
    EXPECT_EQ(values, (std::vector<Bytes>{b({0, 0}), b({1, 1}), b({2, 2})}));
}

TEST_P(StoreConformance, ScanSeesTheStoreAsItWasWhenItBegan) {
    put(Column::kAccountHistory, s("a"), s("1"));
    put(Column::kAccountHistory, s("c"), s("1"));
    std::vector<Bytes> seen;
    auto scanned =
        store().scan(Column::kAccountHistory, {}, [&](core::ByteView key, core::ByteView) {
            seen.emplace_back(key.begin(), key.end());
            core::WriteBatch batch;
            batch.put(Column::kAccountHistory, s("b"), s("2"));
            batch.erase(Column::kAccountHistory, s("c"));
            EXPECT_TRUE(store().write(batch));
            return true;
        });
    ASSERT_TRUE(scanned);
    EXPECT_EQ(seen, (std::vector<Bytes>{s("a"), s("c")}));
    EXPECT_EQ(keys(Column::kAccountHistory, {}), (std::vector<Bytes>{s("a"), s("b")}));
}

TEST_P(StoreConformance, UnknownColumnIsRejectedAndBatchNotApplied) {
    const auto bad = static_cast<Column>(200);
    EXPECT_EQ(store().get(bad, s("k")).error().code, core::Errc::kInvalidArgument);
    auto scanned = store().scan(bad, {}, [](core::ByteView, core::ByteView) { return true; });
    EXPECT_EQ(scanned.error().code, core::Errc::kInvalidArgument);
    core::WriteBatch batch;
    batch.put(Column::kAccounts, s("good"), s("1"));
    batch.put(bad, s("k"), s("v"));
    EXPECT_EQ(store().write(batch).error().code, core::Errc::kInvalidArgument);
    EXPECT_EQ(get(Column::kAccounts, s("good")), std::nullopt);
}

TEST_P(StoreConformance, SnapshotIsFrozenAndReadOnly) {
    put(Column::kAccounts, s("a"), s("1"));
    auto snapshot = subject_.snapshot();
    put(Column::kAccounts, s("a"), s("2"));
    put(Column::kAccounts, s("b"), s("2"));
    EXPECT_EQ(*snapshot->get(Column::kAccounts, s("a")), s("1"));
    EXPECT_EQ(*snapshot->get(Column::kAccounts, s("b")), std::nullopt);
    std::size_t count = 0;
    ASSERT_TRUE(snapshot->scan(Column::kAccounts, {},
                               [&](core::ByteView, core::ByteView) { return ++count > 0; }));
    EXPECT_EQ(count, 1u);
    core::WriteBatch batch;
    batch.put(Column::kAccounts, s("c"), s("3"));
    EXPECT_EQ(snapshot->write(batch).error().code, core::Errc::kInvalidArgument);
    EXPECT_EQ(get(Column::kAccounts, s("c")), std::nullopt);
}

TEST_P(StoreConformance, ReadersNeverSeeHalfABatch) {
    constexpr int kWrites = 300;
    std::atomic<bool> done{false};
    std::atomic<int> torn{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 2; ++r) {
        readers.emplace_back([&] {
            while (!done.load()) {
                std::vector<Bytes> values;
                auto scanned =
                    store().scan(Column::kAccounts, {}, [&](core::ByteView, core::ByteView v) {
                        values.emplace_back(v.begin(), v.end());
                        return true;
                    });
                if (!scanned || (values.size() != 0 && values.size() != 2) ||
                    (values.size() == 2 && values[0] != values[1])) {
                    ++torn;
                }
            }
        });
    }
    for (int i = 0; i < kWrites; ++i) {
        core::WriteBatch batch;
        batch.put(Column::kAccounts, s("from"), s(std::to_string(i)));
        batch.put(Column::kAccounts, s("to"), s(std::to_string(i)));
        ASSERT_TRUE(store().write(batch, false));
    }
    done = true;
    for (auto& reader : readers) reader.join();
    EXPECT_EQ(torn.load(), 0);
}

TEST_P(StoreConformance, ConcurrentWritersAllLand) {
    constexpr int kPerThread = 200;
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t) {
        writers.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                core::WriteBatch batch;
                batch.put(Column::kTxs, s(std::to_string(t) + "/" + std::to_string(i)), s("x"));
                EXPECT_TRUE(store().write(batch, false));
            }
        });
    }
    for (auto& writer : writers) writer.join();
    EXPECT_EQ(keys(Column::kTxs, {}).size(), 4u * kPerThread);
}

TEST_P(StoreConformance, CommittedHeightFollowsTheBatch) {
    auto fresh = last_committed_height(store());
    ASSERT_TRUE(fresh);
    EXPECT_EQ(*fresh, std::nullopt);
    core::WriteBatch batch;
    batch.put(Column::kBlocks, s("block 7"), s("..."));
    put_committed_height(batch, 7);
    ASSERT_TRUE(store().write(batch));
    EXPECT_EQ(*last_committed_height(store()), std::optional<std::uint64_t>{7});
}

TEST_P(StoreConformance, DamagedCommittedHeightIsCorruption) {
    put(Column::kMeta, s(kCommittedHeightKey), s("abc"));
    auto height = last_committed_height(store());
    ASSERT_FALSE(height);
    EXPECT_EQ(height.error().code, core::Errc::kCorruption);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreConformance,
                         ::testing::Values(Flavour{"Memory", make_memory},
                                           Flavour{"Rocks", make_rocks}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace mfd::storage::test
