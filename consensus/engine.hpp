#pragma once
/// The consensus engine of one validator: Tendermint's algorithm (arXiv:1807.04938,
/// Algorithm 1) over a stake-weighted validator set with CometBFT's proposer selection, vote
/// extensions that carry fraud flags, evidence, slashing and jailing. Pure: no I/O, threads or
/// clock; it is driven by messages and timer events and answers with Effects, so a simulation
/// is deterministic for a seed. Not thread-safe: one engine, one thread at a time.

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "consensus/effects.hpp"
#include "consensus/outcome.hpp"
#include "consensus/verifier.hpp"
#include "consensus/vote_tally.hpp"

namespace mfd::consensus {

/// Where a validator stands within a height.
enum class Step : std::uint8_t { kPropose, kPrevote, kPrecommit, kCommitWait };

/// What an engine needs to start.
struct EngineConfig {
    ConsensusParams params;
    std::vector<ValidatorUpdate> genesis;
    /// The validator's key; none for an observer that follows the chain without voting.
    std::optional<core::PrivateKey> key;
};

class Engine {
public:
    /// Builds an engine at height 1. Fails with kInvalidArgument on a bad genesis
    /// (ChainState::genesis) or parameters (zero shares, zero caps).
    [[nodiscard]] static core::Result<std::unique_ptr<Engine>> create(EngineConfig config,
                                                                      Application& app,
                                                                      SignatureVerifier& verifier);

    /// Starts round 0 of height 1 and the gossip timer. Call once.
    void start(Effects& out);
    /// Replay mode, for a validator restarting on the chain it committed: until end_replay the
    /// engine follows the decisions it is given and neither proposes nor votes, so that it does
    /// not decide a height by itself (as a validator holding more than two thirds of the power
    /// would) before that height's stored decision reaches it. Call before start.
    void begin_replay() noexcept { replaying_ = true; }
    /// Leaves replay mode and starts round 0 of the next height.
    void end_replay(Effects& out);
    /// Handles one message from the network. Never fails: a bad message is rejected and counted.
    Outcome on_message(const Message& message, Effects& out);
    /// Handles a timer set through Effects; stale timers are ignored.
    void on_timeout(const TimeoutRequest& timeout, Effects& out);

    /// Validates `block` as the next block (height() must equal block height): the engine's
    /// rules (parent, proposer, extended commit, flag rule, evidence, caps) and then the
    /// application's process_proposal. Returns the flag outcome, or kInvalidArgument naming the
    /// broken rule.
    [[nodiscard]] core::Result<FlagOutcome> validate_block(const SealedBlock& block);

    /// The height being decided, its round and step (kCommitWait once decided).
    [[nodiscard]] Height height() const noexcept { return hs_.height; }
    [[nodiscard]] Round round() const noexcept { return hs_.round; }
    [[nodiscard]] Step step() const noexcept { return hs_.step; }
    /// The committed state, the message counters and the parameters.
    [[nodiscard]] const ChainState& chain() const noexcept { return chain_; }
    [[nodiscard]] const EngineStats& stats() const noexcept { return stats_; }
    [[nodiscard]] const ConsensusParams& params() const noexcept { return params_; }
    /// This validator's address; empty for an observer.
    [[nodiscard]] const std::optional<core::Address>& address() const noexcept { return self_; }
    /// Validators this engine saw equivocate (from votes or verified evidence).
    [[nodiscard]] const std::set<core::Address>& observed_equivocators() const noexcept {
        return equivocators_;
    }
    /// Evidence waiting to be included in a block.
    [[nodiscard]] const std::map<core::Address, EvidencePtr>& evidence_pool() const noexcept {
        return evidence_pool_;
    }
    /// The committed block of height `h` with the precommits that decided it; null if unknown.
    [[nodiscard]] DecisionPtr decision_at(Height h) const;

private:
    struct RoundState {
        explicit RoundState(std::size_t n) : prevotes(n), precommits(n), heard(n, false) {}
        ProposalPtr proposal;
        VoteTally prevotes;
        VoteTally precommits;
        std::vector<bool> heard;
        std::int64_t heard_power = 0;
        bool prevote_timer = false;
        bool precommit_timer = false;
        bool polka_seen = false;
    };
    struct BlockEntry {
        BlockPtr block;
        int validity = -1;  // -1 unknown, 0 invalid, 1 valid
        FlagOutcome outcome;
    };
    struct HeightState {
        Height height = 0;
        Round round = 0;
        Step step = Step::kPropose;
        std::shared_ptr<const ValidatorSet> set;
        BlockPtr locked;
        Round locked_round = kNoRound;
        BlockPtr valid;
        Round valid_round = kNoRound;
        std::vector<std::unique_ptr<RoundState>> rounds;
        std::unordered_map<BlockId, BlockEntry, PrefixHash, SameBytes> blocks;
        std::vector<Validator> priorities;  // working copy for proposers of later rounds
        std::vector<std::size_t> proposers;
        bool catching_up = false;
    };
    struct LastCommit {
        Height height = 0;
        Round round = 0;
        BlockId block;
        std::shared_ptr<const ValidatorSet> set;
        VoteTally precommits;
    };

