// The fraud-flag rule: stake-weighted aggregation of the extensions in an extended commit.
#include <gtest/gtest.h>

#include "consensus/flags.hpp"
#include "tests/consensus/fixtures.hpp"

namespace mfd::test {
namespace {

using consensus::FraudFlag;

class FlagRule : public ::testing::Test {
protected:
    // Powers 3, 3, 3, 1: total 10, so a third is 3.33.
    FlagRule() : set_(*consensus::ValidatorSet::create(genesis(4, {3, 3, 3, 1}))) {}

    consensus::VotePtr precommit(int who, std::vector<FraudFlag> flags) {
        const auto index = static_cast<std::uint32_t>(set_.index_of(key(who).address()));
        return vote(who, index, VoteType::kPrecommit, 1, 0, block_,
                    consensus::normalise_flags(flags, 64));
    }
    consensus::ExtendedCommit commit(std::vector<consensus::VotePtr> votes) {
        std::sort(votes.begin(), votes.end(), [](const auto& a, const auto& b) {
            return a->vote().validator < b->vote().validator;
        });
        return {1, 0, block_, votes};
    }

    consensus::ValidatorSet set_;
    BlockId block_ = hash_of("block");
    core::Hash t1 = hash_of("t1"), t2 = hash_of("t2"), t3 = hash_of("t3"), t4 = hash_of("t4");
};

TEST_F(FlagRule, LeavesOutWhatAThirdOfStakeFlagsAndReportsTheRest) {
    const auto c =
        commit({precommit(0, {{t1, 9000}, {t2, 8000}}), precommit(3, {{t1, 7000}}),
                precommit(1, {{t3, 10000}, {hash_of("not pending"), 9999}}), precommit(2, {})});
    const std::vector<core::Hash> pending = {t1, t2, t3, t4};
    const auto out = consensus::aggregate_flags(c, set_, pending, {1, 3});
    EXPECT_EQ(out.executed, (std::vector<core::Hash>{t2, t3, t4}));
    ASSERT_EQ(out.flags.size(), 3U);
    EXPECT_EQ(out.flags[0].tx, t1);
    EXPECT_TRUE(out.flags[0].excluded);  // 3 + 1 = 4 of 10 >= 1/3
    EXPECT_EQ(out.flags[0].flagged_power, 4);
    EXPECT_EQ(out.flags[0].total_power, 10);
    EXPECT_EQ(out.flags[0].mean_score, (3 * 9000 + 1 * 7000) / 4);
    EXPECT_EQ(out.flags[0].votes.size(), 2U);
    EXPECT_FALSE(out.flags[1].excluded);  // 3 of 10 < 1/3
    EXPECT_EQ(out.flags[1].tx, t2);
    EXPECT_FALSE(out.flags[2].excluded);
}

TEST_F(FlagRule, ThresholdIsConfigurableAndExact) {
    const auto c = commit({precommit(0, {{t1, 9000}}), precommit(1, {}), precommit(2, {})});
    const std::vector<core::Hash> pending = {t1};
    EXPECT_FALSE(consensus::aggregate_flags(c, set_, pending, {1, 3}).flags[0].excluded);
    EXPECT_TRUE(consensus::aggregate_flags(c, set_, pending, {3, 10}).flags[0].excluded);  // 3/10
    EXPECT_FALSE(consensus::aggregate_flags(c, set_, pending, {31, 100}).flags[0].excluded);
}

// The two guarantees behind the default share of 1/3: a minority below a third cannot reach it
// alone, and the honest stake in any commit (> 2/3 - 1/3) always reaches it.
TEST_F(FlagRule, MinorityCannotExcludeAndHonestMajorityAlwaysDoes) {
    const std::vector<core::Hash> pending = {t1, t2};
    // Validator 0 (3 of 10, below a third) flags the honest t2; honest 1, 2, 3 flag t1. The
    // smallest valid commit without validator 1 still has 2 + 3 = 7 of 10 stake.
    const auto c = commit(
        {precommit(0, {{t2, 10000}}), precommit(2, {{t1, 9000}}), precommit(3, {{t1, 9000}})});
    const auto out = consensus::aggregate_flags(c, set_, pending, {1, 3});
    EXPECT_EQ(out.executed, (std::vector<core::Hash>{t2}));
}

// The stake-weighted score: Σ(stake × score) / total stake, validators that did not flag
// counting 0, against a minimum in basis points.
TEST_F(FlagRule, TheMeanScoreRuleWeighsScoresByStakeOverTheWholeSet) {
    const auto c = commit({precommit(0, {{t1, 9000}, {t2, 5000}}), precommit(3, {{t1, 7000}}),
                           precommit(1, {{t2, 5000}})});
    const std::vector<core::Hash> pending = {t1, t2};
    consensus::FlagRule rule{consensus::FlagRule::Kind::kMeanScore, {1, 3}, 3400};
    const auto out = consensus::aggregate_flags(c, set_, pending, rule);
    ASSERT_EQ(out.flags.size(), 2U);
    EXPECT_EQ(out.flags[0].stake_score, (3 * 9000 + 1 * 7000) / 10);  // 3400
    EXPECT_TRUE(out.flags[0].excluded);
    EXPECT_EQ(out.flags[1].stake_score, (3 * 5000 + 3 * 5000) / 10);  // 3000: flagged by 6 of
    EXPECT_FALSE(out.flags[1].excluded);  // 10, more than a third, but with low scores
    EXPECT_EQ(out.executed, (std::vector<core::Hash>{t2}));
}

TEST_F(FlagRule, VotesFromOutsideTheSetCountForNothing) {
    const auto outsider = vote(9, 0, VoteType::kPrecommit, 1, 0, block_, {{t1, 10000}});
    const auto out = consensus::aggregate_flags(commit({outsider, precommit(0, {})}), set_,
                                                std::vector<core::Hash>{t1}, {1, 3});
    EXPECT_EQ(out.executed, (std::vector<core::Hash>{t1}));
    EXPECT_TRUE(out.flags.empty());
}

}  // namespace
}  // namespace mfd::test
