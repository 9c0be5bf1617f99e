// One engine driven by hand-made messages: what it accepts, what it rejects and counts, how it
// votes, decides, catches up and applies the flag rule.
#include <gtest/gtest.h>

#include "tests/consensus/fixtures.hpp"

namespace mfd::test {
namespace {

using consensus::Engine;
using consensus::Message;
using consensus::Outcome;
using consensus::Step;

constexpr int kValidators = 4;

class EngineTest : public ::testing::Test {
protected:
    EngineTest() : set_(*consensus::ValidatorSet::create(genesis(kValidators))) {
        params_.max_extension_flags = 4;
        proposer_ = key_of(set_.at(set_.proposer_index()).address);
        self_ = (proposer_ + 1) % kValidators;
    }

    // Starts an engine for validator `self` (an observer when self < 0).
    void start(int self) {
        consensus::EngineConfig c{params_, genesis(kValidators), std::nullopt};
        if (self >= 0) c.key = key(self);
        auto e = Engine::create(c, app_, verifier_);
        ASSERT_TRUE(e) << e.error().message;
        engine_ = std::move(*e);
        engine_->start(fx_);
    }
    static int key_of(const core::Address& a) {
        for (int i = 0; i < 10; ++i) {
            if (key(i).address() == a) return i;
        }
        return -1;
    }
    std::uint32_t index(int who) const {
        return static_cast<std::uint32_t>(set_.index_of(key(who).address()));
    }
    Outcome send(const Message& m) {
        fx_.clear();
        return engine_->on_message(m, fx_);
    }
    consensus::VotePtr v(int who, VoteType t, const BlockId& b, Height h = 1, Round r = 0,
                         std::vector<consensus::FraudFlag> flags = {}) {
        return vote(who, index(who), t, h, r, b, std::move(flags));
    }
    // The votes this engine sent in the last call.
    std::vector<consensus::VotePtr> sent_votes() const {
        std::vector<consensus::VotePtr> out;
        for (const auto& s : fx_.sends) {
            if (const auto* p = std::get_if<consensus::VotePtr>(&s.message)) out.push_back(*p);
        }
        return out;
    }
    std::vector<int> others() const {
        std::vector<int> out;
        for (int i = 0; i < kValidators; ++i) {
            if (i != self_) out.push_back(i);
        }
        return out;
    }
    // A decided height-1 block with precommits (and flags) from `signers`.
    consensus::DecisionPtr decision(const consensus::BlockPtr& b, std::vector<int> signers,
                                    std::vector<consensus::FraudFlag> flags = {}) {
        std::vector<consensus::VotePtr> votes;
        for (int i : signers)
            votes.push_back(v(i, VoteType::kPrecommit, b->id(), b->height(), 0, flags));
        std::sort(votes.begin(), votes.end(), [](const auto& a, const auto& b) {
            return a->vote().validator < b->vote().validator;
        });
        return *consensus::make_decision(b, {b->height(), 0, b->id(), votes});
    }

