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
    for (const char* bad : {"4:silent", "x:silent", "1", "1:", ":silent", "1:dance",
                            "1:silent,1:equivocate", "1:silent,"}) {
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

TEST(ByzantineSpec, ExtensionBehavioursMapToTheNode) {
    EXPECT_EQ(flag_behaviour_of(0), node::FlagBehaviour::kHonest);
    EXPECT_EQ(flag_behaviour_of(net::kWithholdExtension), node::FlagBehaviour::kWithhold);
    EXPECT_EQ(flag_behaviour_of(net::kFlagHonest), node::FlagBehaviour::kInvert);
    EXPECT_EQ(flag_behaviour_of(net::kEquivocate), node::FlagBehaviour::kHonest);
}

}  // namespace
}  // namespace mfd::chain::sim
