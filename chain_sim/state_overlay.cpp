#include "chain_sim/state_overlay.hpp"

#include <algorithm>

namespace mfd::chain {

std::optional<core::Bytes> StateOverlay::load(core::Column column, core::ByteView key) {
    auto value = store_->get(column, key);
    if (!value) {
        if (!error_) error_ = value.error();
        return std::nullopt;
    }
    return std::move(*value);
}

StateOverlay::AccountEntry& StateOverlay::account_entry(const core::Address& address) {
    auto it = accounts_.find(address);
    if (it != accounts_.end()) return it->second;
    if (const AccountState* cached = cache_ ? cache_->account(address) : nullptr) {
        return accounts_.emplace(address, AccountEntry{*cached, *cached}).first->second;
    }
    AccountState state;
    if (auto record = load(core::Column::kAccounts, address.view())) {
        auto decoded = decode_account(*record);
        if (decoded) {
            state = *decoded;
        } else if (!error_) {
            error_ = core::Error{decoded.error().code,
                                 "account " + address.hex() + ": " + decoded.error().message};
        }
    }
    return accounts_.emplace(address, AccountEntry{state, state}).first->second;
}

StateOverlay::SlotEntry& StateOverlay::slot_entry(const storage::StorageSlotKey& key) {
    auto it = slots_.find(key);
    if (it != slots_.end()) return it->second;
    if (const core::Hash* cached = cache_ ? cache_->slot(key) : nullptr) {
        return slots_.emplace(key, SlotEntry{*cached, *cached}).first->second;
    }
    core::Hash value;
    if (auto record = load(core::Column::kContractStorage, key.view())) {
        auto decoded = core::Hash::from(*record);
        if (decoded) {
            value = *decoded;
        } else if (!error_) {
            error_ = core::Error{core::Errc::kCorruption,
                                 "storage slot of " + std::to_string(record->size()) + " bytes"};
        }
    }
    return slots_.emplace(key, SlotEntry{value, value}).first->second;
}

StateOverlay::CodeEntry& StateOverlay::code_entry(const core::Address& address) {
    auto it = code_.find(address);
    if (it != code_.end()) return it->second;
    if (const core::Bytes* cached = cache_ ? cache_->code(address) : nullptr) {
        return code_.emplace(address, CodeEntry{*cached, *cached}).first->second;
    }
    auto record = load(core::Column::kContractCode, address.view());
    return code_.emplace(address, CodeEntry{record, record}).first->second;
}

const AccountState& StateOverlay::account(const core::Address& address) {
    return account_entry(address).current;
}

void StateOverlay::set_account(const core::Address& address, const AccountState& state) {
    AccountEntry& entry = account_entry(address);
    journal_.emplace_back(AccountUndo{&entry, entry.current});
    entry.current = state;
}

const core::Bytes* StateOverlay::code(const core::Address& address) {
    const CodeEntry& entry = code_entry(address);
    return entry.current ? &*entry.current : nullptr;
}

void StateOverlay::set_code(const core::Address& address, core::Bytes record) {
    CodeEntry& entry = code_entry(address);
    journal_.emplace_back(CodeUndo{&entry, entry.current});
    entry.current = std::move(record);
}

core::Hash StateOverlay::storage(const core::Address& contract, const core::Hash& slot) {
    return slot_entry(storage::storage_slot_key(contract, slot)).current;
}

void StateOverlay::set_storage(const core::Address& contract, const core::Hash& slot,
                               const core::Hash& value) {
    SlotEntry& entry = slot_entry(storage::storage_slot_key(contract, slot));
    journal_.emplace_back(SlotUndo{&entry, entry.current});
    entry.current = value;
}

void StateOverlay::revert_to(std::size_t checkpoint) {
    while (journal_.size() > checkpoint) {
        std::visit([](auto& undo) { undo.entry->current = std::move(undo.previous); },
                   journal_.back());
        journal_.pop_back();
    }
}

std::vector<StateChange> StateOverlay::changes() const {
    std::vector<StateChange> out;
    for (const auto& [address, e] : accounts_) {
        if (e.current == e.original) continue;
        out.push_back({core::Column::kAccounts, address.to_bytes(),
                       e.current.empty() ? std::nullopt
                                         : std::optional<core::Bytes>(encode_account(e.current))});
    }
    for (const auto& [address, e] : code_) {
        if (e.current == e.original) continue;
        out.push_back({core::Column::kContractCode, address.to_bytes(), e.current});
    }
    for (const auto& [key, e] : slots_) {
        if (e.current == e.original) continue;
        out.push_back({core::Column::kContractStorage, key.to_bytes(),
                       e.current.is_zero() ? std::nullopt
                                           : std::optional<core::Bytes>(e.current.to_bytes())});
    }
    std::sort(out.begin(), out.end(), [](const StateChange& a, const StateChange& b) {
        if (a.column != b.column) return a.column < b.column;
        return a.key < b.key;
    });
    return out;
}

}  // namespace mfd::chain
