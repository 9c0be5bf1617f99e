#pragma once
/// The hooks the engine calls on the application, shaped like CometBFT's ABCI++: mempool
/// admission, building and checking proposals, vote extensions (the fraud flags) and
/// finalising blocks. The chain and the fraud plugin implement it; the engine calls it from
/// one thread at a time, and every call but extend_vote and check_tx must be deterministic.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "consensus/flags.hpp"

namespace mfd::consensus {

/// ACCEPT/REJECT of process_proposal, verify_vote_extension and check_tx.
enum class Verdict : std::uint8_t { kAccept, kReject };

/// What prepare_proposal may look at.
struct ProposalContext {
    Height height = 0;
    Round round = 0;
    core::Address proposer;
    std::span<const core::Hash> executing;  ///< what this block will execute
    std::span<const AggregatedFlag> flags;  ///< the committed flags on the pending txs
    std::size_t max_candidates = 0;         ///< most transactions the block may announce
    std::size_t max_payload_bytes = 0;
};

/// The application's part of a new block.
struct ProposalContent {
    std::vector<core::Hash> candidates;  ///< transactions announced (distinct)
    core::Bytes payload;                 ///< e.g. the announced transactions' bytes
};

/// A validator the engine slashed for equivocation.
struct Misbehaviour {
    core::Address validator;
    Height height = 0;           ///< height of the equivocation
    std::int64_t slashed = 0;    ///< stake taken
    std::int64_t remaining = 0;  ///< stake left (the validator is removed regardless)
};

/// Everything finalize_block learns about a committed block.
struct FinalizedBlock {
    const Block* block = nullptr;
    BlockId id;
    Round round = 0;                        ///< the round that decided it
    std::span<const core::Hash> executed;   ///< execute these, in order
    std::span<const AggregatedFlag> flags;  ///< committed flags on the parent's candidates
    std::span<const Misbehaviour> slashed;  ///< equivocators punished by this block
    std::span<const core::Address> jailed;  ///< validators jailed for downtime
};

/// What the application hands back from finalize_block.
struct FinalizeResult {
    /// Bonding (power > 0) and unbonding (power 0) requested by the executed transactions; they
    /// take effect two heights later, as in CometBFT.
    std::vector<ValidatorUpdate> validator_updates;
};

class Application {
public:
    virtual ~Application() = default;

    /// Mempool admission of a raw transaction (called by the node, not by consensus rounds).
    [[nodiscard]] virtual Verdict check_tx(core::ByteView tx) = 0;
    /// The proposer's choice of transactions to announce and its payload.
    [[nodiscard]] virtual ProposalContent prepare_proposal(const ProposalContext& context) = 0;
    /// The application's own checks of a block the engine already found valid (flag rule,
    /// commit, evidence). Must be deterministic: model scores never decide it.
    [[nodiscard]] virtual Verdict process_proposal(const Block& block) = 0;
    /// This validator's fraud flags on the block's candidates (the engine caps and sorts them).
    [[nodiscard]] virtual std::vector<FraudFlag> extend_vote(const Block& block) = 0;
    /// Checks another validator's extension, already well-formed and within the size cap.
    [[nodiscard]] virtual Verdict verify_vote_extension(const core::Address& validator,
                                                        Height height,
                                                        std::span<const FraudFlag> flags) = 0;
    /// Applies a committed block.
    [[nodiscard]] virtual FinalizeResult finalize_block(const FinalizedBlock& block) = 0;
};

}  // namespace mfd::consensus
