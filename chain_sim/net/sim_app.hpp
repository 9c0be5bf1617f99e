#pragma once
/// The simulation's test application: a list of transactions with known fraud labels. It
/// announces mempool transactions, flags the fraudulent ones in its vote extension (its
/// "model" is the ground truth), executes what consensus lets through and keeps the committed
/// flags per transaction (the stand-in for the `fraud_scores` column). Byzantine variants
/// withhold flags or flag honest transactions. Deterministic; not thread-safe.

#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

#include "chain_sim/net/sim_tx.hpp"
#include "consensus/application.hpp"

namespace mfd::chain::net {

/// Application-level misbehaviour (bit flags).
enum AppBehaviour : std::uint32_t {
    kAppWithholdFlags = 1U << 0,  ///< never flags anything
    kAppFlagHonest = 1U << 1,     ///< flags every honest transaction (censorship attempt)
};

/// The score an honest validator gives a fraudulent transaction.
inline constexpr std::uint16_t kFraudScore = 9000;

class TxListApp final : public consensus::Application {
public:
    explicit TxListApp(std::uint32_t behaviours = 0) : behaviours_(behaviours) {}

    consensus::Verdict check_tx(core::ByteView tx) override;
    consensus::ProposalContent prepare_proposal(const consensus::ProposalContext& ctx) override;
    consensus::Verdict process_proposal(const consensus::Block& block) override;
    std::vector<consensus::FraudFlag> extend_vote(const consensus::Block& block) override;
    consensus::Verdict verify_vote_extension(const core::Address& validator,
                                             consensus::Height height,
                                             std::span<const consensus::FraudFlag> flags) override;
    consensus::FinalizeResult finalize_block(const consensus::FinalizedBlock& block) override;

    /// Executed transactions, in commit order.
    [[nodiscard]] const std::vector<core::Hash>& executed() const noexcept { return executed_; }
    [[nodiscard]] bool was_executed(const core::Hash& tx) const {
        return executed_set_.count(tx) != 0;
    }
    /// Transactions the flag rule left out.
    [[nodiscard]] const std::set<core::Hash>& excluded() const noexcept { return excluded_; }
    /// Committed aggregated flags per transaction.
    [[nodiscard]] const std::map<core::Hash, consensus::AggregatedFlag>& fraud_scores()
        const noexcept {
        return scores_;
    }

    /// Payload: for each transaction, its length (u32) and bytes.
    [[nodiscard]] static core::Bytes encode_payload(const std::vector<core::Bytes>& txs);
    /// Fails with kInvalidArgument on a truncated payload.
    [[nodiscard]] static core::Result<std::vector<core::Bytes>> decode_payload(core::ByteView p);

private:
    [[nodiscard]] bool blocked(const core::Hash& h) const;

    std::uint32_t behaviours_;
    std::vector<core::Hash> mempool_order_;
    std::unordered_map<core::Hash, core::Bytes, consensus::PrefixHash> mempool_;
    std::map<core::Hash, core::Bytes> pending_;
    std::vector<core::Hash> executed_;
    std::set<core::Hash> executed_set_;
    std::set<core::Hash> excluded_;
    std::map<core::Hash, consensus::AggregatedFlag> scores_;
};

}  // namespace mfd::chain::net
