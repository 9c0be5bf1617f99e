// Gas purchase, refund, the priority fee to the proposer and the burn, worked out by hand.
#include <gtest/gtest.h>

#include "tests/chain_sim/chain_testing.hpp"

namespace mfd::chain {
namespace {

using test::addr;
using test::sign;
using test::tx_to;

using Fees = test::ChainTest;

const core::U256 kGwei = 1'000'000'000;

TEST_F(Fees, DynamicFeePaysBaseFeePlusTipAndRefundsUnusedGas) {
    // Fee cap 2 gwei, tip 1 gwei, base fee 1 gwei: 2 gwei per gas, of which 1 gwei is burned.
    // Gas limit 100,000 but a transfer uses 21,000: the rest is refunded.
    const auto tx = sign(tx_to(addr(9), 0, 5, {}, 100'000), 0);
    const ExecutedBlock block = commit_block({tx});
    const core::Receipt& r = block.receipts.at(0);
    EXPECT_TRUE(r.success);
    EXPECT_EQ(r.gas_used, 21'000u);
    EXPECT_EQ(r.cumulative_gas_used, 21'000u);
    EXPECT_EQ(r.effective_gas_price, kGwei * 2);
    EXPECT_EQ(balance(addr(0)), test::kEther * 100 - 5 - core::U256(21'000) * kGwei * 2);
    EXPECT_EQ(balance(addr(9)), core::U256(5));
    EXPECT_EQ(balance(test::proposer()), core::U256(21'000) * kGwei);
    EXPECT_EQ(block.tips, core::U256(21'000) * kGwei);
    EXPECT_EQ(block.burned, core::U256(21'000) * kGwei);
    EXPECT_EQ(nonce(addr(0)), 1u);
}

TEST_F(Fees, TipIsCappedByFeeCapMinusBaseFee) {
    core::Transaction tx = tx_to(addr(9), 0, 0, {}, 21'000);
    tx.max_fee_per_gas = kGwei * 3 / 2;  // 1.5 gwei: only 0.5 gwei is left for the tip
    tx.max_priority_fee_per_gas = kGwei;
    const ExecutedBlock block = commit_block({sign(tx, 0)});
    EXPECT_EQ(block.receipts.at(0).effective_gas_price, kGwei * 3 / 2);
    EXPECT_EQ(balance(test::proposer()), core::U256(21'000) * kGwei / 2);
    EXPECT_EQ(balance(addr(0)), test::kEther * 100 - core::U256(21'000) * kGwei * 3 / 2);
}

TEST_F(Fees, LegacyAndAccessListPayTheirGasPrice) {
    core::Transaction legacy = tx_to(addr(9), 0, 0, {}, 21'000);
    legacy.type = core::TxType::kLegacy;
    legacy.gas_price = kGwei * 3;
    core::Transaction typed1 = tx_to(addr(9), 1, 0, {}, 21'000);
    typed1.type = core::TxType::kAccessList;
    typed1.gas_price = kGwei * 4;
    core::Transaction unprotected = tx_to(addr(9), 2, 0, {}, 21'000);
    unprotected.type = core::TxType::kLegacy;
    unprotected.chain_id = std::nullopt;
    unprotected.gas_price = kGwei;
    const ExecutedBlock block =
        commit_block({sign(legacy, 0), sign(typed1, 0), sign(unprotected, 0)});
    ASSERT_EQ(block.receipts.size(), 3u);
    // Tips: 2 gwei + 3 gwei + 0 per gas; every one burns 1 gwei per gas.
    EXPECT_EQ(balance(test::proposer()), core::U256(21'000) * kGwei * 5);
    EXPECT_EQ(block.burned, core::U256(63'000) * kGwei);
    EXPECT_EQ(block.receipts[2].cumulative_gas_used, 63'000u);
}

TEST_F(Fees, EtherIsConservedUpToTheBurn) {
    std::vector<core::CheckedTransaction> txs;
    for (int i = 0; i < 4; ++i) txs.push_back(sign(tx_to(addr(i + 1), 0, 1000 + i, {}, 30'000), i));
    const ExecutedBlock block = commit_block(txs);
    core::U256 total = balance(test::proposer());
    for (int i = 0; i < test::kFundedKeys; ++i) total += balance(addr(i));
    EXPECT_EQ(total + block.burned, test::kEther * 100 * test::kFundedKeys);
}

TEST_F(Fees, UnprotectedLegacyIsRefusedWhenTheChainSaysSo) {
    storage::MemoryStore store;
    ChainConfig config = test::test_config();
    config.allow_unprotected = false;
    auto chain = Chain::open(store, config);
    ASSERT_TRUE(chain.has_value());
    core::Transaction tx = tx_to(addr(9), 0, 0, {}, 21'000);
    tx.type = core::TxType::kLegacy;
    tx.chain_id = std::nullopt;
    tx.gas_price = kGwei;
    auto r = (*chain)->check_admission(sign(tx, 0));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::Errc::kTxInvalidChainId);
}

}  // namespace
}  // namespace mfd::chain
