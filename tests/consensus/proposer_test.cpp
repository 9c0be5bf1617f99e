// CometBFT's proposer selection, checked against sequences derived by hand from the spec
// (cometbft spec/consensus/proposer-selection.md) and against CometBFT's own expectations
// (cometbft types/validator_set_test.go, cited per test).
#include <gtest/gtest.h>

#include <limits>
#include <span>
#include <string>
#include <vector>

#include "consensus/proposer_priority.hpp"
#include "consensus/proposer_sequence.hpp"

namespace mfd::consensus {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "" : " ") + n;
    return out;
}

std::vector<std::string> sequence(const std::string& powers, std::size_t rounds) {
    auto parsed = parse_powers(powers);
    EXPECT_TRUE(parsed) << parsed.error().message;
    if (!parsed) return {};
    auto names = proposer_sequence(*parsed, rounds);
    EXPECT_TRUE(names) << names.error().message;
    return names ? *names : std::vector<std::string>{};
}

// Spec, "Stable Set" and "R2": p1 = 1, p2 = 3 gives p2 p1 p2 p2, repeated. By hand: priorities
// (0,0) -> (1,3) p2 elected -> (1,-1); (2,2) tie, p1 smaller -> (-2,2); (-1,5) p2 -> (-1,1);
// (0,4) p2 -> (0,0).
TEST(ProposerSequence, SpecStableSetRepeatsEveryFourRounds) {
    EXPECT_EQ(joined(sequence("p1:1,p2:3", 8)), "p2 p1 p2 p2 p2 p1 p2 p2");
}

// By hand: a:2, b:1, c:1 (P = 4). (2,1,1) a -> (-2,1,1); (0,2,2) b (tie, smaller) -> (0,-2,2);
// (2,-1,3) c -> (2,-1,-1); (4,0,0) a -> (0,0,0): period a b c a.
TEST(ProposerSequence, HandDerivedWeightedRoundRobin) {
    EXPECT_EQ(joined(sequence("a:2,b:1,c:1", 8)), "a b c a a b c a");
}

// cometbft types/validator_set_test.go, TestProposerSelection1 (99 rounds).
TEST(ProposerSequence, MatchesCometBftTestProposerSelection1) {
    const std::string expected =
        "foo baz foo bar foo foo baz foo bar foo foo baz foo foo bar foo baz foo foo bar"
        " foo foo baz foo bar foo foo baz foo bar foo foo baz foo foo bar foo baz foo foo bar"
        " foo baz foo foo bar foo baz foo foo bar foo baz foo foo foo baz bar foo foo foo baz"
        " foo bar foo foo baz foo bar foo foo baz foo bar foo foo baz foo bar foo foo baz foo"
        " foo bar foo baz foo foo bar foo baz foo foo bar foo baz foo foo";
    EXPECT_EQ(joined(sequence("foo:1000,bar:300,baz:330", 99)), expected);
}

std::string address(std::uint8_t last) {
    return std::string(19, '\0') + static_cast<char>(last);
}

std::vector<std::string> raw_sequence(std::vector<NamedPower> vals, std::size_t rounds) {
    auto names = proposer_sequence(vals, rounds);
    EXPECT_TRUE(names);
    return names ? *names : std::vector<std::string>{};
}

// cometbft TestProposerSelection2: equal power goes in address order; 400 vs 100,100 is first
// but not twice in a row; 401 is first twice; powers 4:5:3 propose 40/50/30 of 120 rounds.
TEST(ProposerSequence, MatchesCometBftTestProposerSelection2) {
    const std::string a0 = address(0), a1 = address(1), a2 = address(2);
    const auto equal = raw_sequence({{a0, 100}, {a1, 100}, {a2, 100}}, 15);
    for (std::size_t i = 0; i < equal.size(); ++i) EXPECT_EQ(equal[i], address(i % 3)) << i;

    const auto heavier = raw_sequence({{a0, 100}, {a1, 100}, {a2, 400}}, 2);
    EXPECT_EQ(heavier, (std::vector<std::string>{a2, a0}));
    const auto twice = raw_sequence({{a0, 100}, {a1, 100}, {a2, 401}}, 3);
    EXPECT_EQ(twice, (std::vector<std::string>{a2, a2, a0}));

    const auto counts = raw_sequence({{a0, 4}, {a1, 5}, {a2, 3}}, 120);
    EXPECT_EQ(std::count(counts.begin(), counts.end(), a0), 40);
    EXPECT_EQ(std::count(counts.begin(), counts.end(), a1), 50);
    EXPECT_EQ(std::count(counts.begin(), counts.end(), a2), 30);
}

struct Entry {
    core::Bytes address;
    std::int64_t power = 0;
    std::int64_t priority = 0;
};

std::vector<Entry> entries(std::vector<std::pair<std::int64_t, std::int64_t>> power_priority) {
    std::vector<Entry> out;
    for (std::size_t i = 0; i < power_priority.size(); ++i) {
        out.push_back({core::Bytes{static_cast<std::uint8_t>(i)}, power_priority[i].first,
                       power_priority[i].second});
    }
    return out;
}

