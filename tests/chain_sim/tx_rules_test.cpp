// The stateful rules, as mempool admission and as block execution apply them.
#include <gtest/gtest.h>

#include "chain_sim/contracts/host.hpp"
#include "tests/chain_sim/chain_testing.hpp"

namespace mfd::chain {
namespace {

using test::addr;
using test::sign;
using test::tx_to;

class TxRules : public test::ChainTest {
protected:
    core::Errc admission_error(const core::CheckedTransaction& tx) {
        auto r = chain_->check_admission(tx);
        return r ? core::Errc::kOk : r.error().code;
    }
    core::CheckedTransaction transfer(int from, std::uint64_t nonce, const core::U256& value) {
        return sign(tx_to(addr(9), nonce, value, {}, 21'000), from);
    }
};

TEST_F(TxRules, AdmitsAValidTransactionAndAFutureNonce) {
    EXPECT_EQ(admission_error(transfer(0, 0, 1)), core::Errc::kOk);
    EXPECT_EQ(admission_error(transfer(0, 5, 1)), core::Errc::kOk);
}

TEST_F(TxRules, NonceBelowTheAccountsIsTooLow) {
    commit_block({transfer(0, 0, 1)});
    auto r = chain_->check_admission(transfer(0, 0, 1));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::Errc::kTxNonceTooLow);
    EXPECT_NE(r.error().message.find("nonce 0"), std::string::npos) << r.error().message;
}

TEST_F(TxRules, BalanceMustCoverValuePlusGasLimitTimesFeeCap) {
    // 100 ether - 21000 * 2 gwei is the most that can be sent.
    const core::U256 most = test::kEther * 100 - core::U256(21'000) * test::kBaseFee * 2;
    EXPECT_EQ(admission_error(transfer(0, 0, most)), core::Errc::kOk);
    EXPECT_EQ(admission_error(transfer(0, 0, most + 1)), core::Errc::kTxInsufficientFunds);
    EXPECT_EQ(admission_error(transfer(20, 0, 0)), core::Errc::kTxInsufficientFunds);
}

TEST_F(TxRules, FeeCapBelowBaseFeeIsRejected) {
    core::Transaction tx = tx_to(addr(9), 0, 1, {}, 21'000);
    tx.max_fee_per_gas = test::kBaseFee - 1;
    tx.max_priority_fee_per_gas = 0;
    EXPECT_EQ(admission_error(sign(tx, 0)), core::Errc::kTxFeeCapBelowBaseFee);
    core::Transaction legacy = tx;
    legacy.type = core::TxType::kLegacy;
    legacy.gas_price = test::kBaseFee - 1;
    EXPECT_EQ(admission_error(sign(legacy, 0)), core::Errc::kTxFeeCapBelowBaseFee);
}

TEST_F(TxRules, GasLimitAboveTheBlockGasLimitIsRejected) {
    EXPECT_EQ(admission_error(sign(tx_to(addr(9), 0, 1, {}, test::kGasLimit + 1), 0)),
              core::Errc::kTxGasLimitExceedsBlock);
}

TEST_F(TxRules, WrongChainIdAndLowIntrinsicGasAreRejected) {
    core::Transaction other_chain = tx_to(addr(9), 0, 1, {}, 21'000);
    other_chain.chain_id = test::kChainId + 1;
    EXPECT_EQ(admission_error(sign(other_chain, 0)), core::Errc::kTxInvalidChainId);
    EXPECT_EQ(admission_error(sign(tx_to(addr(9), 0, 1, {}, 20'999), 0)),
              core::Errc::kTxIntrinsicGasTooLow);
}

TEST_F(TxRules, AContractCannotSend) {
    const core::Address token = deploy(
        0, test::deploy_payload("ERC20", "c(string,string,uint8,uint256)",
                                {core::abi::Value::string("T"), core::abi::Value::string("T"),
                                 core::abi::Value::uint(18), core::abi::Value::uint(1)}));
    core::CheckedTransaction tx = transfer(0, 0, 1);
    tx.sender = token;  // as if the contract's key had signed
    EXPECT_EQ(admission_error(tx), core::Errc::kTxSenderNotEoa);
}

TEST_F(TxRules, BlockExecutionNeedsTheExactNonceAndRejectsTheWholeBlock) {
    const std::vector<core::CheckedTransaction> first = {transfer(0, 0, 1)};
    auto built = chain_->build_block(first, {1000, test::proposer(), {}});
    ASSERT_TRUE(built.has_value());
    core::Block block = built->executed.block;
    const std::vector<core::CheckedTransaction> txs = {transfer(0, 0, 1), transfer(0, 2, 1)};
    block.transactions = {core::encode_transaction(txs[0].tx), core::encode_transaction(txs[1].tx)};
    core::seal_block_body(block);
    auto applied = chain_->apply_block(block, txs);
    ASSERT_FALSE(applied.has_value());
    EXPECT_EQ(applied.error().code, core::Errc::kTxNonceTooHigh);
    EXPECT_NE(applied.error().message.find("transaction 1"), std::string::npos)
        << applied.error().message;
    EXPECT_EQ(chain_->head().number, 0u);
    EXPECT_EQ(nonce(addr(0)), 0u);
    EXPECT_EQ(balance(addr(9)), core::U256(0));
}

TEST_F(TxRules, BuilderKeepsWhatAppliesAndSkipsTheRestWithReasons) {
    // addr(20) has nothing until addr(0) pays it in the same block.
    const core::U256 gift = test::kEther;
    const std::vector<core::CheckedTransaction> candidates = {
        transfer(20, 0, 1),                             // unfunded yet
        sign(tx_to(addr(20), 0, gift, {}, 21'000), 0),  // funds addr(20)
        transfer(20, 0, 1),                             // now applies
        transfer(0, 3, 1),                              // nonce gap
        transfer(0, 0, 1),                              // nonce already used
        transfer(1, 0, test::kEther * 1000),            // too poor
    };
    auto built = chain_->build_block(candidates, {1000, test::proposer(), {}});
    ASSERT_TRUE(built.has_value());
    EXPECT_EQ(built->executed.receipts.size(), 2u);
    ASSERT_EQ(built->skipped.size(), 4u);
    EXPECT_EQ(built->skipped[0].reason.code, core::Errc::kTxInsufficientFunds);
    EXPECT_EQ(built->skipped[1].reason.code, core::Errc::kTxNonceTooHigh);
    EXPECT_EQ(built->skipped[2].reason.code, core::Errc::kTxNonceTooLow);
    EXPECT_EQ(built->skipped[3].reason.code, core::Errc::kTxInsufficientFunds);
    EXPECT_EQ(built->skipped[0].hash, candidates[0].hash);
    ASSERT_TRUE(chain_->commit(built->executed).has_value());
    EXPECT_EQ(balance(addr(9)), core::U256(1));
}

TEST(TxRulesBlockGas, BuilderStopsAtTheBlockGasLimit) {
    storage::MemoryStore store;
    ChainConfig config = test::test_config();
    config.block_gas_limit = 50'000;
    auto chain = Chain::open(store, config);
    ASSERT_TRUE(chain.has_value());
    std::vector<core::CheckedTransaction> txs;
    for (std::uint64_t n = 0; n < 3; ++n) txs.push_back(sign(tx_to(addr(9), n, 1, {}, 21'000), 0));
    auto built = (*chain)->build_block(txs, {1, test::proposer(), {}});
    ASSERT_TRUE(built.has_value());
    EXPECT_EQ(built->executed.receipts.size(), 2u);
    EXPECT_EQ(built->executed.block.header.gas_used, 42'000u);
    ASSERT_EQ(built->skipped.size(), 1u);
    EXPECT_EQ(built->skipped[0].reason.code, core::Errc::kTxGasLimitExceedsBlock);
    // A proposal that exceeds the limit is rejected as a whole.
    core::Block block = built->executed.block;
    block.transactions.push_back(core::encode_transaction(txs[2].tx));
    core::seal_block_body(block);
    auto applied = (*chain)->apply_block(block, txs);
    ASSERT_FALSE(applied.has_value());
    EXPECT_EQ(applied.error().code, core::Errc::kTxGasLimitExceedsBlock);
}

}  // namespace
}  // namespace mfd::chain
