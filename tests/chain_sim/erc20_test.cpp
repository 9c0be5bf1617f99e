// ERC20 through transactions whose calldata is written out by hand, as ethers.js encodes it
// (transfer 0xa9059cbb, approve 0x095ea7b3, transferFrom 0x23b872dd, balanceOf 0x70a08231).
#include <gtest/gtest.h>

#include "chain_sim/contracts/gas.hpp"
#include "chain_sim/contracts/host.hpp"
#include "tests/chain_sim/chain_testing.hpp"

namespace mfd::chain {
namespace {

using test::addr;
using test::word_of;
namespace abi = core::abi;

const char* const kTransferTopic =
    "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
const char* const kApprovalTopic =
    "0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925";
const core::Address kAlice = test::address("0x1111111111111111111111111111111111111111");

core::Bytes hex(std::string_view text) {
    return *core::from_hex(text);
}

class Erc20 : public test::ChainTest {
protected:
    void SetUp() override {
        test::ChainTest::SetUp();
        token_ =
            deploy(0, test::deploy_payload("ERC20", "ERC20(string,string,uint8,uint256)",
                                           {abi::Value::string("Token"), abi::Value::string("TOK"),
                                            abi::Value::uint(18), abi::Value::uint(1'000'000)}));
    }
    core::U256 token_balance(const core::Address& owner) {
        const core::Bytes out = view(token_, test::calldata("70a08231", {word_of(owner)}));
        return *core::U256::from_be(out);
    }
    core::Receipt call(int signer, core::Bytes data, std::uint64_t gas = 200'000,
                       const core::U256& value = 0) {
        return run(signer, token_, value, std::move(data), gas);
    }
    core::Address token_;
};

TEST_F(Erc20, DeploysAtTheCreateAddressAndMintsToTheDeployer) {
    // Deployed by addr(0) with nonce 0.
    EXPECT_EQ(token_, contracts::create_address(addr(0), 0));
    EXPECT_EQ(token_balance(addr(0)), core::U256(1'000'000));
    const core::Bytes supply = view(token_, hex("18160ddd"));
    EXPECT_EQ(core::to_hex(supply), core::to_hex(word_of(core::U256(1'000'000)).view()));
}

TEST_F(Erc20, CreateAddressMatchesEthereum) {
    // A known pair: sender 0x6ac7...dbf0 with nonce 0 creates 0xcd23...cd8d.
    EXPECT_EQ(
        contracts::create_address(test::address("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0"), 0),
        test::address("0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d"));
}

TEST_F(Erc20, ViewsReturnAbiEncodedMetadata) {
    EXPECT_EQ(core::to_hex(view(token_, hex("06fdde03")), false),
              "0000000000000000000000000000000000000000000000000000000000000020"
              "0000000000000000000000000000000000000000000000000000000000000005"
              "546f6b656e000000000000000000000000000000000000000000000000000000");
    EXPECT_EQ(core::to_hex(view(token_, hex("95d89b41")), false),
              "0000000000000000000000000000000000000000000000000000000000000020"
              "0000000000000000000000000000000000000000000000000000000000000003"
              "544f4b0000000000000000000000000000000000000000000000000000000000");
    EXPECT_EQ(core::to_hex(view(token_, hex("313ce567")), false),
              "0000000000000000000000000000000000000000000000000000000000000012");
}

TEST_F(Erc20, TransferMovesTokensLogsAndChargesTheSchedule) {
    const core::Bytes data =
        hex("a9059cbb"
            "0000000000000000000000001111111111111111111111111111111111111111"
            "00000000000000000000000000000000000000000000000000000000000003e8");
    const core::Receipt r = call(0, data);
    ASSERT_TRUE(r.success) << r.message;
    EXPECT_EQ(token_balance(addr(0)), core::U256(999'000));
    EXPECT_EQ(token_balance(kAlice), core::U256(1'000));
    ASSERT_EQ(r.logs.size(), 1u);
    EXPECT_EQ(r.logs[0].address, token_);
    ASSERT_EQ(r.logs[0].topics.size(), 3u);
    EXPECT_EQ(r.logs[0].topics[0].hex(), kTransferTopic);
    EXPECT_EQ(r.logs[0].topics[1], word_of(addr(0)));
    EXPECT_EQ(r.logs[0].topics[2], word_of(kAlice));
    EXPECT_EQ(r.logs[0].data, word_of(core::U256(1000)).to_bytes());
    EXPECT_TRUE(core::bloom_may_contain(r.logs_bloom, token_.view()));
    // Intrinsic: 21000 + 26 non-zero bytes x 16 + 42 zero bytes x 4 = 21584. Execution: call
    // 2600, read + update of the sender 800 + 5000, read + set of the recipient 800 + 20000,
    // log 375 + 3 x 375 + 32 x 8 = 1756.
    EXPECT_EQ(r.gas_used, 21'584u + 2'600 + 800 + 5'000 + 800 + 20'000 + 1'756);
}

TEST_F(Erc20, ShortBalanceRevertsAndTheSenderStillPays) {
    const core::U256 eth_before = balance(addr(1));
    const core::Receipt r = call(1, test::calldata("a9059cbb", {word_of(kAlice), word_of(1)}));
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.failure, core::Errc::kRevert);
    EXPECT_EQ(r.message, "ERC20: transfer amount exceeds balance");
    EXPECT_TRUE(r.logs.empty());
    EXPECT_EQ(token_balance(kAlice), core::U256(0));
    // Intrinsic 21000 + 25 non-zero bytes x 16 + 43 zero bytes x 4; call 2600 and one read 800.
    EXPECT_EQ(r.gas_used, 21'572u + 2'600 + 800);
    EXPECT_EQ(balance(addr(1)), eth_before - core::U256(r.gas_used) * r.effective_gas_price);
    EXPECT_EQ(nonce(addr(1)), 1u);
}

TEST_F(Erc20, OutOfGasUndoesEverythingAndConsumesTheGasLimit) {
    const core::Bytes data = test::calldata("a9059cbb", {word_of(kAlice), word_of(10)});
    const std::uint64_t limit = 21'584 + 9'000;  // enough for the call and reads, not the set
    const core::U256 eth_before = balance(addr(0));
    const core::Receipt r = call(0, data, limit);
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.failure, core::Errc::kOutOfGas);
    EXPECT_EQ(r.gas_used, limit);
    EXPECT_TRUE(r.logs.empty());
    EXPECT_EQ(token_balance(addr(0)), core::U256(1'000'000));
    EXPECT_EQ(token_balance(kAlice), core::U256(0));
    EXPECT_EQ(balance(addr(0)), eth_before - core::U256(limit) * r.effective_gas_price);
}

TEST_F(Erc20, ApproveAndTransferFromSpendTheAllowance) {
    const core::Receipt approved =
        call(0, hex("095ea7b3"
                    "000000000000000000000000" +
                    addr(1).hex().substr(2) +
                    "0000000000000000000000000000000000000000000000000000000000000064"));
    ASSERT_TRUE(approved.success) << approved.message;
    ASSERT_EQ(approved.logs.size(), 1u);
    EXPECT_EQ(approved.logs[0].topics[0].hex(), kApprovalTopic);
    EXPECT_EQ(approved.logs[0].topics[1], word_of(addr(0)));
    EXPECT_EQ(approved.logs[0].topics[2], word_of(addr(1)));
    const auto allowance = [&] {
        return *core::U256::from_be(
            view(token_, test::calldata("dd62ed3e", {word_of(addr(0)), word_of(addr(1))})));
    };
    EXPECT_EQ(allowance(), core::U256(100));

    const core::Receipt spent =
        run(1, token_, 0,
            test::calldata("23b872dd", {word_of(addr(0)), word_of(kAlice), word_of(60)}), 200'000);
    ASSERT_TRUE(spent.success) << spent.message;
    EXPECT_EQ(allowance(), core::U256(40));
    EXPECT_EQ(token_balance(kAlice), core::U256(60));
    ASSERT_EQ(spent.logs.size(), 1u);
    EXPECT_EQ(spent.logs[0].topics[1], word_of(addr(0)));

    const core::Receipt over =
        run(1, token_, 0,
            test::calldata("23b872dd", {word_of(addr(0)), word_of(kAlice), word_of(41)}), 200'000);
    EXPECT_FALSE(over.success);
    EXPECT_EQ(over.message, "ERC20: insufficient allowance");
    EXPECT_EQ(allowance(), core::U256(40));
    EXPECT_EQ(token_balance(kAlice), core::U256(60));
}

TEST_F(Erc20, UnlimitedAllowanceIsNotDecreased) {
    ASSERT_TRUE(call(0, test::calldata("095ea7b3", {word_of(addr(1)), word_of(core::U256::max())}))
                    .success);
    ASSERT_TRUE(run(1, token_, 0,
                    test::calldata("23b872dd", {word_of(addr(0)), word_of(kAlice), word_of(5)}))
                    .success);
    EXPECT_EQ(*core::U256::from_be(
                  view(token_, test::calldata("dd62ed3e", {word_of(addr(0)), word_of(addr(1))}))),
              core::U256::max());
}

TEST_F(Erc20, BadCallsFailWithTheirReasons) {
    const core::Receipt unknown = call(0, hex("deadbeef"));
    EXPECT_EQ(unknown.failure, core::Errc::kUnknownSelector);
    const core::Receipt no_fallback = call(0, {});
    EXPECT_EQ(no_fallback.failure, core::Errc::kUnknownSelector);
    const core::Receipt truncated = call(0, hex("a9059cbb0000"));
    EXPECT_EQ(truncated.failure, core::Errc::kAbiDecode);
    // An address word with a high byte set is not an address.
    const core::Receipt dirty =
        call(0, hex("a9059cbb"
                    "ff00000000000000000000001111111111111111111111111111111111111111"
                    "0000000000000000000000000000000000000000000000000000000000000001"));
    EXPECT_EQ(dirty.failure, core::Errc::kAbiDecode);
    const core::Receipt paid =
        call(0, test::calldata("a9059cbb", {word_of(kAlice), word_of(1)}), 200'000, 5);
    EXPECT_EQ(paid.failure, core::Errc::kRevert);
    EXPECT_EQ(balance(token_), core::U256(0));
    const core::Receipt to_zero =
        call(0, test::calldata("a9059cbb", {word_of(core::Address{}), word_of(1)}));
    EXPECT_EQ(to_zero.message, "ERC20: transfer to the zero address");
    EXPECT_EQ(token_balance(addr(0)), core::U256(1'000'000));
}

TEST_F(Erc20, TransferToSelfKeepsTheBalance) {
    ASSERT_TRUE(call(0, test::calldata("a9059cbb", {word_of(addr(0)), word_of(500)})).success);
    EXPECT_EQ(token_balance(addr(0)), core::U256(1'000'000));
}

TEST_F(Erc20, DeploymentFailuresChargeGasAndLeaveNoContract) {
    const core::Address next = contracts::create_address(addr(2), 0);
    // ERC20 holds no Ether.
    const core::Receipt paid =
        run(2, std::nullopt, 7,
            test::deploy_payload("ERC20", "c(string,string,uint8,uint256)",
                                 {abi::Value::string("A"), abi::Value::string("A"),
                                  abi::Value::uint(1), abi::Value::uint(1)}),
            2'000'000);
    EXPECT_FALSE(paid.success);
    EXPECT_EQ(paid.failure, core::Errc::kRevert);
    EXPECT_FALSE(paid.contract_address.has_value());
    EXPECT_FALSE(chain_->account(next)->is_contract);
    EXPECT_EQ(balance(next), core::U256(0));
    // Unknown tag; then a decimals value that does not fit uint8.
    const core::Receipt unknown = run(2, std::nullopt, 0, hex("0102030400"), 2'000'000);
    EXPECT_EQ(unknown.failure, core::Errc::kUnknownSelector);
    core::Bytes bad = test::deploy_payload("ERC20", "c(string,string,uint256,uint256)",
                                           {abi::Value::string("A"), abi::Value::string("A"),
                                            abi::Value::uint(256), abi::Value::uint(1)});
    const core::Receipt wide = run(2, std::nullopt, 0, bad, 2'000'000);
    EXPECT_EQ(wide.failure, core::Errc::kAbiDecode);
    EXPECT_EQ(nonce(addr(2)), 3u);
    EXPECT_FALSE(chain_->account(contracts::create_address(addr(2), 2))->is_contract);
}

TEST_F(Erc20, EthCallDoesNotCommit) {
    auto result = chain_->call(CallRequest{
        addr(0), token_, 0, test::calldata("a9059cbb", {word_of(kAlice), word_of(7)}), {}});
    ASSERT_TRUE(result.has_value()) << result.error().to_string();
    EXPECT_EQ(result->output, word_of(core::U256(1)).to_bytes());
    EXPECT_EQ(result->logs.size(), 1u);
    EXPECT_GT(result->gas_used, 21'000u);
    EXPECT_EQ(token_balance(kAlice), core::U256(0));
    auto reverted = chain_->call(CallRequest{
        addr(1), token_, 0, test::calldata("a9059cbb", {word_of(kAlice), word_of(7)}), {}});
    ASSERT_FALSE(reverted.has_value());
    EXPECT_EQ(reverted.error().code, core::Errc::kRevert);
    auto starved = chain_->call(CallRequest{addr(0), token_, 0, hex("18160ddd"), 100});
    ASSERT_FALSE(starved.has_value());
    EXPECT_EQ(starved.error().code, core::Errc::kTxIntrinsicGasTooLow);
}

TEST_F(Erc20, PlainAccountsTakeValueAndIgnoreData) {
    const core::Receipt r = run(0, kAlice, 9, hex("a9059cbb00"), 100'000);
    EXPECT_TRUE(r.success);
    EXPECT_EQ(balance(kAlice), core::U256(9));
    EXPECT_EQ(r.gas_used, core::intrinsic_gas(test::tx_to(kAlice, 0, 9, hex("a9059cbb00"), 0)));
}

}  // namespace
}  // namespace mfd::chain
