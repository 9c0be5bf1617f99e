#pragma once
/// Feature rows of transactions (feature_schema.hpp) from the past only: `extract` reads the
/// history as it stands and changes nothing; `observe` adds a transaction to the history. A
/// validator extracts for mempool transactions that may never be committed and observes only
/// committed ones. Not thread-safe: the Detector serialises access.

#include <optional>
#include <span>

#include "core/tx_event.hpp"
#include "fraud/account_history.hpp"
#include "fraud/feature_schema.hpp"

namespace mfd::fraud {

/// What the caller may know about a transaction beyond the event itself.
struct TxContext {
    /// The sender's balance before the transaction (from chain state), when known.
    std::optional<core::U256> sender_balance;
    /// The recipient's balance before the transaction, when known.
    std::optional<core::U256> recipient_balance;
};

class FeatureExtractor {
public:
    /// Extracts over `history`, which must outlive this object.
    explicit FeatureExtractor(AccountHistory& history) : history_(history) {}

    /// Writes the kFeatures columns of `event` into `row` (which must hold kFeatures floats)
    /// and returns the groups it could compute. A group that cannot be computed (no signature
    /// on an imported row; no sender, or a history read that fails) is left all zeros with its
    /// availability bit at 0. Never fails.
    GroupMask extract(const core::TxEvent& event, const TxContext& context, std::span<float> row);

    /// Adds `event` to the history (sender, recipient, the calldata's counterparty, the signing
    /// key, the r value and the fee level), as pending changes until AccountHistory::flush.
    /// Fails with the store's error when a record cannot be read; the records already updated
    /// for this event stay updated.
    [[nodiscard]] core::Result<void> observe(const core::TxEvent& event);

    [[nodiscard]] AccountHistory& history() noexcept { return history_; }

private:
    AccountHistory& history_;
};

}  // namespace mfd::fraud
