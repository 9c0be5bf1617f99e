// SwapPool: liquidity, swaps at the documented price, nested ERC20 calls with the pool as sender.
#include <gtest/gtest.h>

#include "tests/chain_sim/chain_testing.hpp"

namespace mfd::chain {
namespace {

using test::addr;
using test::word_of;
namespace abi = core::abi;

constexpr std::string_view kAddLiquidity = "9cd441da";
constexpr std::string_view kRemoveLiquidity = "9c8f9f23";
constexpr std::string_view kSwap = "9f1d0f59";
constexpr std::string_view kGetReserves = "0902f1ac";
constexpr std::string_view kTokens = "9d63848a";
constexpr std::string_view kSharesOf = "f5eb42dc";
constexpr std::string_view kApprove = "095ea7b3";
constexpr std::string_view kTransfer = "a9059cbb";
constexpr std::string_view kBalanceOf = "70a08231";

class SwapPool : public test::ChainTest {
protected:
    void SetUp() override {
        test::ChainTest::SetUp();
        token_a_ = deploy_token("A");
        token_b_ = deploy_token("B");
        pool_ = deploy(0, test::deploy_payload(
                              "SwapPool", "c(address,address)",
                              {abi::Value::address(token_a_), abi::Value::address(token_b_)}));
        for (const auto& t : {token_a_, token_b_}) approve(0, t, core::U256::max());
    }
    core::Address deploy_token(std::string_view symbol) {
        return deploy(0,
                      test::deploy_payload("ERC20", "c(string,string,uint8,uint256)",
                                           {abi::Value::string(symbol), abi::Value::string(symbol),
                                            abi::Value::uint(18), abi::Value::uint(100'000'000)}));
    }
    void approve(int signer, const core::Address& token, const core::U256& amount) {
        ASSERT_TRUE(
            run(signer, token, 0, test::calldata(kApprove, {word_of(pool_), word_of(amount)}))
                .success);
    }
    core::Receipt pool_call(int signer, std::string_view selector,
                            std::initializer_list<core::Hash> words) {
        return run(signer, pool_, 0, test::calldata(selector, words), 500'000);
    }
    core::U256 token_balance(const core::Address& token, const core::Address& owner) {
        return *core::U256::from_be(view(token, test::calldata(kBalanceOf, {word_of(owner)})));
    }
    core::Bytes words(std::initializer_list<core::U256> values) {
        core::Bytes out;
        for (const auto& v : values) core::append(out, v.to_be32().view());
        return out;
    }
    void add_initial_liquidity() {
        const core::Receipt r = pool_call(
            0, kAddLiquidity, {word_of(core::U256(1'000'000)), word_of(core::U256(4'000'000))});
        ASSERT_TRUE(r.success) << r.message;
    }
    core::Address token_a_, token_b_, pool_;
};

TEST_F(SwapPool, FirstLiquidityMintsTheGeometricMean) {
    const core::Receipt r = pool_call(
        0, kAddLiquidity, {word_of(core::U256(1'000'000)), word_of(core::U256(4'000'000))});
    ASSERT_TRUE(r.success) << r.message;
    // Two Transfer logs from the nested transferFrom calls, then LiquidityAdded.
    ASSERT_EQ(r.logs.size(), 3u);
    EXPECT_EQ(r.logs[0].address, token_a_);
    EXPECT_EQ(r.logs[1].address, token_b_);
    EXPECT_EQ(r.logs[2].address, pool_);
    EXPECT_EQ(r.logs[2].topics[0],
              core::keccak256("LiquidityAdded(address,uint256,uint256,uint256)"));
    EXPECT_EQ(r.logs[2].topics[1], word_of(addr(0)));
    EXPECT_EQ(r.logs[2].data, words({1'000'000, 4'000'000, 2'000'000}));
    EXPECT_EQ(view(pool_, test::calldata(kGetReserves, {})), words({1'000'000, 4'000'000}));
    EXPECT_EQ(view(pool_, test::calldata(kSharesOf, {word_of(addr(0))})), words({2'000'000}));
    EXPECT_EQ(token_balance(token_a_, pool_), core::U256(1'000'000));
    EXPECT_EQ(token_balance(token_b_, pool_), core::U256(4'000'000));
    EXPECT_LT(r.gas_used - 21'000, 300'000u);  // the workload's budget for addLiquidity
}

TEST_F(SwapPool, SwapPaysTheConstantProductPriceMinusTheFee) {
    add_initial_liquidity();
    const core::U256 b_before = token_balance(token_b_, addr(0));
    const core::Receipt r = pool_call(
        0, kSwap, {word_of(token_a_), word_of(core::U256(10'000)), word_of(core::U256(39'000))});
    ASSERT_TRUE(r.success) << r.message;
    // 4,000,000 * 10,000 * 997 / (1,000,000 * 1000 + 10,000 * 997) = 39,486
    EXPECT_EQ(token_balance(token_b_, addr(0)), b_before + 39'486);
    EXPECT_EQ(view(pool_, test::calldata(kGetReserves, {})),
              words({1'010'000, 4'000'000 - 39'486}));
    ASSERT_EQ(r.logs.size(), 3u);
    const core::Log& swap = r.logs[2];
    EXPECT_EQ(swap.topics[0], core::keccak256("Swap(address,address,uint256,uint256)"));
    EXPECT_EQ(swap.topics[1], word_of(addr(0)));
    EXPECT_EQ(swap.topics[2], word_of(token_a_));
    EXPECT_EQ(swap.data, words({10'000, 39'486}));
    EXPECT_LT(r.gas_used - 21'000, 250'000u);  // the workload's budget for swap
}

TEST_F(SwapPool, SwapBelowTheMinimumRevertsEverything) {
    add_initial_liquidity();
    const core::U256 a_before = token_balance(token_a_, addr(0));
    const core::Receipt r = pool_call(
        0, kSwap, {word_of(token_a_), word_of(core::U256(10'000)), word_of(core::U256(39'487))});
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.failure, core::Errc::kRevert);
    EXPECT_TRUE(r.logs.empty());
    EXPECT_EQ(token_balance(token_a_, addr(0)), a_before);
    EXPECT_EQ(view(pool_, test::calldata(kGetReserves, {})), words({1'000'000, 4'000'000}));
}

TEST_F(SwapPool, SwapWithoutApprovalFailsInTheNestedCall) {
    add_initial_liquidity();
    ASSERT_TRUE(
        run(0, token_a_, 0, test::calldata(kTransfer, {word_of(addr(1)), word_of(core::U256(500))}))
            .success);
    const core::Receipt r =
        pool_call(1, kSwap, {word_of(token_a_), word_of(core::U256(500)), word_of(core::U256(0))});
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.message, "ERC20: insufficient allowance");
    EXPECT_EQ(token_balance(token_a_, addr(1)), core::U256(500));
    approve(1, token_a_, 500);
    EXPECT_TRUE(
        pool_call(1, kSwap, {word_of(token_a_), word_of(core::U256(500)), word_of(core::U256(1))})
            .success);
    EXPECT_EQ(token_balance(token_a_, addr(1)), core::U256(0));
}

TEST_F(SwapPool, LaterLiquidityIsProportionalAndRemovalPaysBack) {
    add_initial_liquidity();
    // min(500,000 * 2M / 1M, 1,000,000 * 2M / 4M) = min(1M, 500k) = 500k shares.
    ASSERT_TRUE(
        pool_call(0, kAddLiquidity, {word_of(core::U256(500'000)), word_of(core::U256(1'000'000))})
            .success);
    EXPECT_EQ(view(pool_, test::calldata(kSharesOf, {word_of(addr(0))})), words({2'500'000}));
    EXPECT_EQ(view(pool_, test::calldata(kGetReserves, {})), words({1'500'000, 5'000'000}));
    const core::U256 a_before = token_balance(token_a_, addr(0));
    // 1,250,000 of 2,500,000 shares: half of each reserve.
    const core::Receipt r = pool_call(0, kRemoveLiquidity, {word_of(core::U256(1'250'000))});
    ASSERT_TRUE(r.success) << r.message;
    EXPECT_EQ(token_balance(token_a_, addr(0)), a_before + 750'000);
    EXPECT_EQ(view(pool_, test::calldata(kGetReserves, {})), words({750'000, 2'500'000}));
    EXPECT_EQ(r.logs.back().topics[0],
              core::keccak256("LiquidityRemoved(address,uint256,uint256,uint256)"));
    EXPECT_EQ(r.logs.back().data, words({750'000, 2'500'000, 1'250'000}));
    const core::Receipt too_many = pool_call(0, kRemoveLiquidity, {word_of(core::U256(1'250'001))});
    EXPECT_EQ(too_many.message, "SwapPool: not enough shares");
    EXPECT_FALSE(pool_call(1, kRemoveLiquidity, {word_of(core::U256(1))}).success);
}

TEST_F(SwapPool, RefusesForeignTokensAndBadConstruction) {
    add_initial_liquidity();
    const core::Receipt foreign =
        pool_call(0, kSwap, {word_of(addr(5)), word_of(core::U256(1)), word_of(core::U256(0))});
    EXPECT_EQ(foreign.message, "SwapPool: token not in the pool");
    const core::Receipt same =
        run(0, std::nullopt, 0,
            test::deploy_payload("SwapPool", "c(address,address)",
                                 {abi::Value::address(token_a_), abi::Value::address(token_a_)}),
            2'000'000);
    EXPECT_FALSE(same.success);
    const core::Receipt not_tokens =
        run(0, std::nullopt, 0,
            test::deploy_payload("SwapPool", "c(address,address)",
                                 {abi::Value::address(addr(1)), abi::Value::address(token_a_)}),
            2'000'000);
    EXPECT_EQ(not_tokens.message, "SwapPool: both tokens must be ERC20 contracts");
    const core::Receipt empty_pool_swap =
        run(0, std::nullopt, 0,
            test::deploy_payload("SwapPool", "c(address,address)",
                                 {abi::Value::address(token_b_), abi::Value::address(token_a_)}),
            2'000'000);
    ASSERT_TRUE(empty_pool_swap.success);
    const core::Receipt no_liquidity = run(
        0, *empty_pool_swap.contract_address, 0,
        test::calldata(kSwap, {word_of(token_a_), word_of(core::U256(1)), word_of(core::U256(0))}),
        500'000);
    EXPECT_EQ(no_liquidity.message, "SwapPool: no liquidity");
}

TEST_F(SwapPool, TokensViewReturnsBothAddresses) {
    EXPECT_EQ(
        view(pool_, test::calldata(kTokens, {})),
        words({*core::U256::from_be(token_a_.view()), *core::U256::from_be(token_b_.view())}));
}

}  // namespace
}  // namespace mfd::chain
