// The consensus wire codec: every message kind round-trips byte for byte, and malformed or
// non-canonical bytes are rejected with an error (never a crash).
#include <gtest/gtest.h>

#include "tests/consensus/fixtures.hpp"

namespace mfd::test {
namespace {

using consensus::decode;
using consensus::encode;
using consensus::Message;

consensus::ExtendedCommit commit_for(const consensus::BlockPtr& b) {
    consensus::ExtendedCommit c{b->height(), 0, b->id(), {}};
    std::vector<consensus::VotePtr> votes;
    for (int i = 0; i < 3; ++i) {
        votes.push_back(vote(i, static_cast<std::uint32_t>(i), VoteType::kPrecommit, b->height(), 0,
                             b->id(), {{hash_of("tx" + std::to_string(i)), 9000}}));
    }
    std::sort(votes.begin(), votes.end(), [](const auto& a, const auto& b) {
        return a->vote().validator < b->vote().validator;
    });
    c.votes = votes;
    return c;
}

std::vector<Message> samples() {
    const auto first = block(1, key(0).address(), {hash_of("a"), hash_of("b")});
    const auto second =
        block(2, key(1).address(), {hash_of("c")}, commit_for(first), {hash_of("a")}, first->id());
    auto evidence = *consensus::Evidence::make(vote(2, 2, VoteType::kPrevote, 2, 0, second->id()),
                                               vote(2, 2, VoteType::kPrevote, 2, 0, BlockId{}));
    return {
        vote(0, 0, VoteType::kPrevote, 1, 0, first->id()),
        vote(0, 0, VoteType::kPrecommit, 1, 3, first->id(), {{hash_of("x"), 10000}}),
        vote(1, 1, VoteType::kPrecommit, 1, 0, BlockId{}),
        proposal(0, first, 0),
        proposal(1, second, 2, 1),
        evidence,
        *consensus::make_decision(first, commit_for(first)),
        std::make_shared<const consensus::Status>(consensus::Status{1, 7, key(3).address()}),
    };
}

TEST(Codec, EveryMessageKindRoundTrips) {
    for (const Message& m : samples()) {
        const core::Bytes bytes = encode(m);
        auto decoded = decode(bytes);
        ASSERT_TRUE(decoded) << decoded.error().message;
        EXPECT_EQ(decoded->index(), m.index());
        EXPECT_EQ(encode(*decoded), bytes);
    }
}

TEST(Codec, DecodedVoteKeepsItsDigestAndFields) {
    const auto v = vote(0, 0, VoteType::kPrecommit, 9, 2, hash_of("b"), {{hash_of("t"), 1234}});
    auto decoded = decode(encode(v));
    ASSERT_TRUE(decoded);
    const auto& d = std::get<consensus::VotePtr>(*decoded);
    EXPECT_EQ(d->digest(), v->digest());
    EXPECT_EQ(d->vote().flags, v->vote().flags);
    EXPECT_EQ(d->signature(), v->signature());
}

TEST(Codec, EveryTruncationAndTrailingByteIsRejected) {
    for (const Message& m : samples()) {
        const core::Bytes bytes = encode(m);
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            EXPECT_FALSE(decode(core::ByteView(bytes.data(), n))) << "prefix of " << n << " bytes";
        }
        core::Bytes longer = bytes;
        longer.push_back(0);
        auto r = decode(longer);
        ASSERT_FALSE(r);
        EXPECT_NE(r.error().message.find("trailing"), std::string::npos);
    }
}

TEST(Codec, SingleByteCorruptionNeverCrashes) {
    for (const Message& m : samples()) {
        const core::Bytes bytes = encode(m);
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            core::Bytes bad = bytes;
            bad[i] ^= 0x5a;
            auto r = decode(bad);
            if (r) {
                EXPECT_EQ(encode(*r), bad);  // whatever decodes is canonical
            }
        }
    }
}

// Offsets in a vote: tag 1, type 1, chain 8, height 8, round 4, block 32, validator 20, index 4,
// then (precommit for a block) flag count 2 and flags, then r 32, s 32, parity 1.
constexpr std::size_t kFlagsAt = 1 + 1 + 8 + 8 + 4 + 32 + 20 + 4;

