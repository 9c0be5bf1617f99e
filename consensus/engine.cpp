#include "consensus/engine.hpp"

#include <string>

namespace mfd::consensus {

namespace {

core::Result<void> check_params(const ConsensusParams& p) {
    const Share& flag = p.flag_rule.share;
    const bool shares_ok = flag.den > 0 && flag.num > 0 && flag.num <= flag.den &&
                           p.slash_share.den > 0 && p.slash_share.num <= p.slash_share.den;
    if (!shares_ok) {
        return core::fail(core::Errc::kInvalidArgument,
                          "flag share must be in (0, 1] and slash share in [0, 1]");
    }
    if (p.flag_rule.kind == FlagRule::Kind::kMeanScore &&
        (p.flag_rule.min_mean_score == 0 || p.flag_rule.min_mean_score > 10'000)) {
        return core::fail(core::Errc::kInvalidArgument,
                          "the minimum stake-weighted score must be in 1..10000 basis points");
    }
    if (p.max_extension_flags > kMaxWireFlags || p.max_candidates > kMaxWireTxs ||
        p.max_evidence > kMaxWireEvidence || p.max_payload_bytes > kMaxWirePayload ||
        p.max_round_ahead < 1 || p.evidence_max_age < 1) {
        return core::fail(core::Errc::kInvalidArgument,
                          "consensus caps must be positive and within the wire limits");
    }
    const Timeouts& t = p.timeouts;
    if (t.propose_us <= 0 || t.prevote_us <= 0 || t.precommit_us <= 0 || t.commit_us < 0 ||
        t.gossip_us <= 0 || t.propose_delta_us < 0 || t.prevote_delta_us < 0 ||
        t.precommit_delta_us < 0) {
        return core::fail(core::Errc::kInvalidArgument, "timeouts must be positive");
    }
    return {};
}

}  // namespace

core::Result<std::unique_ptr<Engine>> Engine::create(EngineConfig config, Application& app,
                                                     SignatureVerifier& verifier) {
    if (auto r = check_params(config.params); !r) return core::fail(r.error());
    auto chain = ChainState::genesis(config.params, config.genesis);
    if (!chain) return core::fail(chain.error());
    return std::unique_ptr<Engine>(new Engine(std::move(config), std::move(*chain), app, verifier));
}

Engine::Engine(EngineConfig config, ChainState chain, Application& app, SignatureVerifier& verifier)
    : params_(config.params),
      app_(app),
      verifier_(verifier),
      key_(std::move(config.key)),
      chain_(std::move(chain)) {
    if (key_) self_ = key_->address();
}

void Engine::start(Effects& out) {
    start_height(out);
    out.timeouts.push_back({TimeoutKind::kGossip, 0, 0, params_.timeouts.gossip_us});
}

void Engine::end_replay(Effects& out) {
    replaying_ = false;
    start_height(out);
}

Outcome Engine::on_message(const Message& message, Effects& out) {
    Outcome o = Outcome::kAccepted;
    if (const auto* v = std::get_if<VotePtr>(&message)) {
        o = *v ? on_vote(*v, out) : Outcome::kMalformed;
    } else if (const auto* p = std::get_if<ProposalPtr>(&message)) {
        o = *p ? on_proposal(*p, out) : Outcome::kMalformed;
    } else if (const auto* e = std::get_if<EvidencePtr>(&message)) {
        o = *e ? on_evidence(*e, out) : Outcome::kMalformed;
    } else if (const auto* d = std::get_if<DecisionPtr>(&message)) {
        o = *d ? on_decision(*d, out) : Outcome::kMalformed;
    } else if (const auto* s = std::get_if<StatusPtr>(&message)) {
        o = *s ? on_status(*s, out) : Outcome::kMalformed;
    }
    if (o == Outcome::kWrongHeight) behind_ = true;
    if (o == Outcome::kBuffered) buffered_at_ = hs_.height;
    ++stats_.messages[static_cast<std::size_t>(o)];
    return o;
}

void Engine::on_timeout(const TimeoutRequest& t, Effects& out) {
    if (t.kind == TimeoutKind::kGossip) {
        gossip(out);
        out.timeouts.push_back({TimeoutKind::kGossip, 0, 0, params_.timeouts.gossip_us});
        return;
    }
    if (t.height != hs_.height) return;
    switch (t.kind) {
    case TimeoutKind::kPropose:
        if (t.round == hs_.round && hs_.step == Step::kPropose) cast(VoteType::kPrevote, {}, out);
        break;
    case TimeoutKind::kPrevote:
        if (t.round == hs_.round && hs_.step == Step::kPrevote) {
            cast(VoteType::kPrecommit, {}, out);
        }
        break;
    case TimeoutKind::kPrecommit:
        if (t.round == hs_.round && hs_.step != Step::kCommitWait) {
            start_round(hs_.round + 1, out);
        }
        break;
    case TimeoutKind::kCommit:
        if (hs_.step == Step::kCommitWait) start_height(out);
        break;
    case TimeoutKind::kGossip:
        break;
    }
    evaluate(out);
}

DecisionPtr Engine::decision_at(Height h) const {
    const auto it = decisions_.find(h);
    return it == decisions_.end() ? nullptr : it->second;
}

}  // namespace mfd::consensus
