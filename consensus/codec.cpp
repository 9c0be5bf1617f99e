#include <limits>
#include <string>

#include "consensus/message.hpp"
#include "consensus/wire.hpp"

namespace mfd::consensus {

namespace {

constexpr std::uint8_t kVoteDomain[4] = {'M', 'F', 'D', 'V'};

void put_flags(WireWriter& w, const std::vector<FraudFlag>& flags) {
    w.u16(static_cast<std::uint16_t>(flags.size()));
    for (const FraudFlag& f : flags) {
        w.bytes(f.tx.view());
        w.u16(f.score);
    }
}

void put_signature(WireWriter& w, const core::Signature& s) {
    w.bytes(s.r.view());
    w.bytes(s.s.view());
    w.u8(s.y_parity);
}

void put_vote_body(WireWriter& w, const Vote& v) {
    w.u8(static_cast<std::uint8_t>(v.type));
    w.u64(v.chain_id);
    w.u64(static_cast<std::uint64_t>(v.height));
    w.u32(static_cast<std::uint32_t>(v.round));
    w.bytes(v.block.view());
    w.bytes(v.validator.view());
    w.u32(v.validator_index);
    if (v.has_extension()) put_flags(w, v.flags);
}

void put_vote(WireWriter& w, const SignedVote& v) {
    put_vote_body(w, v.vote());
    put_signature(w, v.signature());
}

void put_commit(WireWriter& w, const ExtendedCommit& c) {
    w.u64(static_cast<std::uint64_t>(c.height));
    w.u32(static_cast<std::uint32_t>(c.round));
    w.bytes(c.block.view());
    w.u32(static_cast<std::uint32_t>(c.votes.size()));
    for (const VotePtr& v : c.votes) {
        w.bytes(v->vote().validator.view());
        w.u32(v->vote().validator_index);
        put_flags(w, v->vote().flags);
        put_signature(w, v->signature());
    }
}

void put_hashes(WireWriter& w, const std::vector<core::Hash>& hashes) {
    w.u32(static_cast<std::uint32_t>(hashes.size()));
    for (const core::Hash& h : hashes) w.bytes(h.view());
}

void put_block(WireWriter& w, const Block& b) {
    w.u64(b.chain_id);
    w.u64(static_cast<std::uint64_t>(b.height));
    w.bytes(b.proposer.view());
    w.bytes(b.parent.view());
    put_hashes(w, b.executed);
    put_hashes(w, b.candidates);
    w.u32(static_cast<std::uint32_t>(b.payload.size()));
    w.bytes(b.payload);
    put_commit(w, b.last_commit);
    w.u32(static_cast<std::uint32_t>(b.evidence.size()));
    for (const EvidencePtr& e : b.evidence) {
        put_vote(w, *e->first());
        put_vote(w, *e->second());
    }
}

// ---- decoding -------------------------------------------------------------------------------

Height get_height(WireReader& r, bool allow_zero) {
    const std::uint64_t h = r.u64();
    if (h > static_cast<std::uint64_t>(std::numeric_limits<Height>::max()) ||
        (h == 0 && !allow_zero)) {
        r.fail("height " + std::to_string(h) + " out of range");
    }
    return static_cast<Height>(h);
}

Round get_round(WireReader& r) {
    const std::uint32_t v = r.u32();
    if (v > static_cast<std::uint32_t>(std::numeric_limits<Round>::max())) {
        r.fail("round " + std::to_string(v) + " out of range");
    }
    return static_cast<Round>(v);
}

std::size_t get_count(WireReader& r, std::uint64_t value, std::size_t limit, const char* what) {
    if (value > limit) {
        r.fail(std::string(what) + " count " + std::to_string(value) + " exceeds the limit " +
               std::to_string(limit));
        return 0;
    }
    return static_cast<std::size_t>(value);
}

std::vector<FraudFlag> get_flags(WireReader& r) {
    const std::size_t n = get_count(r, r.u16(), kMaxWireFlags, "flag");
    std::vector<FraudFlag> flags;
    flags.reserve(std::min<std::size_t>(n, r.remaining() / 34));
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
        FraudFlag f;
        f.tx = r.fixed<32>("flag hash");
        f.score = r.u16();
        flags.push_back(f);
    }
    return flags;
}

core::Signature get_signature(WireReader& r) {
    core::Signature s;
    s.r = r.fixed<32>("signature r");
    s.s = r.fixed<32>("signature s");
    s.y_parity = r.u8();
    return s;
}

// Turns a shape failure into the reader's sticky error; returns the object or null.
template <class T>
T accept(WireReader& r, core::Result<T> made) {
    if (!made) {
        r.fail(made.error().message);
        return T{};
    }
    return std::move(*made);
}

VotePtr get_vote(WireReader& r) {
    Vote v;
    const std::uint8_t type = r.u8();
    if (type != 1 && type != 2) r.fail("unknown vote type " + std::to_string(type));
    v.type = static_cast<VoteType>(type);
    v.chain_id = r.u64();
    v.height = get_height(r, false);
    v.round = get_round(r);
    v.block = r.fixed<32>("vote block");
    v.validator = r.fixed<20>("vote validator");
    v.validator_index = r.u32();
    if (v.has_extension()) v.flags = get_flags(r);
    const core::Signature sig = get_signature(r);
    if (!r.ok()) return nullptr;
    return accept(r, SignedVote::make(std::move(v), sig));
}

ExtendedCommit get_commit(WireReader& r, std::uint64_t chain_id) {
    ExtendedCommit c;
    c.height = get_height(r, true);
    c.round = get_round(r);
    c.block = r.fixed<32>("commit block");
    const std::size_t n = get_count(r, r.u32(), kMaxWireCommitVotes, "commit vote");
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
        Vote v{VoteType::kPrecommit, chain_id, c.height, c.round, c.block, {}, 0, {}};
        v.validator = r.fixed<20>("commit validator");
        v.validator_index = r.u32();
        v.flags = get_flags(r);
        const core::Signature sig = get_signature(r);
        if (!r.ok()) break;
        if (c.height == 0) {
            r.fail("an empty commit cannot carry votes");
            break;
        }
        c.votes.push_back(accept(r, SignedVote::make(std::move(v), sig)));
    }
    if (r.ok()) {
        if (auto s = check_commit_shape(c, chain_id); !s) r.fail(s.error().message);
    }
    return c;
}

