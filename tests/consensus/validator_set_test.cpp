// ValidatorSet updates, checked against cometbft types/validator_set_test.go expectations
// (TestValSetUpdatesBasicTestsExecute, ...Errors, TestValSetUpdatePriorityOrderTests) and a
// hand-derived example of a validator joining.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "consensus/proposer_priority.hpp"
#include "consensus/validator_set.hpp"

namespace mfd::consensus {
namespace {

// Names become right-aligned 20-byte addresses (same-length names keep their order).
core::Address addr(const std::string& name) {
    return core::Address::right_aligned(core::as_bytes(name));
}

std::vector<ValidatorUpdate> vals(std::vector<std::pair<std::string, std::int64_t>> list) {
    std::vector<ValidatorUpdate> out;
    for (const auto& [name, power] : list) out.push_back({addr(name), {}, power});
    return out;
}

std::vector<std::pair<core::Address, std::int64_t>> listing(const ValidatorSet& set) {
    std::vector<std::pair<core::Address, std::int64_t>> out;
    for (const Validator& v : set.validators()) out.emplace_back(v.address, v.power);
    return out;
}

std::vector<std::pair<core::Address, std::int64_t>> expected(
    std::vector<std::pair<std::string, std::int64_t>> list) {
    std::vector<std::pair<core::Address, std::int64_t>> out;
    for (const auto& [name, power] : list) out.emplace_back(addr(name), power);
    return out;
}

// verifyValidatorSet: priorities centred (sum in (-n, n)) and within 2 * P of each other.
void expect_scaled_and_centred(const ValidatorSet& set) {
    std::int64_t sum = 0, lo = 0, hi = 0;
    for (const Validator& v : set.validators()) {
        sum += v.priority;
        lo = std::min(lo, v.priority);
        hi = std::max(hi, v.priority);
    }
    const auto n = static_cast<std::int64_t>(set.size());
    EXPECT_GT(sum, -n);
    EXPECT_LT(sum, n);
    EXPECT_LE(hi - lo, kPriorityWindowSizeFactor * set.total_power());
}

TEST(ValidatorSet, UpdatesMatchCometBftBasicCases) {
    struct Case {
        std::vector<std::pair<std::string, std::int64_t>> start, update, result;
    };
    const Case cases[] = {
        {{{"v1", 10}, {"v2", 10}}, {}, {{"v1", 10}, {"v2", 10}}},
        {{{"v1", 10}, {"v2", 10}}, {{"v2", 22}, {"v1", 11}}, {{"v2", 22}, {"v1", 11}}},
        {{{"v2", 20}, {"v1", 10}},
         {{"v4", 40}, {"v3", 30}},
         {{"v4", 40}, {"v3", 30}, {"v2", 20}, {"v1", 10}}},
        {{{"v3", 20}, {"v1", 10}}, {{"v2", 30}}, {{"v2", 30}, {"v3", 20}, {"v1", 10}}},
        {{{"v3", 20}, {"v2", 10}}, {{"v1", 30}}, {{"v1", 30}, {"v3", 20}, {"v2", 10}}},
        {{{"v3", 30}, {"v2", 20}, {"v1", 10}}, {{"v2", 0}}, {{"v3", 30}, {"v1", 10}}},
    };
    for (const Case& c : cases) {
        auto set = ValidatorSet::create(vals(c.start));
        ASSERT_TRUE(set);
        ASSERT_TRUE(set->apply_updates(vals(c.update)));
        EXPECT_EQ(listing(*set), expected(c.result));
        expect_scaled_and_centred(*set);
    }
}

TEST(ValidatorSet, BadUpdatesFailAndLeaveTheSetUnchanged) {
    const std::vector<std::vector<std::pair<std::string, std::int64_t>>> bad = {
        {{"v1", 11}, {"v1", 22}},             // duplicate change
        {{"v1", 0}, {"v1", 0}},               // duplicate removal
        {{"v1", 0}, {"v2", 20}, {"v1", 30}},  // removal and update of one validator
        {{"v1", -123}},                       // negative power
        {{"v3", 0}},                          // removing an unknown validator
        {{"v1", 0}, {"v2", 0}},               // emptying the set
        {{"v1", kMaxTotalVotingPower}},       // total overflow
    };
    for (const auto& update : bad) {
        auto set = ValidatorSet::create(vals({{"v1", 10}, {"v2", 10}}));
        ASSERT_TRUE(set);
        const auto before = listing(*set);
        const auto priorities = set->at(0).priority;
        EXPECT_FALSE(set->apply_updates(vals(update)));
        EXPECT_EQ(listing(*set), before);
        EXPECT_EQ(set->at(0).priority, priorities);
    }
    EXPECT_FALSE(ValidatorSet::create({}));
    EXPECT_FALSE(ValidatorSet::create(vals({{"v1", 0}, {"v2", 22}})));
    EXPECT_FALSE(ValidatorSet::create(vals({{"v1", 10}, {"v2", -20}})));
}

// Hand-derived: genesis a:1, b:1 elects a (tie, smaller address): priorities a -1, b 1. Adding
// c:2 (P becomes 4) gives c -(4 + 4/8) = -4; centring on floor(-4/3) = -2 gives a 1, b 3, c -2.
// The next election: a 2, b 4, c 0 -> b, which drops to 0.
TEST(ValidatorSet, NewValidatorJoinsBehindTheQueue) {
    auto set = ValidatorSet::create(vals({{"a", 1}, {"b", 1}}));
    ASSERT_TRUE(set);
    EXPECT_EQ(set->at(set->proposer_index()).address, addr("a"));
    ASSERT_TRUE(set->apply_updates(vals({{"c", 2}})));
    auto priority = [&](const std::string& n) { return set->at(set->index_of(addr(n))).priority; };
    EXPECT_EQ(priority("a"), 1);
    EXPECT_EQ(priority("b"), 3);
    EXPECT_EQ(priority("c"), -2);
    set->increment_proposer_priority(1);
    EXPECT_EQ(set->at(set->proposer_index()).address, addr("b"));
    EXPECT_EQ(priority("a"), 2);
    EXPECT_EQ(priority("b"), 0);
    EXPECT_EQ(priority("c"), 0);
}

// cometbft TestValSetUpdatePriorityOrderTests: added validators get the lowest, equal priority.
TEST(ValidatorSet, AddedValidatorsHaveTheLowestPriority) {
    auto set = ValidatorSet::create(vals({{"v3", 1000}, {"v2", 2}, {"v1", 1}}));
    ASSERT_TRUE(set);
    set->increment_proposer_priority(37);
    ASSERT_TRUE(set->apply_updates(vals({{"v3", 0}, {"v2", 1}, {"v5", 50}, {"v4", 40}})));
    EXPECT_EQ(listing(*set), expected({{"v5", 50}, {"v4", 40}, {"v1", 1}, {"v2", 1}}));
    const auto p5 = set->at(set->index_of(addr("v5"))).priority;
    EXPECT_EQ(p5, set->at(set->index_of(addr("v4"))).priority);
    for (const Validator& v : set->validators()) EXPECT_GE(v.priority, p5);
}

// Round r's proposer is r further single increments of a copy; the set itself is unchanged.
TEST(ValidatorSet, ProposerForRoundDoesNotChangeTheSet) {
    auto set = ValidatorSet::create(vals({{"p1", 1}, {"p2", 3}}));
    ASSERT_TRUE(set);
    const auto before = set->at(0).priority;
    std::vector<std::string> names;
    for (Round r = 0; r < 4; ++r) {
        names.push_back(set->at(set->proposer_for_round(r)).address == addr("p1") ? "p1" : "p2");
    }
    EXPECT_EQ(names, (std::vector<std::string>{"p2", "p1", "p2", "p2"}));
    EXPECT_EQ(set->at(0).priority, before);
    EXPECT_EQ(set->find(addr("p1"), static_cast<std::uint32_t>(set->index_of(addr("p1")))),
              set->index_of(addr("p1")));
    EXPECT_EQ(set->find(addr("p1"), 7), -1);
}

}  // namespace
}  // namespace mfd::consensus
