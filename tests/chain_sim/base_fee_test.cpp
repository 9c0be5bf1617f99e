#include "chain_sim/base_fee.hpp"

#include <gtest/gtest.h>

#include "tests/chain_sim/chain_testing.hpp"

namespace mfd::chain {
namespace {

// Limit 30M: the target is 15M; each expected value is worked out by hand from EIP-1559.
TEST(BaseFee, UnchangedAtTarget) {
    EXPECT_EQ(next_base_fee(30'000'000, 15'000'000, 1'000'000'000), core::U256(1'000'000'000));
}

TEST(BaseFee, FullBlockRaisesByAnEighth) {
    // 1e9 * 15M / 15M / 8 = 125,000,000
    EXPECT_EQ(next_base_fee(30'000'000, 30'000'000, 1'000'000'000), core::U256(1'125'000'000));
}

TEST(BaseFee, EmptyBlockLowersByAnEighth) {
    EXPECT_EQ(next_base_fee(30'000'000, 0, 1'000'000'000), core::U256(875'000'000));
}

TEST(BaseFee, PartialBlocksRoundDown) {
    // 1e9 * 5M / 15M = 333,333,333; / 8 = 41,666,666
    EXPECT_EQ(next_base_fee(30'000'000, 20'000'000, 1'000'000'000), core::U256(1'041'666'666));
    // 1000 * 5M / 15M = 333; / 8 = 41
    EXPECT_EQ(next_base_fee(30'000'000, 10'000'000, 1'000), core::U256(959));
}

TEST(BaseFee, IncreaseIsAtLeastOne) {
    // 7 * 1 / 15M / 8 = 0, raised to 1
    EXPECT_EQ(next_base_fee(30'000'000, 15'000'001, 7), core::U256(8));
}

TEST(BaseFee, SmallFeeCanStopFalling) {
    // 7 * 15M / 15M / 8 = 0
    EXPECT_EQ(next_base_fee(30'000'000, 0, 7), core::U256(7));
}

TEST(BaseFee, HugeFeesSaturateInsteadOfWrapping) {
    EXPECT_EQ(next_base_fee(30'000'000, 30'000'000, core::U256::max()), core::U256::max());
    EXPECT_LT(next_base_fee(30'000'000, 0, core::U256::max()), core::U256::max());
}

using ChainBaseFee = test::ChainTest;

TEST_F(ChainBaseFee, BlockOneUsesTheInitialFeeThenTheRuleApplies) {
    EXPECT_EQ(chain_->next_base_fee(), test::kBaseFee);
    // Block 1 with one 21,000-gas transfer: 1e9 - 1e9 * (15M - 21000) / 15M / 8
    // = 1e9 - 124,825,000 = 875,175,000.
    test::ChainTest::run(0, test::addr(1), 1, {}, 21'000);
    EXPECT_EQ(chain_->head().base_fee, test::kBaseFee);
    EXPECT_EQ(chain_->head().gas_used, 21'000u);
    EXPECT_EQ(chain_->next_base_fee(), core::U256(875'175'000));
    // Block 2 is empty: 875,175,000 - 875,175,000 / 8 = 875,175,000 - 109,396,875.
    commit_block({});
    EXPECT_EQ(chain_->head().base_fee, core::U256(875'175'000));
    EXPECT_EQ(chain_->next_base_fee(), core::U256(765'778'125));
}


// A floor (ChainConfig::min_base_fee) stops the fall of empty blocks; the rule above it is
// unchanged.
TEST(ChainBaseFeeFloor, EmptyBlocksStopAtTheFloor) {
    storage::MemoryStore store;
    ChainConfig config = test::test_config();
    config.min_base_fee = test::kBaseFee * 9 / 10;
    auto chain = Chain::open(store, config);
    ASSERT_TRUE(chain.has_value()) << chain.error().to_string();
    for (int i = 0; i < 3; ++i) {
        BlockContext context;
        context.timestamp_ms = static_cast<std::uint64_t>(i + 1) * 1000;
        auto built = (*chain)->build_block({}, context);
        ASSERT_TRUE(built.has_value());
        ASSERT_TRUE((*chain)->commit(built->executed).has_value());
    }
    EXPECT_EQ((*chain)->next_base_fee(), config.min_base_fee);  // 0.875 of the fee is below it
}

TEST(ChainBaseFeeFloor, AFloorAboveTheInitialFeeIsRefused) {
    storage::MemoryStore store;
    ChainConfig config = test::test_config();
    config.min_base_fee = test::kBaseFee + 1;
    auto chain = Chain::open(store, config);
    ASSERT_FALSE(chain.has_value());
    EXPECT_EQ(chain.error().code, core::Errc::kInvalidArgument);
}

}  // namespace
}  // namespace mfd::chain