std::vector<core::Hash> get_hashes(WireReader& r, const char* what) {
    const std::size_t n = get_count(r, r.u32(), kMaxWireTxs, what);
    std::vector<core::Hash> out;
    out.reserve(std::min<std::size_t>(n, r.remaining() / 32));
    for (std::size_t i = 0; i < n && r.ok(); ++i) out.push_back(r.fixed<32>(what));
    return out;
}

EvidencePtr get_evidence(WireReader& r) {
    VotePtr a = get_vote(r);
    VotePtr b = get_vote(r);
    if (!r.ok()) return nullptr;
    EvidencePtr e = accept(r, Evidence::make(a, b));
    if (e && e->first() != a) r.fail("evidence votes are not in canonical (digest) order");
    return e;
}

BlockPtr get_block(WireReader& r) {
    Block b;
    b.chain_id = r.u64();
    b.height = get_height(r, false);
    b.proposer = r.fixed<20>("block proposer");
    b.parent = r.fixed<32>("block parent");
    b.executed = get_hashes(r, "executed tx");
    b.candidates = get_hashes(r, "candidate tx");
    const std::size_t len = get_count(r, r.u32(), kMaxWirePayload, "payload byte");
    b.payload = r.bytes(len, "payload");
    b.last_commit = get_commit(r, b.chain_id);
    const std::size_t n = get_count(r, r.u32(), kMaxWireEvidence, "evidence");
    for (std::size_t i = 0; i < n && r.ok(); ++i) b.evidence.push_back(get_evidence(r));
    if (!r.ok()) return nullptr;
    return accept(r, SealedBlock::make(std::move(b)));
}

ProposalPtr get_proposal(WireReader& r) {
    Proposal p;
    p.chain_id = r.u64();
    p.height = get_height(r, false);
    p.round = get_round(r);
    p.pol_round = static_cast<Round>(r.u32());
    p.proposer = r.fixed<20>("proposer");
    const core::Signature sig = get_signature(r);
    p.block = get_block(r);
    if (!r.ok()) return nullptr;
    return accept(r, SignedProposal::make(std::move(p), sig));
}

DecisionPtr get_decision(WireReader& r) {
    BlockPtr block = get_block(r);
    if (!r.ok()) return nullptr;
    ExtendedCommit commit = get_commit(r, block->block().chain_id);
    if (!r.ok()) return nullptr;
    return accept(r, make_decision(std::move(block), std::move(commit)));
}