    Engine(EngineConfig config, ChainState chain, Application& app, SignatureVerifier& verifier);

    // Rounds (engine_rounds.cpp).
    void start_height(Effects& out);
    void start_round(Round round, Effects& out);
    void propose(Effects& out);
    void evaluate(Effects& out);
    bool apply_proposal_rules(RoundState& rs, Effects& out);
    bool apply_prevote_rules(RoundState& rs, Effects& out);
    void cast(VoteType type, const BlockPtr& block, Effects& out);
    void check_decision(Round round, Effects& out);
    void check_round_skip(Round round, Effects& out);
    void adopt_polka(Round round);
    void arm(TimeoutKind kind, Round round, std::int64_t base, std::int64_t delta, Effects& out);
    void gossip(Effects& out);
    RoundState& round_state(Round round);
    std::size_t proposer_of(Round round);
    bool is_valid(const BlockPtr& block);

    // Messages (engine_messages.cpp).
    Outcome on_vote(const VotePtr& vote, Effects& out);
    Outcome on_proposal(const ProposalPtr& proposal, Effects& out);
    Outcome on_evidence(const EvidencePtr& evidence, Effects& out);
    Outcome on_decision(const DecisionPtr& decision, Effects& out);
    Outcome on_status(const StatusPtr& status, Effects& out);
    Outcome on_vote_elsewhere(const VotePtr& vote, Effects& out);
    Outcome add_late_precommit(const VotePtr& vote);
    Outcome buffer(const Message& message);
    void answer_lagging(const core::Address& peer, Height height, Effects& out);
    void record_equivocation(const VotePtr& a, const VotePtr& b, Effects* out);
    void hear(RoundState& rs, std::size_t index);
    bool verify_vote(const VotePtr& vote, const ValidatorSet& set, std::size_t index);

    // Validation (engine_validate.cpp).
    core::Result<void> verify_commit(const ExtendedCommit& commit, const ValidatorSet& set,
                                     Effects* out);
    core::Result<void> verify_evidence(const Evidence& evidence);
    core::Result<void> check_candidates(const Block& block) const;
    core::Result<void> check_block_evidence(const Block& block);

    // Decisions (engine_commit.cpp).
    void decide(const BlockPtr& block, Round round, VoteTally precommits, Effects& out);
    BlockPtr build_block();
    std::vector<EvidencePtr> pick_evidence();

    ConsensusParams params_;
    Application& app_;
    SignatureVerifier& verifier_;
    std::optional<core::PrivateKey> key_;
    std::optional<core::Address> self_;
    ChainState chain_;
    HeightState hs_;
    LastCommit last_commit_;
    std::map<Height, DecisionPtr> decisions_;
    std::map<core::Address, EvidencePtr> evidence_pool_;
    std::set<core::Address> equivocators_;
    std::vector<Message> buffered_;
    std::set<std::pair<core::Address, Height>> answered_;
    bool behind_ = false;     // saw traffic beyond the next height since the last gossip
    bool replaying_ = false;  // begin_replay..end_replay: heights start without rounds
    Height buffered_at_ = 0;  // height at which next-height traffic was last buffered
    EngineStats stats_;
};

}  // namespace mfd::consensus
