#pragma once
/// The state root: a hash chain over each block's sorted state changes. Block n's root is
/// keccak256(root of block n-1 || diff hash of block n), genesis chains from the zero hash, and
/// the diff hash covers every account, contract record and storage slot the block changed, in
/// (column, key) order. Two nodes that executed the same blocks from the same genesis hold the
/// same root; a root commits to the whole state because the state is the fold of the diffs.
/// Thread-safe: values and pure functions.

#include <optional>
#include <span>

#include "core/bytes.hpp"
#include "core/kv_store.hpp"

namespace mfd::chain {

/// One changed entry of the state: its new value, or std::nullopt when it was deleted.
struct StateChange {
    core::Column column;
    core::Bytes key;
    std::optional<core::Bytes> value;
    friend bool operator==(const StateChange&, const StateChange&) = default;
};

/// Keccak-256 over the changes, each as column (1 byte) || key length (4 BE) || key ||
/// present (1 byte) || value length (4 BE) || value. The caller sorts them (StateOverlay does).
[[nodiscard]] core::Hash diff_hash(std::span<const StateChange> changes) noexcept;

/// keccak256(parent_root || diff_hash(changes)).
[[nodiscard]] core::Hash next_state_root(const core::Hash& parent_root,
                                         std::span<const StateChange> changes) noexcept;

/// Adds a put or an erase per change to `batch`.
void add_changes(core::WriteBatch& batch, std::span<const StateChange> changes);

}  // namespace mfd::chain
