#include "chain_sim/contracts/host.hpp"

#include "chain_sim/contracts/gas.hpp"
#include "chain_sim/contracts/kind.hpp"
#include "core/keccak.hpp"
#include "core/rlp.hpp"

namespace mfd::chain::contracts {
namespace {

std::string selector_hex(std::uint32_t selector) {
    const std::array<std::uint8_t, 4> be = {
        static_cast<std::uint8_t>(selector >> 24), static_cast<std::uint8_t>(selector >> 16),
        static_cast<std::uint8_t>(selector >> 8), static_cast<std::uint8_t>(selector)};
    return core::to_hex(be);
}

std::uint32_t tag_of(core::ByteView record) {
    return (std::uint32_t{record[0]} << 24) | (std::uint32_t{record[1]} << 16) |
           (std::uint32_t{record[2]} << 8) | std::uint32_t{record[3]};
}

}  // namespace

core::Address create_address(const core::Address& sender, std::uint64_t nonce) {
    core::RlpEncoder rlp;
    rlp.begin_list().add_bytes(sender.view()).add_uint(nonce).end_list();
    auto encoded = rlp.take();
    return core::Address::right_aligned(core::keccak256(encoded ? *encoded : core::Bytes{}).view());
}

core::Result<void> Host::charge(std::uint64_t gas) {
    if (gas > gas_left_) {
        gas_left_ = 0;
        return core::fail(core::Errc::kOutOfGas, "out of gas");
    }
    gas_left_ -= gas;
    return {};
}

core::Result<core::Hash> Host::load(const core::Address& contract, const core::Hash& slot) {
    if (auto paid = charge(kStorageReadGas); !paid) return core::fail(paid.error());
    return state_->storage(contract, slot);
}

core::Result<void> Host::store(const core::Address& contract, const core::Hash& slot,
                               const core::Hash& value) {
    const core::Hash current = state_->storage(contract, slot);
    const std::uint64_t cost = current == value    ? kStorageNoopGas
                               : current.is_zero() ? kStorageSetGas
                                                   : kStorageUpdateGas;
    if (auto paid = charge(cost); !paid) return paid;
    if (current != value) state_->set_storage(contract, slot, value);
    return {};
}

core::Result<void> Host::emit(const core::Address& contract, std::vector<core::Hash> topics,
                              core::Bytes data) {
    if (topics.size() > core::kMaxLogTopics) {
        return core::fail(core::Errc::kInternal, "a log with more than 4 topics");
    }
    const std::uint64_t cost = kLogGas + kLogTopicGas * topics.size() + kLogDataGas * data.size();
    if (auto paid = charge(cost); !paid) return paid;
    logs_.push_back(core::Log{contract, std::move(topics), std::move(data)});
    return {};
}

core::Result<void> Host::move_value(const core::Address& from, const core::Address& to,
                                    const core::U256& amount) {
    AccountState sender = state_->account(from);
    if (sender.balance < amount) {
        return revert("balance of " + from.hex() + " is short of " + amount.to_dec() + " wei");
    }
    if (amount.is_zero() || from == to) return {};
    sender.balance -= amount;
    state_->set_account(from, sender);
    AccountState recipient = state_->account(to);
    recipient.balance += amount;
    state_->set_account(to, recipient);
    return {};
}

bool Host::has_kind(const core::Address& address, std::uint32_t tag) {
    if (!state_->account(address).is_contract) return false;
    const core::Bytes* record = state_->code(address);
    return record != nullptr && record->size() >= 4 && tag_of(*record) == tag;
}

void Host::roll_back(std::size_t state_checkpoint, std::size_t log_count) {
    state_->revert_to(state_checkpoint);
    logs_.resize(log_count);
}

core::Result<core::Bytes> Host::call(const Message& message) {
    const std::size_t checkpoint = state_->checkpoint();
    const std::size_t log_count = logs_.size();
    auto moved = move_value(message.caller, message.to, message.value);
    if (!moved) return core::fail(moved.error());
    if (!state_->account(message.to).is_contract) return core::Bytes{};
    auto output = dispatch(message);
    if (!output) roll_back(checkpoint, log_count);
    return output;
}

core::Result<core::Bytes> Host::nested_call(const Message& message) {
    if (depth_ >= kMaxCallDepth) return revert("call depth above " + std::to_string(kMaxCallDepth));
    const std::uint64_t cost = kCallGas + (message.value.is_zero() ? 0 : kValueTransferGas);
    if (auto paid = charge(cost); !paid) return core::fail(paid.error());
    ++depth_;
    auto output = call(message);
    --depth_;
    return output;
}

core::Result<core::Bytes> Host::dispatch(const Message& message) {
    if (auto paid = charge(kCallGas); !paid) return core::fail(paid.error());
    const core::Bytes* record = state_->code(message.to);
    const KindSpec* kind = record && record->size() >= 4 ? kind_by_tag(tag_of(*record)) : nullptr;
    if (kind == nullptr) {
        return core::fail(core::Errc::kInternal, "no contract record at " + message.to.hex());
    }
    auto selector = core::abi::selector_of(message.data);
    if (!selector) {
        return core::fail(core::Errc::kUnknownSelector,
                          std::string(kind->name) + " has no fallback function (calldata of " +
                              std::to_string(message.data.size()) + " bytes)");
    }
    const Function* fn = kind->find(*selector);
    if (fn == nullptr) {
        return core::fail(core::Errc::kUnknownSelector,
                          std::string(kind->name) + " has no function " + selector_hex(*selector));
    }
    if (!fn->payable && !message.value.is_zero()) {
        return revert(fn->signature.canonical + " is not payable");
    }
    auto args = core::abi::decode(fn->signature.inputs, message.data.subspan(4));
    if (!args) {
        return core::fail(core::Errc::kAbiDecode,
                          fn->signature.canonical + ": " + args.error().message);
    }
    Frame frame{*this, message, core::ByteView(*record).subspan(4)};
    return fn->handler(frame, *args);
}

core::Result<core::Address> Host::create(const core::Address& sender, std::uint64_t nonce,
                                         const core::U256& value, core::ByteView payload) {
    const core::Address address = create_address(sender, nonce);
    const std::size_t checkpoint = state_->checkpoint();
    const std::size_t log_count = logs_.size();
    auto deployed = deploy(Message{sender, address, value, payload}, payload);
    if (!deployed) {
        roll_back(checkpoint, log_count);
        return core::fail(deployed.error());
    }
    return address;
}

core::Result<void> Host::deploy(const Message& message, core::ByteView payload) {
    const KindSpec* kind = payload.size() >= 4 ? kind_by_tag(tag_of(payload)) : nullptr;
    if (kind == nullptr) {
        return core::fail(core::Errc::kUnknownSelector, "deployment payload has no known kind tag");
    }
    if (!kind->holds_ether && !message.value.is_zero()) {
        return revert(std::string(kind->name) + " does not accept Ether");
    }
    const AccountState& existing = state_->account(message.to);
    if (existing.is_contract || existing.nonce != 0) {
        return revert("address " + message.to.hex() + " is taken");
    }
    if (auto paid = charge(kCallGas + kCodeDepositGas * payload.size()); !paid) return paid;
    auto args = core::abi::decode(kind->constructor.inputs, payload.subspan(4));
    if (!args) {
        return core::fail(core::Errc::kAbiDecode,
                          std::string(kind->name) + " constructor: " + args.error().message);
    }
    if (auto moved = move_value(message.caller, message.to, message.value); !moved) return moved;
    AccountState account = state_->account(message.to);
    account.is_contract = true;
    state_->set_account(message.to, account);
    state_->set_code(message.to, core::Bytes(payload.begin(), payload.end()));
    Frame frame{*this, message, payload.subspan(4)};
    auto constructed = kind->construct(frame, *args);
    if (!constructed) return core::fail(constructed.error());
    return {};
}

}  // namespace mfd::chain::contracts
