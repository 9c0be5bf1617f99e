#pragma once
/// The working state of a block: accounts, contract records and storage slots read once (from
/// the committed-state cache, else from the KvStore) and then kept in memory, with the changes of
/// executing transactions layered on top and a journal to roll a call or a transaction back.
/// Nothing reaches the store: the block commit takes `changes()`. A failed store read does not
/// throw or stop execution: it is remembered in `error()` (the value reads as absent), and whoever
/// executes checks it before using the results. Not thread-safe (one overlay per execution).

#include <cstddef>
#include <optional>
#include <unordered_map>
#include <variant>
#include <vector>

#include "chain_sim/account.hpp"
#include "chain_sim/state_cache.hpp"
#include "chain_sim/state_root.hpp"
#include "core/kv_store.hpp"
#include "storage/keys.hpp"

namespace mfd::chain {

class StateOverlay {
public:
    /// An overlay over the committed state in `store`, consulting `cache` (when given) before
    /// the store; both must outlive it.
    explicit StateOverlay(const core::KvStore& store, const StateCache* cache = nullptr)
        : store_(&store), cache_(cache) {}
    StateOverlay(const StateOverlay&) = delete;
    StateOverlay& operator=(const StateOverlay&) = delete;

    /// The account at `address` (the empty account when none is stored).
    [[nodiscard]] const AccountState& account(const core::Address& address);
    /// Sets the account at `address`, journaled.
    void set_account(const core::Address& address, const AccountState& state);

    /// The contract record at `address` (kind tag || constructor arguments); nullptr when none.
    [[nodiscard]] const core::Bytes* code(const core::Address& address);
    /// Sets the contract record at `address`, journaled.
    void set_code(const core::Address& address, core::Bytes record);

    /// The value of a contract's storage slot (zero when never written).
    [[nodiscard]] core::Hash storage(const core::Address& contract, const core::Hash& slot);
    /// Sets a storage slot, journaled; zero deletes it from the store at commit.
    void set_storage(const core::Address& contract, const core::Hash& slot,
                     const core::Hash& value);

    /// A point to roll back to.
    [[nodiscard]] std::size_t checkpoint() const noexcept { return journal_.size(); }
    /// Undoes every change made after `checkpoint`.
    void revert_to(std::size_t checkpoint);
    /// Forgets the journal (the changes stay): call when a transaction is final.
    void clear_journal() noexcept { journal_.clear(); }

    /// The first store failure met by a read, if any.
    [[nodiscard]] const std::optional<core::Error>& error() const noexcept { return error_; }

    /// Every entry whose value differs from the store's, sorted by (column, key).
    [[nodiscard]] std::vector<StateChange> changes() const;

private:
    template <class T>
    struct Entry {
        T original;
        T current;
    };
    using AccountEntry = Entry<AccountState>;
    using SlotEntry = Entry<core::Hash>;
    using CodeEntry = Entry<std::optional<core::Bytes>>;

    struct AccountUndo {
        AccountEntry* entry;
        AccountState previous;
    };
    struct SlotUndo {
        SlotEntry* entry;
        core::Hash previous;
    };
    struct CodeUndo {
        CodeEntry* entry;
        std::optional<core::Bytes> previous;
    };

    [[nodiscard]] std::optional<core::Bytes> load(core::Column column, core::ByteView key);
    AccountEntry& account_entry(const core::Address& address);
    SlotEntry& slot_entry(const storage::StorageSlotKey& key);
    CodeEntry& code_entry(const core::Address& address);

    const core::KvStore* store_;
    const StateCache* cache_;
    std::unordered_map<core::Address, AccountEntry> accounts_;
    std::unordered_map<storage::StorageSlotKey, SlotEntry> slots_;
    std::unordered_map<core::Address, CodeEntry> code_;
    std::vector<std::variant<AccountUndo, SlotUndo, CodeUndo>> journal_;
    std::optional<core::Error> error_;
};

}  // namespace mfd::chain
