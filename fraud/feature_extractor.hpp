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

/// An account as the host's chain state holds it.
struct AccountState {
    core::U256 balance;
    std::uint64_t nonce = 0;
};

/// What the caller may know about a transaction beyond the event itself: the sender's and the
/// recipient's state before it (the plugin's host passes them; fp_tx_state). Without the
/// sender's, the state group is masked.
struct TxContext {
    std::optional<AccountState> sender;
    std::optional<AccountState> recipient;
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

    /// Records that consensus kept `event` out as fraud: its sender's excluded count and its
    /// recipient's (and the calldata's counterparty's) excluded inflows, as pending changes.
    /// Fails with the store's error.
    [[nodiscard]] core::Result<void> observe_excluded(const core::TxEvent& event);

    /// Records that the host refused `event` because its sender had already used its nonce (a
    /// conflicting copy of a spent nonce), as a pending change to the sender's stale-refusal
    /// count (and to the overlay's copy, when the mempool has the sender). Nothing else of the
    /// event enters the history. Fails with the store's error.
    [[nodiscard]] core::Result<void> observe_refused_stale(const core::TxEvent& event);

    [[nodiscard]] AccountHistory& history() noexcept { return history_; }

private:
    AccountHistory& history_;
};

}  // namespace mfd::fraud
