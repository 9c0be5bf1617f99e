// Typed chain records: blocks by number and hash, transactions with their location, receipts;
// round trips on both stores and kCorruption for every kind of damaged record.

#include <gtest/gtest.h>

#include <memory>

#include "core/keccak.hpp"
#include "core/transaction.hpp"
#include "storage/chain_meta.hpp"
#include "storage/chain_records.hpp"
#include "storage/keys.hpp"
#include "storage/memory_store.hpp"
#include "storage/rocks_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace mfd::storage::test {
namespace {

using mfd::test::TempDir;

using core::Column;

core::Bytes signed_transfer(std::uint64_t nonce) {
    core::Transaction tx;
    tx.type = core::TxType::kDynamicFee;
    tx.nonce = nonce;
    tx.max_priority_fee_per_gas = 2;
    tx.max_fee_per_gas = 100;
    tx.gas_limit = 21'000;
    tx.to = core::Address{};
    tx.value = 1'000 + nonce;
    const auto key = core::PrivateKey::derive(core::as_bytes("chain records test"));
    auto signed_tx = core::sign_transaction(tx, key, 1337);
    EXPECT_TRUE(signed_tx);
    return core::encode_transaction(*signed_tx);
}

core::Block make_block(std::uint64_t number, std::size_t transactions) {
    core::Block block;
    block.header.number = number;
    block.header.timestamp_ms = 1'000 * number;
    block.header.gas_limit = 30'000'000;
    for (std::size_t i = 0; i < transactions; ++i) {
        block.transactions.push_back(signed_transfer(number * 100 + i));
    }
    block.consensus_payload = core::Bytes{1, 2, 3};
    core::seal_block_body(block);
    return block;
}

core::Receipt make_receipt() {
    core::Receipt receipt;
    receipt.gas_used = 21'000;
    receipt.cumulative_gas_used = 42'000;
    receipt.effective_gas_price = 7;
    receipt.logs.push_back({core::Address{}, {core::keccak256("Transfer()")}, {9, 9}});
    core::make_receipt_bloom(receipt);
    return receipt;
}

void put_raw(core::KvStore& store, Column column, core::ByteView key, core::ByteView value) {
    core::WriteBatch batch;
    batch.put(column, key, value);
    ASSERT_TRUE(store.write(batch));
}

// Commits block 5 with its receipts and height in one batch, then reads everything back.
void round_trip(core::KvStore& store) {
    const core::Block block = make_block(5, 3);
    const core::Receipt receipt = make_receipt();
    const core::Hash tx1 = core::keccak256(block.transactions[1]);
    core::WriteBatch batch;
    ASSERT_TRUE(put_block(batch, block));
    put_receipt(batch, tx1, receipt);
    put_committed_height(batch, 5);
    ASSERT_TRUE(store.write(batch));

    EXPECT_EQ(*get_block(store, 5), block);
    EXPECT_EQ(*get_block_by_hash(store, core::block_hash(block.header)), block);
    EXPECT_EQ(*get_transaction(store, tx1), (StoredTx{{5, 1}, block.transactions[1]}));
    EXPECT_EQ(get_transaction(store, core::keccak256(block.transactions[2]))->value().location,
              (TxLocation{5, 2}));
    EXPECT_EQ(*get_receipt(store, tx1), receipt);
    EXPECT_EQ(*last_committed_height(store), std::optional<std::uint64_t>{5});

    EXPECT_EQ(*get_block(store, 6), std::nullopt);
    EXPECT_EQ(*get_block_by_hash(store, core::Hash{}), std::nullopt);
    EXPECT_EQ(*get_transaction(store, core::Hash{}), std::nullopt);
    EXPECT_EQ(*get_receipt(store, core::keccak256(block.transactions[0])), std::nullopt);
}

TEST(ChainRecords, RoundTripInMemory) {
    MemoryStore store;
    round_trip(store);
}

TEST(ChainRecords, RoundTripInRocksDbAcrossReopen) {
    TempDir dir;
    {
        auto store = RocksStore::open(dir.path());
        ASSERT_TRUE(store);
        round_trip(**store);
    }
    auto store = RocksStore::open(dir.path());
    ASSERT_TRUE(store);
    EXPECT_EQ(*get_block(**store, 5), make_block(5, 3));
}

TEST(ChainRecords, EmptyBlockRoundTrips) {
    MemoryStore store;
    core::WriteBatch batch;
    ASSERT_TRUE(put_block(batch, make_block(0, 0)));
    ASSERT_TRUE(store.write(batch));
    EXPECT_EQ(*get_block(store, 0), make_block(0, 0));
}

TEST(ChainRecords, DamagedBlockIsCorruption) {
    MemoryStore store;
    put_raw(store, Column::kBlocks, block_number_key(3).view(), core::Bytes{0xc0, 0x01});
    EXPECT_EQ(get_block(store, 3).error().code, core::Errc::kCorruption);
}

TEST(ChainRecords, BlockStoredUnderTheWrongNumberIsCorruption) {
    MemoryStore store;
    put_raw(store, Column::kBlocks, block_number_key(4).view(),
            core::encode_block(make_block(5, 1)));
    EXPECT_EQ(get_block(store, 4).error().code, core::Errc::kCorruption);
}

TEST(ChainRecords, HashIndexToAnotherBlockIsCorruption) {
    MemoryStore store;
    core::WriteBatch batch;
    ASSERT_TRUE(put_block(batch, make_block(1, 1)));
    ASSERT_TRUE(put_block(batch, make_block(2, 1)));
    ASSERT_TRUE(store.write(batch));
    const core::Hash hash2 = core::block_hash(make_block(2, 1).header);
    core::Bytes key = core::Bytes{'b', 'l', 'o', 'c', 'k', '_', 'h', 'a', 's', 'h', '/'};
    core::append(key, hash2.view());
    put_raw(store, Column::kMeta, key, block_number_key(1).view());
    EXPECT_EQ(get_block_by_hash(store, hash2).error().code, core::Errc::kCorruption);
    put_raw(store, Column::kMeta, key, block_number_key(9).view());
    EXPECT_EQ(get_block_by_hash(store, hash2).error().code, core::Errc::kCorruption);
    put_raw(store, Column::kMeta, key, core::Bytes{1, 2});
    EXPECT_EQ(get_block_by_hash(store, hash2).error().code, core::Errc::kCorruption);
}

TEST(ChainRecords, ShortTransactionRecordIsCorruption) {
    MemoryStore store;
    put_raw(store, Column::kTxs, core::Hash{}.view(), core::Bytes(11, 0));
    EXPECT_EQ(get_transaction(store, core::Hash{}).error().code, core::Errc::kCorruption);
}

TEST(ChainRecords, DamagedReceiptIsCorruption) {
    MemoryStore store;
    core::Bytes encoded = core::encode_receipt(make_receipt());
    encoded.back() ^= 0x01;  // the bloom no longer matches the logs
    put_raw(store, Column::kReceipts, core::Hash{}.view(), encoded);
    EXPECT_EQ(get_receipt(store, core::Hash{}).error().code, core::Errc::kCorruption);
}

TEST(ChainRecords, StoreFailurePassesThrough) {
    MemoryStore store;
    store.fail_writes(core::Error{core::Errc::kIo, "disk full"});
    core::WriteBatch batch;
    ASSERT_TRUE(put_block(batch, make_block(1, 1)));
    EXPECT_EQ(store.write(batch).error().code, core::Errc::kIo);
    EXPECT_EQ(*get_block(store, 1), std::nullopt);
}

}  // namespace
}  // namespace mfd::storage::test
