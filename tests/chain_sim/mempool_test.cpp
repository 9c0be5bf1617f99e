// The mempool: admission reasons, nonce order, fee priority, replacement, bounds with eviction,
// and pruning after a committed block.
#include "chain_sim/mempool.hpp"

#include <gtest/gtest.h>

#include "tests/chain_sim/chain_testing.hpp"

namespace mfd::chain {
namespace {

using test::addr;
using test::sign;
using test::tx_to;

const core::U256 kGwei = 1'000'000'000;

class MempoolTest : public test::ChainTest {
protected:
    /// A transfer from key `from` paying fee cap `cap` gwei and tip `tip` gwei.
    core::CheckedTransaction tx(int from, std::uint64_t nonce, std::uint64_t tip = 1,
                                std::uint64_t cap = 10) {
        core::Transaction t = tx_to(addr(9), nonce, 1, {}, 21'000);
        t.max_priority_fee_per_gas = kGwei * tip;
        t.max_fee_per_gas = kGwei * cap;
        return sign(t, from);
    }
    core::Errc add_error(Mempool& pool, const core::CheckedTransaction& t) {
        auto r = pool.add(t);
        return r ? core::Errc::kOk : r.error().code;
    }
    std::vector<std::pair<core::Address, std::uint64_t>> order(const Mempool& pool) {
        std::vector<std::pair<core::Address, std::uint64_t>> out;
        const auto picked = pool.candidates(100);
        EXPECT_TRUE(picked.has_value());
        if (!picked) return out;
        for (const auto& t : *picked) out.emplace_back(t.sender, t.tx.nonce);
        return out;
    }
};

TEST_F(MempoolTest, AdmitsThroughBothChecksWithTheirReasons) {
    Mempool pool(*chain_, {});
    const auto t = tx(0, 0);
    EXPECT_EQ(add_error(pool, t), core::Errc::kOk);
    EXPECT_EQ(add_error(pool, t), core::Errc::kTxAlreadyKnown);
    EXPECT_EQ(add_error(pool, tx(20, 0)), core::Errc::kTxInsufficientFunds);
    core::Transaction cheap = tx_to(addr(9), 0, 1, {}, 21'000);
    cheap.max_fee_per_gas = test::kBaseFee - 1;
    cheap.max_priority_fee_per_gas = 0;
    EXPECT_EQ(add_error(pool, sign(cheap, 1)), core::Errc::kTxFeeCapBelowBaseFee);
    EXPECT_EQ(add_error(pool, tx(1, 64)), core::Errc::kTxNonceTooHigh);
    // Raw bytes go through core::check_transaction: another chain's signature is refused.
    core::Transaction foreign = tx_to(addr(9), 0, 1, {}, 21'000);
    foreign.chain_id = 1;
    auto raw = pool.add_raw(core::encode_transaction(sign(foreign, 2).tx));
    ASSERT_FALSE(raw.has_value());
    EXPECT_EQ(raw.error().code, core::Errc::kTxInvalidChainId);
    EXPECT_TRUE(pool.add_raw(core::encode_transaction(tx(2, 0).tx)).has_value());
    EXPECT_EQ(pool.size(), 2u);
    commit_block({tx(3, 0)});
    EXPECT_EQ(add_error(pool, tx(3, 0, 2)), core::Errc::kTxNonceTooLow);
}

TEST_F(MempoolTest, KeepsNonceOrderAndStopsAtGaps) {
    Mempool pool(*chain_, {});
    for (std::uint64_t n : {2, 1, 0, 4}) ASSERT_EQ(add_error(pool, tx(0, n)), core::Errc::kOk);
    const std::vector<std::pair<core::Address, std::uint64_t>> expected = {
        {addr(0), 0}, {addr(0), 1}, {addr(0), 2}};
    EXPECT_EQ(order(pool), expected);
}

TEST_F(MempoolTest, HigherTipsGoFirstWithoutBreakingNonces) {
    Mempool pool(*chain_, {});
    ASSERT_TRUE(pool.add(tx(0, 0, 5)).has_value());
    ASSERT_TRUE(pool.add(tx(0, 1, 9)).has_value());
    ASSERT_TRUE(pool.add(tx(1, 0, 7)).has_value());
    ASSERT_TRUE(pool.add(tx(2, 0, 2, 2)).has_value());  // cap 2 gwei: tip 1 gwei at base fee 1
    const std::vector<std::pair<core::Address, std::uint64_t>> expected = {
        {addr(1), 0}, {addr(0), 0}, {addr(0), 1}, {addr(2), 0}};
    EXPECT_EQ(order(pool), expected);
}

TEST_F(MempoolTest, ReplacementNeedsTheBump) {
    Mempool pool(*chain_, {});
    const auto first = tx(0, 0, 10, 20);
    ASSERT_TRUE(pool.add(first).has_value());
    EXPECT_EQ(add_error(pool, tx(0, 0, 10, 22)), core::Errc::kTxAlreadyKnown);  // tip not raised
    EXPECT_EQ(add_error(pool, tx(0, 0, 11, 21)), core::Errc::kTxAlreadyKnown);  // cap +5 %
    const auto better = tx(0, 0, 11, 22);
    ASSERT_EQ(add_error(pool, better), core::Errc::kOk);
    EXPECT_FALSE(pool.contains(first.hash));
    EXPECT_TRUE(pool.contains(better.hash));
    EXPECT_EQ(pool.size(), 1u);
}

TEST_F(MempoolTest, BoundsEvictTheCheapestTail) {
    Mempool pool(*chain_, {.max_transactions = 3, .max_per_sender = 2});
    const auto a0 = tx(0, 0, 3);
    const auto a1 = tx(0, 1, 2);
    const auto b0 = tx(1, 0, 4);
    for (const auto& t : {a0, a1, b0}) ASSERT_TRUE(pool.add(t).has_value());
    EXPECT_EQ(add_error(pool, tx(0, 2, 9)), core::Errc::kLimitExceeded);  // per sender
    EXPECT_EQ(add_error(pool, tx(2, 0, 1)), core::Errc::kLimitExceeded);   // pays no more
    const auto c0 = tx(2, 0, 5);
    ASSERT_EQ(add_error(pool, c0), core::Errc::kOk);
    EXPECT_FALSE(pool.contains(a1.hash));  // the cheapest tail, not a0 in the middle
    EXPECT_TRUE(pool.contains(a0.hash));
    EXPECT_EQ(pool.size(), 3u);
}

// As geth's pool: a sender's run of consecutive nonces is bounded by the pool's size only;
// what may wait behind a gap is bounded by max_queued beyond the pending nonce.
TEST_F(MempoolTest, QueuedNoncesAreBoundedBeyondThePendingNonce) {
    Mempool pool(*chain_, {.max_queued = 4});
    for (std::uint64_t n = 0; n < 10; ++n) ASSERT_EQ(add_error(pool, tx(0, n)), core::Errc::kOk);
    EXPECT_EQ(*pool.pending_nonce(addr(0)), 10u);
    EXPECT_EQ(add_error(pool, tx(0, 13)), core::Errc::kOk);          // queued: 3 beyond
    EXPECT_EQ(add_error(pool, tx(0, 14)), core::Errc::kTxNonceTooHigh);  // 4 beyond
    EXPECT_EQ(*pool.pending_nonce(addr(0)), 10u);
    EXPECT_EQ(add_error(pool, tx(0, 10)), core::Errc::kOk);  // fills nothing yet: 11, 12 missing
    EXPECT_EQ(*pool.pending_nonce(addr(0)), 11u);
    EXPECT_EQ(add_error(pool, tx(0, 14)), core::Errc::kOk);
}

TEST_F(MempoolTest, CommittedAndOvertakenTransactionsLeave) {
    Mempool pool(*chain_, {});
    for (std::uint64_t n = 0; n < 3; ++n) ASSERT_TRUE(pool.add(tx(0, n)).has_value());
    ASSERT_TRUE(pool.add(tx(1, 0)).has_value());
    auto picked = pool.candidates(2);
    ASSERT_TRUE(picked.has_value());
    ASSERT_EQ(picked->size(), 2u);
    // addr(1)'s nonce 0 is used by a transaction that never went through this pool.
    std::vector<core::CheckedTransaction> block = *picked;
    block.push_back(tx(1, 0, 3));
    const ExecutedBlock executed = commit_block(block);
    ASSERT_TRUE(pool.on_committed(executed).has_value());
    EXPECT_EQ(pool.size(), 1u);
    EXPECT_EQ(pool.candidates(10)->at(0).tx.nonce, 2u);
}

}  // namespace
}  // namespace mfd::chain
