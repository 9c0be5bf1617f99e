#pragma once
/// The workload of the crash test, shared by the writer program and the test that checks what
/// survives: block h is one WriteBatch holding a block record, a window of a few thousand account
/// records stamped with h, and the committed height h. Deterministic; thread-safe.

#include <cstdint>
#include <string>

#include "core/kv_store.hpp"

namespace mfd::storage::test {

/// Accounts exist with indices [0, kAccountSpace); a block touches a window of them.
inline constexpr std::uint64_t kAccountSpace = 20'000;

/// The number of accounts block `height` writes (between 2,000 and 4,999).
[[nodiscard]] std::uint64_t accounts_in_block(std::uint64_t height) noexcept;

/// The first account index of block `height`'s window (the window wraps around the space).
[[nodiscard]] std::uint64_t first_account_of_block(std::uint64_t height) noexcept;

/// The 32-byte key of account `index` < kAccountSpace (Keccak-256 of its 8-byte big-endian
/// index).
[[nodiscard]] core::Bytes account_key(std::uint64_t index);

/// Everything block `height` (>= 1) writes, committed height included.
[[nodiscard]] core::WriteBatch block_batch(std::uint64_t height);

/// Checks that `store` holds exactly blocks 1..`height` and nothing of a later one: one block
/// record per height, block `height`'s record intact, every account record stamped with the
/// last block that touched it, and the committed height equal to `height` (0: nothing at all).
/// Returns "" when consistent, else a description of the first inconsistency.
[[nodiscard]] std::string check_store(const core::KvStore& store, std::uint64_t height);

}  // namespace mfd::storage::test
