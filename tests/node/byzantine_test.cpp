#include <gtest/gtest.h>

#include "chain_sim/sim/byzantine.hpp"

namespace mfd::chain::sim {
namespace {

TEST(ByzantineSpec, ParsesIndexesAndCombinedBehaviours) {
    auto spec = parse_byzantine("2:equivocate,3:silent+flag-honest", 4);
    ASSERT_TRUE(spec) << spec.error().to_string();
    EXPECT_EQ(spec->size(), 2U);
    EXPECT_EQ(spec->at(2), net::kEquivocate);
    EXPECT_EQ(spec->at(3), net::kSilent | net::kFlagHonest);
}

TEST(ByzantineSpec, EmptyMeansHonest) {
    auto spec = parse_byzantine("", 4);
    ASSERT_TRUE(spec);
    EXPECT_TRUE(spec->empty());
}

TEST(ByzantineSpec, RefusesBadItemsNamingThem) {
    for (const char* bad :
         {"4:silent", "x:silent", "1", "1:", ":silent", "1:dance", "1:silent,1:equivocate",
          "1:silent,", "18446744073709551616:silent", "-1:silent", "+1:silent", "0x1:silent"}) {
        auto spec = parse_byzantine(bad, 4);
        EXPECT_FALSE(spec) << bad;
        if (!spec) {
            EXPECT_EQ(spec.error().code, core::Errc::kInvalidArgument) << bad;
        }
    }
    auto unknown = parse_byzantine("1:dance", 4);
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message.find("dance"), std::string::npos);
    EXPECT_NE(unknown.error().message.find("equivocate"), std::string::npos);
}

TEST(ByzantineSpec, SilentValidatorsWithAThirdOfTheStakeAreRefused) {
    EXPECT_TRUE(check_quorum(*parse_byzantine("3:silent", 4), 4));
    EXPECT_TRUE(check_quorum(*parse_byzantine("0:equivocate,1:flag-honest", 4), 4));
    auto two = check_quorum(*parse_byzantine("0:silent,1:silent", 4), 4);
    ASSERT_FALSE(two);
    EXPECT_NE(two.error().message.find("2 of 4 validators are silent (0, 1)"), std::string::npos)
        << two.error().message;
    EXPECT_FALSE(check_quorum(*parse_byzantine("0:silent", 3), 3));
    EXPECT_TRUE(check_quorum(*parse_byzantine("0:silent", 4), 4));
    EXPECT_FALSE(check_quorum(*parse_byzantine("0:silent", 1), 1));
}

TEST(ByzantineSpec, ExtensionBehavioursMapToTheNode) {
    EXPECT_EQ(flag_behaviour_of(0), node::FlagBehaviour::kHonest);
    EXPECT_EQ(flag_behaviour_of(net::kWithholdExtension), node::FlagBehaviour::kWithhold);
    EXPECT_EQ(flag_behaviour_of(net::kFlagHonest), node::FlagBehaviour::kInvert);
    EXPECT_EQ(flag_behaviour_of(net::kEquivocate), node::FlagBehaviour::kHonest);
}

}  // namespace
}  // namespace mfd::chain::sim