    consensus::ConsensusParams params_;
    consensus::ValidatorSet set_;
    ScriptedApp app_;
    consensus::CachingVerifier verifier_;
    std::unique_ptr<Engine> engine_;
    consensus::Effects fx_;
    int proposer_ = 0;
    int self_ = 0;
};

TEST_F(EngineTest, RejectsAndCountsBadVotes) {
    start(self_);
    const BlockId b = hash_of("b");
    const int other = others()[0];

    consensus::Vote forged{VoteType::kPrevote, 1, 1, 0, b, key(other).address(), index(other), {}};
    EXPECT_EQ(send(*consensus::SignedVote::sign(forged, key(9))), Outcome::kBadSignature);
    EXPECT_EQ(send(vote(9, 0, VoteType::kPrevote, 1, 0, b)), Outcome::kUnknownValidator);
    EXPECT_EQ(send(vote(other, (index(other) + 1) % kValidators, VoteType::kPrevote, 1, 0, b)),
              Outcome::kUnknownValidator);
    EXPECT_EQ(send(v(other, VoteType::kPrevote, b, 5)), Outcome::kWrongHeight);
    EXPECT_EQ(send(v(other, VoteType::kPrevote, b, 2)), Outcome::kBuffered);
    EXPECT_EQ(send(vote(other, index(other), VoteType::kPrevote, 1, 0, b, {}, 2)),
              Outcome::kWrongChain);
    EXPECT_EQ(send(v(other, VoteType::kPrevote, b, 1, params_.max_round_ahead + 1)),
              Outcome::kRoundTooFar);
    std::vector<consensus::FraudFlag> five;
    for (int i = 0; i < 5; ++i) five.push_back({hash_of("t" + std::to_string(i)), 9000});
    EXPECT_EQ(send(v(other, VoteType::kPrecommit, b, 1, 0, consensus::normalise_flags(five, 5))),
              Outcome::kOversizedExtension);
    app_.extension_verdict = consensus::Verdict::kReject;
    EXPECT_EQ(send(v(other, VoteType::kPrecommit, b, 1, 0, {{hash_of("t"), 1}})),
              Outcome::kExtensionRejected);
    const auto good = v(other, VoteType::kPrevote, b);
    EXPECT_EQ(send(good), Outcome::kAccepted);
    EXPECT_EQ(send(good), Outcome::kDuplicate);

    const auto& stats = engine_->stats();
    EXPECT_EQ(stats.count(Outcome::kBadSignature), 1U);
    EXPECT_EQ(stats.count(Outcome::kUnknownValidator), 2U);
    EXPECT_EQ(stats.count(Outcome::kDuplicate), 1U);
    EXPECT_EQ(stats.rejected(), 9U);  // every send above but the accepted and buffered ones
    EXPECT_EQ(engine_->height(), 1);
}

TEST_F(EngineTest, ConflictingVotesBecomeEvidence) {
    start(self_);
    const int other = others()[0];
    EXPECT_EQ(send(v(other, VoteType::kPrevote, hash_of("b"))), Outcome::kAccepted);
    EXPECT_EQ(send(v(other, VoteType::kPrevote, BlockId{})), Outcome::kEquivocation);
    EXPECT_EQ(engine_->observed_equivocators().count(key(other).address()), 1U);
    ASSERT_EQ(engine_->evidence_pool().count(key(other).address()), 1U);
    bool broadcast = false;
    for (const auto& s : fx_.sends)
        broadcast |= std::holds_alternative<consensus::EvidencePtr>(s.message);
    EXPECT_TRUE(broadcast);
    // The same evidence gossiped back is a duplicate; evidence with a forged vote is invalid.
    EXPECT_EQ(send(engine_->evidence_pool().begin()->second), Outcome::kDuplicate);
    consensus::Vote forged{VoteType::kPrecommit, 1, 1, 0, BlockId{}, key(other).address(),
                           index(other),         {}};
    auto bad = consensus::Evidence::make(*consensus::SignedVote::sign(forged, key(9)),
                                         v(other, VoteType::kPrecommit, hash_of("c")));
    ASSERT_TRUE(bad);
    EXPECT_EQ(send(*bad), Outcome::kInvalidEvidence);
}

TEST_F(EngineTest, ChecksProposals) {
    start(self_);
    const auto b = block(1, key(proposer_).address(), {hash_of("tx")});
    int bystander = -1;
    for (int i : others()) {
        if (i != proposer_) bystander = i;
    }
    EXPECT_EQ(send(proposal(bystander, b, 0)), Outcome::kNotProposer);
    consensus::Proposal p{1, 1, 0, consensus::kNoRound, key(proposer_).address(), b};
    EXPECT_EQ(send(*consensus::SignedProposal::sign(p, key(9))), Outcome::kBadSignature);
    const auto good = proposal(proposer_, b, 0);
    EXPECT_EQ(send(good), Outcome::kAccepted);
    const auto prevotes = sent_votes();
    ASSERT_EQ(prevotes.size(), 1U);
    EXPECT_EQ(prevotes[0]->vote().block, b->id());
    EXPECT_EQ(engine_->step(), Step::kPrevote);
    EXPECT_EQ(send(good), Outcome::kDuplicate);
    EXPECT_EQ(send(proposal(proposer_, block(1, key(proposer_).address()), 0)),
              Outcome::kConflictingProposal);
}

TEST_F(EngineTest, InvalidBlockGetsANilPrevote) {
    start(self_);
    // Height 1 has nothing pending, so executing anything breaks the flag rule.
    const auto b = block(1, key(proposer_).address(), {}, {}, {hash_of("smuggled")});
    EXPECT_EQ(send(proposal(proposer_, b, 0)), Outcome::kInvalidBlock);
    const auto prevotes = sent_votes();
    ASSERT_EQ(prevotes.size(), 1U);
    EXPECT_TRUE(prevotes[0]->vote().is_nil());
    auto why = engine_->validate_block(*b);
    ASSERT_FALSE(why);
    EXPECT_NE(why.error().message.find("flag rule"), std::string::npos);
}

TEST_F(EngineTest, DecidesWithTwoThirdsAndMovesOn) {
    start(self_);
    app_.flags = {{hash_of("tx"), 9500}};
    const auto b = block(1, key(proposer_).address(), {hash_of("tx")});
    ASSERT_EQ(send(proposal(proposer_, b, 0)), Outcome::kAccepted);
    const auto peers = others();
    EXPECT_EQ(send(v(peers[0], VoteType::kPrevote, b->id())), Outcome::kAccepted);
    EXPECT_TRUE(sent_votes().empty());  // 2 of 4 prevotes: no polka yet
    EXPECT_EQ(send(v(peers[1], VoteType::kPrevote, b->id())), Outcome::kAccepted);
    const auto precommits = sent_votes();
    ASSERT_EQ(precommits.size(), 1U);  // 3 of 4: lock and precommit, with the extension
    EXPECT_EQ(precommits[0]->vote().type, VoteType::kPrecommit);
    EXPECT_EQ(precommits[0]->vote().flags, app_.flags);
    EXPECT_EQ(send(v(peers[0], VoteType::kPrecommit, b->id())), Outcome::kAccepted);
    EXPECT_TRUE(fx_.commits.empty());
    EXPECT_EQ(send(v(peers[1], VoteType::kPrecommit, b->id())), Outcome::kAccepted);
    ASSERT_EQ(fx_.commits.size(), 1U);
    EXPECT_EQ(fx_.commits[0].block->id(), b->id());
    EXPECT_EQ(app_.finalized, (std::vector<Height>{1}));
    EXPECT_EQ(engine_->step(), Step::kCommitWait);
    // A late precommit still joins the commit; then the commit timer starts height 2.
    EXPECT_EQ(send(v(peers[2], VoteType::kPrecommit, b->id())), Outcome::kAccepted);
    fx_.clear();
    engine_->on_timeout({consensus::TimeoutKind::kCommit, 1, 0, 0}, fx_);
    EXPECT_EQ(engine_->height(), 2);
    const auto pending = engine_->chain().pending();
    EXPECT_EQ(std::vector<core::Hash>(pending.begin(), pending.end()),
              (std::vector<core::Hash>{hash_of("tx")}));
}

TEST_F(EngineTest, TimeoutsPrevoteAndPrecommitNil) {
    start(self_);
    bool armed = false;
    for (const auto& t : fx_.timeouts) armed |= t.kind == consensus::TimeoutKind::kPropose;
    EXPECT_TRUE(armed);
    fx_.clear();
    engine_->on_timeout({consensus::TimeoutKind::kPropose, 1, 3, 0}, fx_);  // stale round
    EXPECT_TRUE(sent_votes().empty());
    engine_->on_timeout({consensus::TimeoutKind::kPropose, 1, 0, 0}, fx_);
    ASSERT_EQ(sent_votes().size(), 1U);
    EXPECT_TRUE(sent_votes()[0]->vote().is_nil());
    for (int i : others()) send(v(i, VoteType::kPrevote, BlockId{}));
    EXPECT_EQ(engine_->step(), Step::kPrecommit);  // 2/3 prevoted nil: precommit nil
    for (int i : others()) send(v(i, VoteType::kPrecommit, BlockId{}));
    fx_.clear();
    engine_->on_timeout({consensus::TimeoutKind::kPrecommit, 1, 0, 0}, fx_);
    EXPECT_EQ(engine_->round(), 1);
}

TEST_F(EngineTest, SkipsToARoundWhereAThirdAlreadyIs) {
    start(self_);
    const auto peers = others();
    EXPECT_EQ(send(v(peers[0], VoteType::kPrevote, BlockId{}, 1, 5)), Outcome::kAccepted);
    EXPECT_EQ(engine_->round(), 0);  // 10 of 40: not more than a third
    EXPECT_EQ(send(v(peers[1], VoteType::kPrevote, BlockId{}, 1, 5)), Outcome::kAccepted);
    EXPECT_EQ(engine_->round(), 5);
}

TEST_F(EngineTest, ObserverCatchesUpFromDecisions) {
    start(-1);
    const auto b = block(1, key(proposer_).address(), {hash_of("t1"), hash_of("t2")});
    EXPECT_EQ(send(decision(b, {0, 1})), Outcome::kInvalidDecision);  // 20 of 40
    auto forged = decision(b, {0, 1, 2});
    consensus::Vote fake{VoteType::kPrecommit, 1, 1, 0, b->id(), key(3).address(), index(3), {}};
    auto votes = forged->commit.votes;
    votes.push_back(*consensus::SignedVote::sign(fake, key(9)));
    std::sort(votes.begin(), votes.end(), [](const auto& a, const auto& b) {
        return a->vote().validator < b->vote().validator;
    });
    EXPECT_EQ(send(*consensus::make_decision(b, {1, 0, b->id(), votes})),
              Outcome::kInvalidDecision);
    EXPECT_EQ(send(decision(b, {0, 1, 3})), Outcome::kAccepted);
    EXPECT_EQ(engine_->height(), 2);
    EXPECT_EQ(engine_->chain().last_block_id(), b->id());
    EXPECT_EQ(send(decision(b, {0, 1, 3})), Outcome::kLate);
}

// A validator holding all the power decides every height by itself. Restarted on its own
// chain, it must follow the stored decisions: deciding height 1 alone again (with another
// block) before decision 1 arrives would make that decision late and fork its history.
TEST(EngineReplay, AValidatorWithAllThePowerFollowsItsStoredDecisions) {
    consensus::ConsensusParams params;
    ScriptedApp app;
    consensus::CachingVerifier verifier;
    auto live = Engine::create({params, genesis(1), key(0)}, app, verifier);
    ASSERT_TRUE(live);
    consensus::Effects fx;
    (*live)->start(fx);
    for (Height h = 1; h <= 3; ++h) {
        ASSERT_EQ((*live)->step(), Step::kCommitWait) << "height " << h;
        fx.clear();
        (*live)->on_timeout({consensus::TimeoutKind::kCommit, h, (*live)->round(), 0}, fx);
    }
    ASSERT_EQ((*live)->height(), 4);
    ScriptedApp again;
    auto restarted = Engine::create({params, genesis(1), key(0)}, again, verifier);
    ASSERT_TRUE(restarted);
    (*restarted)->begin_replay();
    fx.clear();
    (*restarted)->start(fx);
    EXPECT_TRUE(fx.sends.empty());
    for (Height h = 1; h <= 3; ++h) {
        fx.clear();
        EXPECT_EQ((*restarted)->on_message(Message((*live)->decision_at(h)), fx),
                  Outcome::kAccepted)
            << "height " << h;
        EXPECT_TRUE(fx.sends.empty());
    }
    EXPECT_EQ((*restarted)->chain().last_block_id(), (*live)->decision_at(3)->block->id());
    fx.clear();
    (*restarted)->end_replay(fx);
    EXPECT_FALSE(fx.sends.empty());  // out of replay it proposes and votes on height 4 again
    EXPECT_EQ((*restarted)->height(), 4);
    EXPECT_EQ((*restarted)->step(), Step::kCommitWait);
}

// Block 1 announces t1 and t2; three of four validators flag t1 in their precommits. Block 2
// must leave t1 out and execute t2.
TEST_F(EngineTest, NextBlockMustFollowTheFlagRule) {
    start(-1);
    const core::Hash t1 = hash_of("t1"), t2 = hash_of("t2");
    const auto b1 = block(1, key(proposer_).address(), {t1, t2});
    const auto d1 = decision(b1, {0, 1, 2}, {{t1, 9000}});
    ASSERT_EQ(send(d1), Outcome::kAccepted);
    const auto proposer2 =
        engine_->chain().validators().at(engine_->chain().validators().proposer_index()).address;
    const auto honest = block(2, proposer2, {}, d1->commit, {t2}, b1->id());
    const auto smuggling = block(2, proposer2, {}, d1->commit, {t1, t2}, b1->id());
    auto ok = engine_->validate_block(*honest);
    ASSERT_TRUE(ok) << ok.error().message;
    ASSERT_EQ(ok->flags.size(), 1U);
    EXPECT_TRUE(ok->flags[0].excluded);
    EXPECT_EQ(ok->flags[0].flagged_power, 30);
    auto bad = engine_->validate_block(*smuggling);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("flag rule"), std::string::npos);
    const auto wrong_parent = block(2, proposer2, {}, d1->commit, {t2}, hash_of("x"));
    EXPECT_FALSE(engine_->validate_block(*wrong_parent));
    const auto reannounce = block(2, proposer2, {t2}, d1->commit, {t2}, b1->id());
    EXPECT_FALSE(engine_->validate_block(*reannounce));  // t2 is already pending
    app_.verdict = consensus::Verdict::kReject;
    EXPECT_FALSE(engine_->validate_block(*honest));
}

TEST_F(EngineTest, RejectsBadGenesisAndParameters) {
    ScriptedApp app;
    consensus::EngineConfig c{params_, {}, std::nullopt};
    EXPECT_FALSE(Engine::create(c, app, verifier_));
    c.genesis = genesis(2);
    c.genesis[1].address = key(7).address();  // not the key's address
    EXPECT_FALSE(Engine::create(c, app, verifier_));
    c.genesis = genesis(2);
    c.params.flag_rule.share = {0, 3};
    EXPECT_FALSE(Engine::create(c, app, verifier_));
}

}  // namespace
}  // namespace mfd::test
