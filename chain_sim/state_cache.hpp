#pragma once
/// Committed state kept in memory across blocks: the accounts, contract records and storage
/// slots that committed blocks wrote, so that executing the next blocks reads them without going
/// to the store. The Chain updates it after each successful commit and is the only writer of the
/// state columns, so the cache never disagrees with the store. When it holds more than its
/// bound it starts over empty. Not thread-safe (owned by one Chain).

#include <cstddef>
#include <optional>
#include <span>
#include <unordered_map>

#include "chain_sim/account.hpp"
#include "chain_sim/state_root.hpp"
#include "storage/keys.hpp"

namespace mfd::chain {

class StateCache {
public:
    /// A cache of at most `max_entries` entries of each kind.
    explicit StateCache(std::size_t max_entries = std::size_t{1} << 20) noexcept
        : max_entries_(max_entries) {}

    /// The committed account at `address` if cached (an empty account when it was deleted).
    [[nodiscard]] const AccountState* account(const core::Address& address) const;
    /// The committed contract record at `address` if cached.
    [[nodiscard]] const core::Bytes* code(const core::Address& address) const;
    /// The committed value of a storage slot if cached (zero when it was deleted).
    [[nodiscard]] const core::Hash* slot(const storage::StorageSlotKey& key) const;

    /// Records the changes of a committed block. Records that do not decode are dropped from
    /// the cache (the store answers for them).
    void apply(std::span<const StateChange> changes);
    /// Forgets everything.
    void clear() noexcept;

private:
    std::size_t max_entries_;
    std::unordered_map<core::Address, AccountState> accounts_;
    std::unordered_map<core::Address, core::Bytes> code_;
    std::unordered_map<storage::StorageSlotKey, core::Hash> slots_;
};

}  // namespace mfd::chain
