// A real RocksStore: reopen and continue, another config refused, and the same blocks on
// MemoryStore and RocksStore giving the same roots and receipts.
#include <gtest/gtest.h>

#include "core/rlp.hpp"
#include "storage/chain_records.hpp"
#include "storage/rocks_store.hpp"
#include "tests/chain_sim/chain_testing.hpp"
#include "tests/support/temp_dir.hpp"

namespace mfd::chain {
namespace {

using test::addr;
using test::sign;
using test::tx_to;
using test::word_of;

const core::Address kPayee = test::address("0x3333333333333333333333333333333333333333");

/// The token of the history: addr(0)'s first deployment.
core::Address history_token() {
    core::RlpEncoder rlp;
    rlp.begin_list().add_bytes(addr(0).view()).add_uint(std::uint64_t{0}).end_list();
    return core::Address::right_aligned(core::keccak256(*rlp.take()).view());
}

/// Block `n` of a fixed history: a token deployment, then token and Ether transfers.
std::vector<core::CheckedTransaction> history_block(int n) {
    if (n == 0) {
        return {sign(tx_to(std::nullopt, 0, 0,
                           test::deploy_payload(
                               "ERC20", "c(string,string,uint8,uint256)",
                               {core::abi::Value::string("T"), core::abi::Value::string("T"),
                                core::abi::Value::uint(2), core::abi::Value::uint(1'000'000)}),
                           1'000'000),
                     0)};
    }
    const core::Address token = history_token();
    std::vector<core::CheckedTransaction> txs;
    txs.push_back(
        sign(tx_to(token, static_cast<std::uint64_t>(n), 0,
                   test::calldata("a9059cbb", {word_of(addr(n)), word_of(core::U256(n))}), 200'000),
             0));
    txs.push_back(sign(tx_to(kPayee, static_cast<std::uint64_t>(n - 1), 1000, {}, 21'000), 1));
    return txs;
}

/// Builds `count` blocks of the history on `chain` and commits them.
std::vector<ExecutedBlock> grow(Chain& chain, int from, int count) {
    std::vector<ExecutedBlock> out;
    for (int n = from; n < from + count; ++n) {
        auto built = chain.build_block(
            history_block(n), {static_cast<std::uint64_t>(n + 1) * 1000, test::proposer(), {}});
        EXPECT_TRUE(built.has_value());
        EXPECT_TRUE(built->skipped.empty());
        EXPECT_TRUE(chain.commit(built->executed).has_value());
        out.push_back(std::move(built->executed));
    }
    return out;
}

TEST(Persistence, ReopenResumesAtTheLastCommittedBlock) {
    mfd::test::TempDir dir;
    core::Hash head;
    {
        auto store = storage::RocksStore::open(dir.path());
        ASSERT_TRUE(store.has_value());
        auto chain = Chain::open(**store, test::test_config());
        ASSERT_TRUE(chain.has_value());
        grow(**chain, 0, 3);
        head = (*chain)->head_hash();
    }
    auto store = storage::RocksStore::open(dir.path());
    ASSERT_TRUE(store.has_value());
    auto chain = Chain::open(**store, test::test_config());
    ASSERT_TRUE(chain.has_value()) << chain.error().to_string();
    EXPECT_EQ((*chain)->head_hash(), head);
    EXPECT_EQ((*chain)->head().number, 3u);
    EXPECT_EQ((*chain)->account(kPayee)->balance, core::U256(2000));
    grow(**chain, 3, 2);

    // A node on memory that ran the whole history reaches the same head.
    storage::MemoryStore memory;
    auto reference = Chain::open(memory, test::test_config());
    ASSERT_TRUE(reference.has_value());
    grow(**reference, 0, 5);
    EXPECT_EQ((*reference)->head_hash(), (*chain)->head_hash());
    EXPECT_EQ((*reference)->head().state_root, (*chain)->head().state_root);
}

TEST(Persistence, AStoreOfAnotherChainIsRefused) {
    mfd::test::TempDir dir;
    {
        auto store = storage::RocksStore::open(dir.path());
        ASSERT_TRUE(store.has_value());
        ASSERT_TRUE(Chain::open(**store, test::test_config()).has_value());
    }
    auto store = storage::RocksStore::open(dir.path());
    ASSERT_TRUE(store.has_value());
    ChainConfig other = test::test_config();
    other.chain_id += 1;
    auto chain = Chain::open(**store, other);
    ASSERT_FALSE(chain.has_value());
    EXPECT_EQ(chain.error().code, core::Errc::kInvalidArgument);
}

TEST(Persistence, MemoryAndRocksGiveTheSameRootsAndReceipts) {
    mfd::test::TempDir dir;
    auto rocks = storage::RocksStore::open(dir.path());
    ASSERT_TRUE(rocks.has_value());
    storage::MemoryStore memory;
    auto on_rocks = Chain::open(**rocks, test::test_config());
    auto on_memory = Chain::open(memory, test::test_config());
    ASSERT_TRUE(on_rocks.has_value() && on_memory.has_value());
    EXPECT_EQ((*on_rocks)->head_hash(), (*on_memory)->head_hash());
    const auto built = grow(**on_memory, 0, 4);
    for (const auto& executed : built) {
        auto applied = (*on_rocks)->apply_block(executed.block);
        ASSERT_TRUE(applied.has_value()) << applied.error().to_string();
        EXPECT_EQ(applied->block.header.state_root, executed.block.header.state_root);
        EXPECT_EQ(applied->receipts, executed.receipts);
        for (std::size_t i = 0; i < executed.tx_hashes.size(); ++i) {
            auto stored = storage::get_receipt(**rocks, executed.tx_hashes[i]);
            ASSERT_TRUE(stored.has_value() && stored->has_value());
            EXPECT_EQ(**stored, executed.receipts[i]);
        }
    }
    EXPECT_EQ((*on_rocks)->head_hash(), (*on_memory)->head_hash());
    EXPECT_EQ(*(*on_rocks)->storage_at(history_token(), core::U256(0).to_be32()),
              core::U256(1'000'000).to_be32());
}

}  // namespace
}  // namespace mfd::chain
