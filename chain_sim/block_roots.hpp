#pragma once
/// The transactions and receipts roots of core (core/block.hpp, core/receipt.hpp) computed from
/// hashes the caller already has, so that a block's transactions and receipts are hashed once
/// (and can be hashed in parallel). Thread-safe: pure functions.

#include <span>

#include "core/bytes.hpp"

namespace mfd::chain {

/// Keccak-256 of the RLP list of `hashes` (each a 32-byte string). With the Keccak-256 of each
/// raw transaction it equals core::transactions_root; with the Keccak-256 of each encoded
/// receipt, core::receipts_root (tests pin both equalities).
[[nodiscard]] core::Hash root_of_hashes(std::span<const core::Hash> hashes);

}  // namespace mfd::chain