StatusPtr get_status(WireReader& r) {
    Status s;
    s.chain_id = r.u64();
    s.height = get_height(r, false);
    s.sender = r.fixed<20>("status sender");
    if (!r.ok()) return nullptr;
    return std::make_shared<const Status>(s);
}

Message get_message(WireReader& r) {
    const std::uint8_t tag = r.u8();
    switch (static_cast<MessageTag>(tag)) {
    case MessageTag::kProposal:
        return get_proposal(r);
    case MessageTag::kVote:
        return get_vote(r);
    case MessageTag::kEvidence:
        return get_evidence(r);
    case MessageTag::kDecision:
        return get_decision(r);
    case MessageTag::kStatus:
        return get_status(r);
    }
    r.fail("unknown message tag " + std::to_string(tag));
    return VotePtr{};
}

}  // namespace

core::Bytes vote_sign_bytes(const Vote& vote) {
    core::Bytes out(kVoteDomain, kVoteDomain + 4);
    out.reserve(4 + 81 + 2 + 34 * vote.flags.size());
    WireWriter w(out);
    put_vote_body(w, vote);
    return out;
}

core::Bytes encode_block(const Block& block) {
    core::Bytes out;
    WireWriter w(out);
    put_block(w, block);
    return out;
}

core::Bytes encode(const Message& message) {
    core::Bytes out;
    WireWriter w(out);
    if (const auto* p = std::get_if<ProposalPtr>(&message)) {
        const Proposal& x = (*p)->proposal();
        w.u8(static_cast<std::uint8_t>(MessageTag::kProposal));
        w.u64(x.chain_id);
        w.u64(static_cast<std::uint64_t>(x.height));
        w.u32(static_cast<std::uint32_t>(x.round));
        w.u32(static_cast<std::uint32_t>(x.pol_round));
        w.bytes(x.proposer.view());
        put_signature(w, (*p)->signature());
        put_block(w, x.block->block());
    } else if (const auto* v = std::get_if<VotePtr>(&message)) {
        w.u8(static_cast<std::uint8_t>(MessageTag::kVote));
        put_vote(w, **v);
    } else if (const auto* e = std::get_if<EvidencePtr>(&message)) {
        w.u8(static_cast<std::uint8_t>(MessageTag::kEvidence));
        put_vote(w, *(*e)->first());
        put_vote(w, *(*e)->second());
    } else if (const auto* d = std::get_if<DecisionPtr>(&message)) {
        w.u8(static_cast<std::uint8_t>(MessageTag::kDecision));
        put_block(w, (*d)->block->block());
        put_commit(w, (*d)->commit);
    } else if (const auto* s = std::get_if<StatusPtr>(&message)) {
        w.u8(static_cast<std::uint8_t>(MessageTag::kStatus));
        w.u64((*s)->chain_id);
        w.u64(static_cast<std::uint64_t>((*s)->height));
        w.bytes((*s)->sender.view());
    }
    return out;
}

core::Result<Message> decode(core::ByteView bytes) {
    if (bytes.size() > kMaxMessageBytes) {
        return core::fail(core::Errc::kLimitExceeded, "message of " + std::to_string(bytes.size()) +
                                                          " bytes exceeds the limit");
    }
    WireReader r(bytes);
    Message m = get_message(r);
    if (r.ok() && r.remaining() != 0) {
        r.fail(std::to_string(r.remaining()) + " trailing bytes after the message");
    }
    if (!r.ok()) {
        const bool limit = r.error().find("exceeds") != std::string::npos;
        return core::fail(limit ? core::Errc::kLimitExceeded : core::Errc::kInvalidArgument,
                          "consensus message: " + r.error());
    }
    return m;
}

core::Result<DecisionPtr> make_decision(BlockPtr block, ExtendedCommit commit) {
    if (!block) return core::fail(core::Errc::kInvalidArgument, "a decision needs a block");
    const Block& b = block->block();
    if (auto s = check_commit_shape(commit, b.chain_id); !s) return core::fail(s.error());
    if (commit.empty() || commit.height != b.height || commit.block != block->id()) {
        return core::fail(core::Errc::kInvalidArgument,
                          "a decision's commit must be for its block");
    }
    return std::make_shared<const Decision>(Decision{std::move(block), std::move(commit)});
}

}  // namespace mfd::consensus
