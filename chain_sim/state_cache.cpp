#include "chain_sim/state_cache.hpp"

namespace mfd::chain {
namespace {

template <class Map, class Key>
auto* find_in(const Map& map, const Key& key) {
    auto it = map.find(key);
    return it == map.end() ? nullptr : &it->second;
}

void apply_account(std::unordered_map<core::Address, AccountState>& accounts,
                   const core::Address& address, const std::optional<core::Bytes>& value) {
    if (!value) {
        accounts[address] = AccountState{};
        return;
    }
    auto decoded = decode_account(*value);
    if (decoded) {
        accounts[address] = *decoded;
    } else {
        accounts.erase(address);
    }
}

void apply_slot(std::unordered_map<storage::StorageSlotKey, core::Hash>& slots,
                const storage::StorageSlotKey& key, const std::optional<core::Bytes>& value) {
    if (!value) {
        slots[key] = core::Hash{};
        return;
    }
    auto word = core::Hash::from(*value);
    if (word) {
        slots[key] = *word;
    } else {
        slots.erase(key);
    }
}

}  // namespace

const AccountState* StateCache::account(const core::Address& address) const {
    return find_in(accounts_, address);
}

const core::Bytes* StateCache::code(const core::Address& address) const {
    return find_in(code_, address);
}

const core::Hash* StateCache::slot(const storage::StorageSlotKey& key) const {
    return find_in(slots_, key);
}

void StateCache::apply(std::span<const StateChange> changes) {
    if (accounts_.size() + changes.size() > max_entries_ ||
        slots_.size() + changes.size() > max_entries_ ||
        code_.size() + changes.size() > max_entries_) {
        clear();
    }
    for (const auto& c : changes) {
        if (c.column == core::Column::kAccounts) {
            if (auto address = core::Address::from(c.key))
                apply_account(accounts_, *address, c.value);
        } else if (c.column == core::Column::kContractStorage) {
            if (auto key = storage::StorageSlotKey::from(c.key)) apply_slot(slots_, *key, c.value);
        } else if (c.column == core::Column::kContractCode) {
            auto address = core::Address::from(c.key);
            if (address && c.value) {
                code_[*address] = *c.value;
            } else if (address) {
                code_.erase(*address);
            }
        }
    }
}

void StateCache::clear() noexcept {
    accounts_.clear();
    code_.clear();
    slots_.clear();
}

}  // namespace mfd::chain