// cometbft TestAveragingInIncrementProposerPriorityWithVotingPower: powers 10, 1, 1 from zero
// priorities; expected priorities and proposer after `times` increments.
TEST(ProposerPriority, MatchesCometBftAveragingWithVotingPower) {
    struct Case {
        int times;
        std::int64_t p0, p1, p2;
        std::size_t proposer;
    };
    const Case cases[] = {
        {1, -2, 1, 1, 0},  {2, -4, 2, 2, 0},   {3, -6, 3, 3, 0},   {4, -8, 4, 4, 0},
        {5, 2, -7, 5, 1},  {6, 0, -6, 6, 0},   {7, -2, -5, 7, 0},  {8, -4, -4, 8, 0},
        {9, 6, -3, -3, 2}, {10, 4, -2, -2, 0}, {11, 2, -1, -1, 0},
    };
    for (const Case& c : cases) {
        auto vals = entries({{10, 0}, {1, 0}, {1, 0}});
        const std::size_t p = increment_proposer_priority(std::span<Entry>(vals), 12, c.times);
        EXPECT_EQ(p, c.proposer) << "times " << c.times;
        EXPECT_EQ(vals[0].priority, c.p0) << "times " << c.times;
        EXPECT_EQ(vals[1].priority, c.p1) << "times " << c.times;
        EXPECT_EQ(vals[2].priority, c.p2) << "times " << c.times;
    }
}

// cometbft TestAveragingInIncrementProposerPriority: zero power, so only centring moves them.
TEST(ProposerPriority, MatchesCometBftAveragingWithoutPower) {
    auto a = entries({{0, 1}, {0, 2}, {0, 3}});
    increment_proposer_priority(std::span<Entry>(a), 0, 1);
    EXPECT_EQ(a[0].priority, -1);
    EXPECT_EQ(a[2].priority, 1);
    auto b = entries({{0, 10}, {0, -10}, {0, 1}});
    increment_proposer_priority(std::span<Entry>(b), 0, 11);
    EXPECT_EQ(b[0].priority, 10);  // average 1/3 floors to 0
    auto c = entries({{0, 100}, {0, -10}, {0, 1}});
    increment_proposer_priority(std::span<Entry>(c), 0, 1);
    EXPECT_EQ(c[0].priority, 100 - 91 / 3);
}

// cometbft TestAvgProposerPriority, plus floor (not truncation) for negative sums: Go's
// big.Int.Div is Euclidean.
TEST(ProposerPriority, AverageIsExactAndFloored) {
    const std::int64_t a[] = {kMax, 0, 0};
    EXPECT_EQ(average_priority(a), kMax / 3);
    const std::int64_t b[] = {kMax, 0};
    EXPECT_EQ(average_priority(b), kMax / 2);
    const std::int64_t c[] = {kMax, kMax};
    EXPECT_EQ(average_priority(c), kMax);
    const std::int64_t d[] = {kMin, kMin};
    EXPECT_EQ(average_priority(d), kMin);
    const std::int64_t e[] = {-1, 0};
    EXPECT_EQ(average_priority(e), -1);
    const std::int64_t f[] = {-7, 0, 0};
    EXPECT_EQ(average_priority(f), -3);
}

// cometbft TestSafeAddClip / TestSafeSubClip.
TEST(ProposerPriority, ClippedArithmetic) {
    EXPECT_EQ(safe_add_clip(kMax, 10), kMax);
    EXPECT_EQ(safe_add_clip(kMax, kMax), kMax);
    EXPECT_EQ(safe_add_clip(kMin, -10), kMin);
    EXPECT_EQ(safe_sub_clip(kMin, 10), kMin);
    EXPECT_EQ(safe_sub_clip(kMin, kMin), 0);
    EXPECT_EQ(safe_sub_clip(kMin, kMax), kMin);
    EXPECT_EQ(safe_sub_clip(kMax, -10), kMax);
}

// Spec, "Proposer Priority Range": priorities spread over more than 2P are divided by
// ceil(diff / 2P). Here P = 20, diff = 90 000, ratio = 2250.
TEST(ProposerPriority, RescalesToTwiceTotalPower) {
    auto vals = entries({{10, -60'000}, {10, 30'000}});
    rescale_priorities(std::span<Entry>(vals), 2 * 20);
    EXPECT_EQ(vals[0].priority, -26);
    EXPECT_EQ(vals[1].priority, 13);
}

TEST(ProposerSequence, RejectsBadInput) {
    EXPECT_FALSE(parse_powers(""));
    EXPECT_FALSE(parse_powers("a"));
    EXPECT_FALSE(parse_powers(":5"));
    EXPECT_FALSE(parse_powers("a:0"));
    EXPECT_FALSE(parse_powers("a:-3"));
    EXPECT_FALSE(parse_powers("a:3x"));
    EXPECT_FALSE(parse_powers("a:1,a:2"));
    EXPECT_FALSE(parse_powers("a:1,"));
    EXPECT_FALSE(proposer_sequence({}, 3));
    EXPECT_FALSE(proposer_sequence({{"a", kMaxTotalVotingPower}, {"b", 1}}, 3));
    const auto parsed = parse_powers("node:a:7");  // the last ':' splits name and power
    ASSERT_TRUE(parsed);
    EXPECT_EQ((*parsed)[0].name, "node:a");
    EXPECT_EQ((*parsed)[0].power, 7);
    EXPECT_TRUE(proposer_sequence(*parsed, 0)->empty());
}

}  // namespace
}  // namespace mfd::consensus