TEST(Codec, NonCanonicalVotesAreRejected) {
    const auto v = vote(0, 0, VoteType::kPrecommit, 1, 0, hash_of("b"),
                        {{hash_of("t1"), 1}, {hash_of("t2"), 2}});
    const core::Bytes good = encode(v);
    ASSERT_TRUE(decode(good));

    const core::Signature twin = core::malleate(v->signature());
    EXPECT_FALSE(consensus::SignedVote::make(v->vote(), twin));  // high s: not canonical
    core::Bytes patched = good;
    const std::size_t s_at = good.size() - 33;
    std::copy(twin.s.bytes.begin(), twin.s.bytes.end(),
              patched.begin() + static_cast<std::ptrdiff_t>(s_at));
    patched.back() = twin.y_parity;
    EXPECT_FALSE(decode(patched));  // the malleated twin on the wire
    patched = good;
    std::copy(core::kSecp256k1Order.bytes.begin(), core::kSecp256k1Order.bytes.end(),
              patched.begin() + static_cast<std::ptrdiff_t>(s_at));
    EXPECT_FALSE(decode(patched));  // s = n is out of range
    patched = good;
    patched.back() = 2;
    EXPECT_FALSE(decode(patched));  // parity 2

    patched = good;
    std::swap_ranges(patched.begin() + kFlagsAt + 2, patched.begin() + kFlagsAt + 2 + 34,
                     patched.begin() + kFlagsAt + 2 + 34);
    EXPECT_FALSE(decode(patched));  // flags out of order

    patched = good;
    patched[1] = 3;
    EXPECT_FALSE(decode(patched));  // unknown vote type
    patched = good;
    patched[0] = 9;
    EXPECT_FALSE(decode(patched));  // unknown message tag
    EXPECT_FALSE(decode(core::Bytes{}));
}

TEST(Codec, LimitsAreEnforced) {
    const auto v = vote(0, 0, VoteType::kPrecommit, 1, 0, hash_of("b"), {{hash_of("t"), 1}});
    core::Bytes bytes = encode(v);
    bytes[kFlagsAt] = 0x04;  // 1025 flags announced
    bytes[kFlagsAt + 1] = 0x01;
    auto r = decode(bytes);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kLimitExceeded);

    std::vector<consensus::FraudFlag> flags(consensus::kMaxWireFlags + 1);
    for (std::size_t i = 0; i < flags.size(); ++i) flags[i].tx = hash_of(std::to_string(i));
    consensus::Vote big{VoteType::kPrecommit,
                        1,
                        1,
                        0,
                        hash_of("b"),
                        key(0).address(),
                        0,
                        consensus::normalise_flags(flags, flags.size())};
    EXPECT_FALSE(consensus::SignedVote::sign(big, key(0)));
    EXPECT_FALSE(decode(core::Bytes(consensus::kMaxMessageBytes + 1, 0)));
}

TEST(Codec, ShapeRulesHoldForConstructedMessages) {
    consensus::Vote prevote_with_flags{
        VoteType::kPrevote, 1, 1, 0, hash_of("b"), key(0).address(), 0, {{hash_of("t"), 1}}};
    EXPECT_FALSE(consensus::SignedVote::sign(prevote_with_flags, key(0)));
    consensus::Vote score{VoteType::kPrecommit,   1, 1, 0, hash_of("b"), key(0).address(), 0,
                          {{hash_of("t"), 10001}}};
    EXPECT_FALSE(consensus::SignedVote::sign(score, key(0)));
    const auto b = block(1, key(0).address());
    EXPECT_FALSE(consensus::SignedProposal::sign({1, 1, 2, 2, key(0).address(), b}, key(0)));
    EXPECT_FALSE(consensus::SignedProposal::sign({1, 2, 0, -1, key(0).address(), b}, key(0)));
    EXPECT_FALSE(consensus::Evidence::make(vote(0, 0, VoteType::kPrevote, 1, 0, hash_of("x")),
                                           vote(1, 1, VoteType::kPrevote, 1, 0, hash_of("y"))));
    EXPECT_FALSE(consensus::Evidence::make(vote(0, 0, VoteType::kPrevote, 1, 0, hash_of("x")),
                                           vote(0, 0, VoteType::kPrevote, 1, 0, hash_of("x"))));
    consensus::ExtendedCommit unsorted = commit_for(b);
    std::reverse(unsorted.votes.begin(), unsorted.votes.end());
    EXPECT_FALSE(consensus::make_decision(b, unsorted));
}

TEST(Codec, NormaliseFlagsSortsDedupsAndCaps) {
    const auto a = hash_of("a"), b = hash_of("b"), c = hash_of("c");
    auto out = consensus::normalise_flags({{a, 5}, {b, 9000}, {a, 7}, {c, 20000}}, 2);
    ASSERT_EQ(out.size(), 2U);
    EXPECT_TRUE(out[0].tx < out[1].tx);
    for (const auto& f : out) EXPECT_NE(f.tx, a);  // the lowest score went
    for (const auto& f : out) EXPECT_LE(f.score, consensus::kMaxScore);
}

}  // namespace
}  // namespace mfd::test
