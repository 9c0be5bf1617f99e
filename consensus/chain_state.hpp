#pragma once
/// The committed state consensus keeps: the last block, the validator sets of recent and next
/// heights (updates take effect two heights later, as in CometBFT), the parent's announced
/// transactions, stakes with slashing (equivocation) and jailing (downtime). Deterministic:
/// every validator applying the same blocks holds the same state. Not thread-safe.

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "consensus/application.hpp"
#include "consensus/params.hpp"

namespace mfd::consensus {

/// Where a validator's stake stands.
enum class StakeStatus : std::uint8_t {
    kBonded,      ///< in (or joining) the validator set
    kUnbonded,    ///< left by its own request
    kJailed,      ///< removed for downtime; may bond again
    kTombstoned,  ///< slashed for equivocation; removed for good
};

/// A validator's stake record.
struct StakeRecord {
    core::PublicKey key;
    std::int64_t stake = 0;
    StakeStatus status = StakeStatus::kBonded;
};

/// What applying one block did.
struct CommitSummary {
    Height height = 0;
    FlagOutcome flags;
    std::vector<Misbehaviour> slashed;
    std::vector<core::Address> jailed;
    std::vector<ValidatorUpdate> updates;      ///< applied to the set of height + 2
    std::vector<std::string> dropped_updates;  ///< updates refused, with the reason
};

class ChainState {
public:
    /// The state before height 1. Fails with kInvalidArgument when the genesis validators are
    /// empty, duplicated, have power <= 0, or an address that is not their key's.
    [[nodiscard]] static core::Result<ChainState> genesis(const ConsensusParams& params,
                                                          std::span<const ValidatorUpdate> vals);

    /// The last committed height (0 before the first block).
    [[nodiscard]] Height height() const noexcept { return height_; }
    /// The last committed block (null before the first).
    [[nodiscard]] const BlockPtr& last_block() const noexcept { return last_block_; }
    /// The id of the last committed block (zero before the first).
    [[nodiscard]] BlockId last_block_id() const noexcept;
    /// The validator set of height() + 1.
    [[nodiscard]] const ValidatorSet& validators() const noexcept { return *sets_.at(height_ + 1); }
    /// The validator set of height `h`, kept from height() - evidence_max_age to height() + 2;
    /// null outside.
    [[nodiscard]] std::shared_ptr<const ValidatorSet> validators_at(Height h) const noexcept;
    /// The parent's announced transactions: what the next block executes or leaves out.
    [[nodiscard]] std::span<const core::Hash> pending() const noexcept { return pending_; }
    /// The stake record of `address`, null when it never bonded.
    [[nodiscard]] const StakeRecord* stake(const core::Address& address) const noexcept;
    [[nodiscard]] const std::map<core::Address, StakeRecord>& stakes() const noexcept {
        return stakes_;
    }

    /// Applies a block the engine validated at height() + 1 with its flag outcome: slashes the
    /// evidence, jails downtime, calls app.finalize_block and schedules the validator updates.
    CommitSummary apply(const BlockPtr& block, Round round, FlagOutcome flags, Application& app);

private:
    struct MissWindow {
        std::vector<bool> missed;
        std::size_t next = 0;
        std::int64_t count = 0;
    };

    std::vector<MissWindow*>& windows_of(const ValidatorSet& set);
    void slash(const Block& block, CommitSummary& out, std::vector<ValidatorUpdate>& updates);
    void track_downtime(const Block& block, CommitSummary& out,
                        std::vector<ValidatorUpdate>& updates);
    void admit_app_updates(std::vector<ValidatorUpdate> requested, CommitSummary& out,
                           std::vector<ValidatorUpdate>& updates);
    void schedule_updates(std::vector<ValidatorUpdate> updates, CommitSummary& out);

    ConsensusParams params_;
    Height height_ = 0;
    BlockPtr last_block_;
    std::map<Height, std::shared_ptr<const ValidatorSet>> sets_;
    std::vector<core::Hash> pending_;
    std::map<core::Address, StakeRecord> stakes_;
    std::unordered_map<core::Address, MissWindow, PrefixHash, SameBytes> downtime_;
    std::vector<core::Address> window_addresses_;  // the set window_ptrs_ maps, by index
    std::vector<MissWindow*> window_ptrs_;
};

}  // namespace mfd::consensus
