// Proposed blocks: replay on another node, every header check, atomic and stale commits, store
// failures, and the raw-transaction path.
#include <gtest/gtest.h>

#include "storage/chain_meta.hpp"
#include "storage/chain_records.hpp"
#include "tests/chain_sim/chain_testing.hpp"

namespace mfd::chain {
namespace {

using test::addr;
using test::sign;
using test::tx_to;
using test::word_of;

/// A store whose reads fail once `fail_reads` is set.
class FlakyStore final : public core::KvStore {
public:
    core::Result<std::optional<core::Bytes>> get(core::Column c, core::ByteView k) const override {
        if (fail_reads) return core::fail(core::Errc::kIo, "disk gone");
        return inner.get(c, k);
    }
    core::Result<void> write(const core::WriteBatch& b, bool sync) override {
        return inner.write(b, sync);
    }
    core::Result<void> scan(
        core::Column c, core::ByteView p,
        const std::function<bool(core::ByteView, core::ByteView)>& v) const override {
        return inner.scan(c, p, v);
    }
    storage::MemoryStore inner;
    bool fail_reads = false;
};

class Blocks : public test::ChainTest {
protected:
    /// A block of two transfers and a token deployment, built on the head but not committed.
    BuiltBlock build_sample() {
        const std::vector<core::CheckedTransaction> txs = {
            sign(tx_to(addr(9), nonce(addr(0)), 1, {}, 21'000), 0),
            sign(tx_to(std::nullopt, nonce(addr(1)), 0,
                       test::deploy_payload(
                           "ERC20", "c(string,string,uint8,uint256)",
                           {core::abi::Value::string("T"), core::abi::Value::string("T"),
                            core::abi::Value::uint(1), core::abi::Value::uint(5)}),
                       1'000'000),
                 1),
            sign(tx_to(addr(8), nonce(addr(2)), 2, {}, 21'000), 2),
        };
        txs_ = txs;
        auto built = chain_->build_block(
            txs, {chain_->head().timestamp_ms + 10, test::proposer(), core::Bytes{7, 7}});
        EXPECT_TRUE(built.has_value());
        EXPECT_TRUE(built->skipped.empty());
        return *built;
    }
    core::Errc apply_error(const core::Block& block) {
        auto r = chain_->execute_block(block, txs_);
        return r ? core::Errc::kOk : r.error().code;
    }
    std::vector<core::CheckedTransaction> txs_;
};

TEST_F(Blocks, AnotherNodeReplaysTheSameBlocksFromRawBytes) {
    storage::MemoryStore other_store;
    auto other = Chain::open(other_store, test::test_config());
    ASSERT_TRUE(other.has_value());
    EXPECT_EQ((*other)->head_hash(), chain_->head_hash());
    for (int i = 0; i < 3; ++i) {
        const BuiltBlock built = build_sample();
        ASSERT_TRUE(chain_->commit(built.executed).has_value());
        auto applied = (*other)->apply_block(built.executed.block);
        ASSERT_TRUE(applied.has_value()) << applied.error().to_string();
        EXPECT_EQ(applied->receipts, built.executed.receipts);
        EXPECT_EQ(applied->changes, built.executed.changes);
        EXPECT_EQ((*other)->head_hash(), chain_->head_hash());
    }
    EXPECT_EQ((*other)->account(addr(9))->balance, core::U256(3));
}

TEST_F(Blocks, ALargeBlockReplaysFromRawBytesOnAnotherNode) {
    // Enough transactions that hashing and sender recovery run on two threads.
    std::vector<core::CheckedTransaction> txs;
    for (std::uint64_t n = 0; n < 150; ++n) {
        for (int from = 0; from < 2; ++from)
            txs.push_back(sign(tx_to(addr(9), n, 1, {}, 21'000), from));
    }
    const ExecutedBlock built = commit_block(txs);
    ASSERT_EQ(built.receipts.size(), 300u);
    EXPECT_EQ(built.block.header.receipts_root, core::receipts_root(built.receipts));
    EXPECT_EQ(built.block.header.transactions_root,
              core::transactions_root(built.block.transactions));
    storage::MemoryStore other_store;
    auto other = Chain::open(other_store, test::test_config());
    ASSERT_TRUE(other.has_value());
    auto applied = (*other)->apply_block(built.block);
    ASSERT_TRUE(applied.has_value()) << applied.error().to_string();
    EXPECT_EQ(applied->receipts, built.receipts);
    EXPECT_EQ((*other)->account(addr(9))->balance, core::U256(300));
    core::Block bad = built.block;
    bad.transactions[277].back() ^= 0x01;
    core::seal_block_body(bad);
    storage::MemoryStore third_store;
    auto third = Chain::open(third_store, test::test_config());
    auto rejected = (*third)->apply_block(bad);
    ASSERT_FALSE(rejected.has_value());
    EXPECT_NE(rejected.error().message.find("transaction 277"), std::string::npos)
        << rejected.error().message;
}

TEST_F(Blocks, HeaderMustFollowTheHeadAndMatchTheExecution) {
    const core::Block good = build_sample().executed.block;
    EXPECT_EQ(apply_error(good), core::Errc::kOk);
    const auto tampered = [&](auto change) {
        core::Block b = good;
        change(b);
        return apply_error(b);
    };
    EXPECT_EQ(tampered([](core::Block& b) { b.header.number += 1; }), core::Errc::kInvalidArgument);
    EXPECT_EQ(tampered([](core::Block& b) { b.header.parent_hash.bytes[0] ^= 1; }),
              core::Errc::kInvalidArgument);
    EXPECT_EQ(tampered([](core::Block& b) { b.header.gas_limit -= 1; }),
              core::Errc::kInvalidArgument);
    EXPECT_EQ(tampered([](core::Block& b) { b.header.base_fee += 1; }),
              core::Errc::kInvalidArgument);
    EXPECT_EQ(tampered([](core::Block& b) { b.header.gas_used += 1; }),
              core::Errc::kInvalidArgument);
    EXPECT_EQ(tampered([](core::Block& b) { b.header.state_root.bytes[5] ^= 1; }),
              core::Errc::kInvalidArgument);
    EXPECT_EQ(tampered([](core::Block& b) { b.header.receipts_root.bytes[5] ^= 1; }),
              core::Errc::kInvalidArgument);
    EXPECT_EQ(tampered([](core::Block& b) { b.transactions.pop_back(); }),
              core::Errc::kBlockTxRootMismatch);
    EXPECT_EQ(tampered([](core::Block& b) { b.consensus_payload.push_back(1); }),
              core::Errc::kBlockConsensusRootMismatch);
    // A different proposer earns the tips, so the state root no longer matches.
    EXPECT_EQ(tampered([](core::Block& b) { b.header.proposer.bytes[0] ^= 1; }),
              core::Errc::kInvalidArgument);
    EXPECT_EQ(chain_->head().number, 0u);
}

TEST_F(Blocks, CheckedTransactionsMustBeTheBlocksOwn) {
    const core::Block block = build_sample().executed.block;
    std::swap(txs_[0], txs_[2]);
    EXPECT_EQ(apply_error(block), core::Errc::kInvalidArgument);
    txs_.pop_back();
    EXPECT_EQ(apply_error(block), core::Errc::kInvalidArgument);
}

TEST_F(Blocks, RawTransactionsThatDoNotRecoverNameTheirIndex) {
    core::Block block = build_sample().executed.block;
    block.transactions[1][block.transactions[1].size() - 1] ^= 0xff;  // corrupt s
    core::seal_block_body(block);
    auto r = chain_->apply_block(block);
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("transaction 1"), std::string::npos) << r.error().message;
}

TEST_F(Blocks, AFailedWriteCommitsNothing) {
    const BuiltBlock built = build_sample();
    const std::size_t accounts = store_.size(core::Column::kAccounts);
    store_.fail_writes(core::Error{core::Errc::kIo, "disk full"});
    auto failed = chain_->commit(built.executed);
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().code, core::Errc::kIo);
    EXPECT_EQ(chain_->head().number, 0u);
    EXPECT_EQ(*storage::last_committed_height(store_), std::optional<std::uint64_t>(0));
    EXPECT_FALSE(storage::get_block(store_, 1)->has_value());
    EXPECT_FALSE(storage::get_receipt(store_, built.executed.tx_hashes[0])->has_value());
    EXPECT_EQ(store_.size(core::Column::kAccounts), accounts);
    EXPECT_EQ(store_.size(core::Column::kContractCode), 0u);
    EXPECT_EQ(balance(addr(9)), core::U256(0));

    store_.fail_writes(std::nullopt);
    ASSERT_TRUE(chain_->commit(built.executed).has_value());
    EXPECT_EQ(*storage::last_committed_height(store_), std::optional<std::uint64_t>(1));
    auto receipt = storage::get_receipt(store_, built.executed.tx_hashes[1]);
    ASSERT_TRUE(receipt.has_value() && receipt->has_value());
    EXPECT_EQ(**receipt, built.executed.receipts[1]);
    auto located = storage::get_transaction(store_, built.executed.tx_hashes[2]);
    ASSERT_TRUE(located.has_value() && located->has_value());
    EXPECT_EQ((*located)->location, (storage::TxLocation{1, 2}));
    EXPECT_EQ(balance(addr(9)), core::U256(1));
}

TEST_F(Blocks, AStaleExecutionCannotBeCommitted) {
    const BuiltBlock first = build_sample();
    const BuiltBlock rival = build_sample();
    ASSERT_TRUE(chain_->commit(first.executed).has_value());
    auto r = chain_->commit(rival.executed);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument);
}

TEST_F(Blocks, TimestampsDoNotGoBackwards) {
    commit_block({});
    auto r = chain_->build_block({}, {chain_->head().timestamp_ms - 1, test::proposer(), {}});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument);
}

TEST(BlocksStore, ReadFailuresFailTheBlockInsteadOfGuessing) {
    FlakyStore store;
    auto chain = Chain::open(store, test::test_config());
    ASSERT_TRUE(chain.has_value());
    store.fail_reads = true;
    const std::vector<core::CheckedTransaction> txs = {sign(tx_to(addr(9), 0, 1, {}, 21'000), 0)};
    auto built = (*chain)->build_block(txs, {1, test::proposer(), {}});
    ASSERT_FALSE(built.has_value());
    EXPECT_EQ(built.error().code, core::Errc::kIo);
    EXPECT_EQ((*chain)->check_admission(txs[0]).error().code, core::Errc::kIo);
    auto call = (*chain)->call(CallRequest{addr(0), addr(9), 0, {}, {}});
    ASSERT_FALSE(call.has_value());
    EXPECT_EQ(call.error().code, core::Errc::kIo);
    store.fail_reads = false;
    EXPECT_TRUE((*chain)->build_block(txs, {1, test::proposer(), {}}).has_value());
}

TEST(BlocksStore, CorruptAccountRecordsAreReported) {
    storage::MemoryStore store;
    auto chain = Chain::open(store, test::test_config());
    ASSERT_TRUE(chain.has_value());
    core::WriteBatch batch;
    batch.put(core::Column::kAccounts, addr(0).view(), core::Bytes{1, 2, 3});
    ASSERT_TRUE(store.write(batch).has_value());
    const std::vector<core::CheckedTransaction> txs = {sign(tx_to(addr(9), 0, 1, {}, 21'000), 0)};
    auto built = (*chain)->build_block(txs, {1, test::proposer(), {}});
    ASSERT_FALSE(built.has_value());
    EXPECT_EQ(built.error().code, core::Errc::kCorruption);
    EXPECT_EQ((*chain)->account(addr(0)).error().code, core::Errc::kCorruption);
}

TEST(BlocksConfig, InvalidConfigsAreRefused) {
    storage::MemoryStore store;
    ChainConfig c = test::test_config();
    c.chain_id = 0;
    EXPECT_EQ(Chain::open(store, c).error().code, core::Errc::kInvalidArgument);
    c = test::test_config();
    c.allocations.push_back(c.allocations[0]);
    EXPECT_EQ(Chain::open(store, c).error().code, core::Errc::kInvalidArgument);
    c = test::test_config();
    c.allocations = {{addr(0), core::U256::max()}, {addr(1), 1}};
    EXPECT_EQ(Chain::open(store, c).error().code, core::Errc::kInvalidArgument);
    c = test::test_config();
    c.block_gas_limit = 20'000;
    EXPECT_EQ(Chain::open(store, c).error().code, core::Errc::kInvalidArgument);
    EXPECT_FALSE(storage::last_committed_height(store)->has_value());
}

}  // namespace
}  // namespace mfd::chain
