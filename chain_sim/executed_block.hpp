#pragma once
/// The result of executing a block: the sealed block, its receipts and state changes, ready to
/// be committed in one batch. Thread-safe: values and pure functions.

#include <vector>

#include "chain_sim/state_root.hpp"
#include "core/block.hpp"
#include "core/kv_store.hpp"
#include "core/receipt.hpp"

namespace mfd::chain {

/// A block executed on top of the chain's head and not yet committed.
struct ExecutedBlock {
    core::Block block;                          ///< header with gas used, state and receipts roots
    std::vector<core::Hash> tx_hashes;          ///< in block order
    std::vector<core::Receipt> receipts;        ///< one per transaction, in block order
    std::vector<core::Bytes> encoded_receipts;  ///< core::encode_receipt of each, hashed once
    std::vector<StateChange> changes;           ///< sorted; what the state root chains over
    core::U256 burned;                          ///< base fee × gas used, summed
    core::U256 tips;                            ///< priority fees paid to the proposer
};

/// A transaction the block builder left out, and why.
struct SkippedTx {
    core::Hash hash;
    core::Error reason;
};

/// A block the builder made from candidates: executed, with what it skipped.
struct BuiltBlock {
    ExecutedBlock executed;
    std::vector<SkippedTx> skipped;
};

/// Everything `executed` writes: state changes, the block with its transaction index, the
/// receipts (storage's layout: receipts[tx hash] = encoded receipt) and the committed height.
/// Fails with kLimitExceeded for 2^32 transactions or more.
[[nodiscard]] core::Result<core::WriteBatch> commit_batch(const ExecutedBlock& executed);

}  // namespace mfd::chain
