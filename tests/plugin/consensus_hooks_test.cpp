// prepare_proposal, process_proposal, extend_vote and verify_vote_extension through the real
// plugin.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/plugin/plugin_fixture.hpp"

namespace mfd::plugin::test {
namespace {

class Hooks : public ::testing::Test {
protected:
    void SetUp() override { start(base_config(dir_.path())); }
    void start(const nlohmann::json& config) {
        plugin_ = make_instance(config);
        ASSERT_NE(plugin_, nullptr);
    }
    Verdict verify(std::uint64_t height, const std::vector<Flag>& flags) {
        auto v = plugin_->verify_vote_extension(address_of("val"), height, flags);
        EXPECT_TRUE(v) << v.error().to_string();
        return v ? *v : Verdict::kAccept;
    }

    TempDir dir_;
    std::unique_ptr<PluginInstance> plugin_;
};

/// Hashes with a chosen first byte, so their order is known.
core::Hash hash_with(std::uint8_t first, std::uint8_t last = 0) {
    core::Hash h;
    h.bytes[0] = first;
    h.bytes[31] = last;
    return h;
}

TEST_F(Hooks, PrepareProposalOrdersByLocalScoreAndDropsInvalid) {
    const auto fraud = transfer("mallory", 0, false);
    const auto honest = transfer("alice", 0, true);
    const core::Bytes garbage = {0x05};
    const std::vector<core::ByteView> raws = {fraud, garbage, honest};
    auto p = plugin_->prepare_proposal(1, raws);
    ASSERT_TRUE(p) << p.error().to_string();
    EXPECT_EQ(p->order, (std::vector<std::uint32_t>{2, 0, 1})) << "honest, flagged, undecodable";
    EXPECT_EQ(p->keep, (std::vector<std::uint8_t>{1, 0, 1}))
        << "flagged ones stay without reject_flagged; undecodable ones go";
}

TEST_F(Hooks, PrepareProposalDropsFlaggedWhenAskedTo) {
    TempDir other;
    auto config = base_config(other.path());
    config["reject_flagged"] = true;
    start(config);
    const auto fraud = transfer("mallory", 0, false);
    const auto honest = transfer("alice", 0, true);
    const std::vector<core::ByteView> raws = {fraud, honest};
    auto p = plugin_->prepare_proposal(1, raws);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->keep, (std::vector<std::uint8_t>{0, 1}));
}

TEST_F(Hooks, ProcessProposalChecksDecodingAndStatelessRulesOnly) {
    const auto fraud = transfer("mallory", 0, false);
    const auto honest = transfer("alice", 0, true);
    const std::vector<core::ByteView> good = {honest, fraud};
    EXPECT_EQ(*plugin_->process_proposal(1, good), Verdict::kAccept)
        << "a flagged but valid transaction never decides process_proposal";
    const core::Bytes garbage = {0xc1};
    const std::vector<core::ByteView> bad = {honest, garbage};
    EXPECT_EQ(*plugin_->process_proposal(1, bad), Verdict::kReject);
    const auto other_chain = transfer("alice", 1, true, 5);
    const std::vector<core::ByteView> invalid = {other_chain};
    EXPECT_EQ(*plugin_->process_proposal(1, invalid), Verdict::kReject);
    EXPECT_EQ(*plugin_->process_proposal(1, {}), Verdict::kAccept);
}

TEST_F(Hooks, ExtendVoteFlagsOnlyFlaggedAscendingByHashWithinTheCap) {
    std::vector<core::Bytes> raws;
    for (std::uint64_t i = 0; i < 6; ++i)
        raws.push_back(transfer("m" + std::to_string(i), 0, false));
    raws.push_back(transfer("alice", 0, true));
    const std::vector<core::ByteView> views(raws.begin(), raws.end());
    auto all = plugin_->extend_vote(1, views, 64);
    ASSERT_TRUE(all) << all.error().to_string();
    ASSERT_EQ(all->size(), 6U);
    for (std::size_t i = 1; i < all->size(); ++i) EXPECT_LT((*all)[i - 1].tx, (*all)[i].tx);
    for (const auto& f : *all) {
        EXPECT_NE(f.tx, hash_of(raws.back()));
        EXPECT_GE(f.score, 5000);
        EXPECT_LE(f.score, FP_MAX_SCORE);
    }
    auto capped = plugin_->extend_vote(1, views, 2);
    ASSERT_TRUE(capped);
    ASSERT_EQ(capped->size(), 2U);
    std::vector<std::uint16_t> scores;
    for (const auto& f : *all) scores.push_back(f.score);
    std::sort(scores.rbegin(), scores.rend());
    EXPECT_GE(std::min((*capped)[0].score, (*capped)[1].score), scores[1]) << "the top scores";
    EXPECT_LT((*capped)[0].tx, (*capped)[1].tx);
    EXPECT_EQ(verify(1, *all), Verdict::kAccept) << "our own extension verifies";
}

TEST_F(Hooks, ExtendVoteHonoursMaxFlags) {
    TempDir other;
    auto config = base_config(other.path());
    config["max_flags"] = 1;
    start(config);
    const auto a = transfer("m1", 0, false);
    const auto b = transfer("m2", 0, false);
    const std::vector<core::ByteView> views = {a, b};
    auto flags = plugin_->extend_vote(1, views, 64);
    ASSERT_TRUE(flags);
    EXPECT_EQ(flags->size(), 1U);
    EXPECT_EQ(verify(1, {{hash_with(1), 10}, {hash_with(2), 10}}), Verdict::kReject)
        << "two flags exceed max_flags = 1";
}

TEST_F(Hooks, VerifyVoteExtensionAcceptsWellFormedFlags) {
    EXPECT_EQ(verify(3, {}), Verdict::kAccept);
    EXPECT_EQ(verify(3, {{hash_with(1), 0}, {hash_with(2), FP_MAX_SCORE}}), Verdict::kAccept);
}

TEST_F(Hooks, VerifyVoteExtensionRejectsMalformedUnsortedDuplicateAndOversized) {
    EXPECT_EQ(verify(3, {{hash_with(2), 10}, {hash_with(1), 10}}), Verdict::kReject) << "unsorted";
    EXPECT_EQ(verify(3, {{hash_with(1), 10}, {hash_with(1), 20}}), Verdict::kReject) << "dup";
    EXPECT_EQ(verify(3, {{hash_with(1), FP_MAX_SCORE + 1}}), Verdict::kReject) << "score";
    EXPECT_EQ(verify(0, {{hash_with(1), 10}}), Verdict::kReject) << "height 0";
    std::vector<Flag> many;
    for (int i = 0; i < 65; ++i) many.push_back({hash_with(static_cast<std::uint8_t>(i)), 1});
    EXPECT_EQ(verify(3, many), Verdict::kReject) << "65 flags exceed the default cap of 64";
    many.pop_back();
    EXPECT_EQ(verify(3, many), Verdict::kAccept);
    const fp_api& api = plugin_->library().api();
    fp_verdict out = FP_ACCEPT;
    EXPECT_EQ(api.verify_vote_extension(plugin_->handle(), {}, 1, nullptr, 2, &out),
              FP_ERR_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace mfd::plugin::test
