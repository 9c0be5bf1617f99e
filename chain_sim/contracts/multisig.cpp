// The Multisig kind (docs/contracts.md): owners and threshold live in the stored constructor
// arguments; slot 0 counts the transactions; transaction `id` keeps to, value, confirmations,
// executed and the data length in five consecutive slots from keccak(id || 1), its data in
// 32-byte words from keccak(that length slot), and owner confirmations at
// keccak(owner || keccak(id || 2)). Execution runs the call with the multisig as sender; a
// failed call reverts `execute`, so it can be retried.
#include <algorithm>

#include "chain_sim/contracts/kind.hpp"
#include "core/keccak.hpp"

namespace mfd::chain::contracts {
namespace {

namespace abi = core::abi;

constexpr std::size_t kMaxOwners = 50;
const core::Hash kCountSlot = slot_at(0);
const core::Hash kTransactionsSlot = slot_at(1);
const core::Hash kConfirmationsSlot = slot_at(2);

enum Field : std::uint64_t { kTo, kValue, kConfirmations, kExecuted, kDataLength };

core::Hash field_slot(const core::U256& id, Field field) {
    return offset_slot(mapping_slot(word(id), kTransactionsSlot), field);
}

core::Hash confirmed_slot(const core::U256& id, const core::Address& owner) {
    return mapping_slot(address_word(owner), mapping_slot(word(id), kConfirmationsSlot));
}

core::Result<Args> settings(Frame& f) {
    return code_args(f, multisig_kind().constructor.inputs);
}

core::Result<void> require_owner(Frame& f) {
    auto s = settings(f);
    if (!s) return core::fail(s.error());
    for (const auto& owner : *(*s)[0].as_list()) {
        if (owner.as_address() == f.caller()) return {};
    }
    return revert("Multisig: " + f.caller().hex() + " is not an owner");
}

core::Result<core::Bytes> log_id(Frame& f, std::string_view event, const core::U256& id,
                                 std::optional<core::Address> owner) {
    std::vector<core::Hash> topics = {core::keccak256(event), word(id)};
    if (owner) topics.push_back(address_word(*owner));
    auto logged = f.host.emit(f.self(), std::move(topics), {});
    if (!logged) return core::fail(logged.error());
    return core::Bytes{};
}

core::Result<core::Bytes> construct(Frame& f, const Args& args) {
    const auto& owners = *args[0].as_list();
    const core::U256& threshold = *args[1].as_uint();
    if (owners.empty() || owners.size() > kMaxOwners) {
        return revert("Multisig: between 1 and 50 owners");
    }
    std::vector<core::Address> seen;
    for (const auto& o : owners) {
        const core::Address a = o.as_address();
        if (a.is_zero() || std::find(seen.begin(), seen.end(), a) != seen.end()) {
            return revert("Multisig: owners must be distinct and non-zero");
        }
        seen.push_back(a);
    }
    if (threshold.is_zero() || threshold > core::U256(owners.size())) {
        return revert("Multisig: threshold must be between 1 and the number of owners");
    }
    if (f.message.value.is_zero()) return core::Bytes{};
    auto logged = f.host.emit(
        f.self(), {core::keccak256("Deposited(address,uint256)"), address_word(f.caller())},
        encode_words({f.message.value}));
    if (!logged) return core::fail(logged.error());
    return core::Bytes{};
}

core::Result<void> store_data(Frame& f, const core::U256& id, const core::Bytes& data) {
    const core::Hash length_slot = field_slot(id, kDataLength);
    if (auto s = store_number(f, length_slot, data.size()); !s) return s;
    const core::Hash first = core::keccak256(length_slot.view());
    for (std::size_t i = 0; i < data.size(); i += 32) {
        core::Hash chunk;
        std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(i),
                    std::min<std::size_t>(32, data.size() - i), chunk.bytes.begin());
        if (auto s = f.host.store(f.self(), offset_slot(first, i / 32), chunk); !s) return s;
    }
    return {};
}

core::Result<core::Bytes> load_data(Frame& f, const core::U256& id) {
    const core::Hash length_slot = field_slot(id, kDataLength);
    auto length = load_number(f, length_slot);
    if (!length) return core::fail(length.error());
    const std::size_t n = static_cast<std::size_t>(length->low64());
    const core::Hash first = core::keccak256(length_slot.view());
    core::Bytes data;
    for (std::size_t i = 0; i < n; i += 32) {
        auto chunk = f.host.load(f.self(), offset_slot(first, i / 32));
        if (!chunk) return core::fail(chunk.error());
        data.insert(
            data.end(), chunk->bytes.begin(),
            chunk->bytes.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(32, n - i)));
    }
    return data;
}

core::Result<core::Bytes> submit(Frame& f, const Args& args) {
    if (auto owner = require_owner(f); !owner) return core::fail(owner.error());
    auto id = load_number(f, kCountSlot);
    if (!id) return core::fail(id.error());
    for (auto [field, value] :
         {std::pair{kTo, *args[0].as_uint()}, std::pair{kValue, *args[1].as_uint()},
          std::pair{kConfirmations, core::U256(1)}}) {
        if (auto s = store_number(f, field_slot(*id, field), value); !s)
            return core::fail(s.error());
    }
    if (auto s = store_data(f, *id, *args[2].as_bytes()); !s) return core::fail(s.error());
    if (auto s = store_number(f, confirmed_slot(*id, f.caller()), 1); !s) {
        return core::fail(s.error());
    }
    if (auto s = store_number(f, kCountSlot, *id + 1); !s) return core::fail(s.error());
    if (auto l = log_id(f, "Submitted(uint256,address)", *id, f.caller()); !l) return l;
    if (auto l = log_id(f, "Confirmed(uint256,address)", *id, f.caller()); !l) return l;
    return encode_words({*id});
}

/// Fails unless transaction `id` exists and has not been executed.
core::Result<void> require_pending(Frame& f, const core::U256& id) {
    auto count = load_number(f, kCountSlot);
    if (!count) return core::fail(count.error());
    if (id >= *count) return revert("Multisig: no transaction " + id.to_dec());
    auto executed = load_number(f, field_slot(id, kExecuted));
    if (!executed) return core::fail(executed.error());
    if (!executed->is_zero()) return revert("Multisig: transaction " + id.to_dec() + " executed");
    return {};
}

core::Result<core::Bytes> confirm(Frame& f, const Args& args) {
    const core::U256& id = *args[0].as_uint();
    if (auto owner = require_owner(f); !owner) return core::fail(owner.error());
    if (auto pending = require_pending(f, id); !pending) return core::fail(pending.error());
    auto already = load_number(f, confirmed_slot(id, f.caller()));
    if (!already) return core::fail(already.error());
    if (!already->is_zero()) return revert("Multisig: already confirmed");
    auto count = load_number(f, field_slot(id, kConfirmations));
    if (!count) return core::fail(count.error());
    if (auto s = store_number(f, field_slot(id, kConfirmations), *count + 1); !s) {
        return core::fail(s.error());
    }
    if (auto s = store_number(f, confirmed_slot(id, f.caller()), 1); !s) {
        return core::fail(s.error());
    }
    return log_id(f, "Confirmed(uint256,address)", id, f.caller());
}

core::Result<core::Bytes> execute(Frame& f, const Args& args) {
    const core::U256& id = *args[0].as_uint();
    if (auto owner = require_owner(f); !owner) return core::fail(owner.error());
    if (auto pending = require_pending(f, id); !pending) return core::fail(pending.error());
    auto s = settings(f);
    if (!s) return core::fail(s.error());
    auto count = load_number(f, field_slot(id, kConfirmations));
    if (!count) return core::fail(count.error());
    if (*count < *(*s)[1].as_uint()) return revert("Multisig: not enough confirmations");
    if (auto e = store_number(f, field_slot(id, kExecuted), 1); !e) return core::fail(e.error());
    auto to = f.host.load(f.self(), field_slot(id, kTo));
    if (!to) return core::fail(to.error());
    auto value = load_number(f, field_slot(id, kValue));
    if (!value) return core::fail(value.error());
    auto data = load_data(f, id);
    if (!data) return core::fail(data.error());
    auto called = f.host.nested_call(Message{f.self(), word_address(*to), *value, *data});
    if (!called) {
        if (called.error().code == core::Errc::kOutOfGas) return core::fail(called.error());
        return revert("Multisig: call failed: " + called.error().message);
    }
    return log_id(f, "Executed(uint256)", id, std::nullopt);
}

core::Result<core::Bytes> deposit(Frame& f, const Args&) {
    auto logged = f.host.emit(
        f.self(), {core::keccak256("Deposited(address,uint256)"), address_word(f.caller())},
        encode_words({f.message.value}));
    if (!logged) return core::fail(logged.error());
    return core::Bytes{};
}

core::Result<core::Bytes> owners(Frame& f, const Args&) {
    auto s = settings(f);
    if (!s) return core::fail(s.error());
    return abi::encode({*abi::parse_type("address[]")}, {(*s)[0]});
}

core::Result<core::Bytes> threshold(Frame& f, const Args&) {
    auto s = settings(f);
    if (!s) return core::fail(s.error());
    return encode_words({*(*s)[1].as_uint()});
}

core::Result<core::Bytes> get_transaction(Frame& f, const Args& args) {
    const core::U256& id = *args[0].as_uint();
    auto count = load_number(f, kCountSlot);
    if (!count) return core::fail(count.error());
    if (id >= *count) return revert("Multisig: no transaction " + id.to_dec());
    Args out;
    for (Field field : {kTo, kValue}) {
        auto v = load_number(f, field_slot(id, field));
        if (!v) return core::fail(v.error());
        out.push_back(abi::Value::uint(*v));
    }
    auto data = load_data(f, id);
    if (!data) return core::fail(data.error());
    out.push_back(abi::Value::bytes(*data));
    for (Field field : {kConfirmations, kExecuted}) {
        auto v = load_number(f, field_slot(id, field));
        if (!v) return core::fail(v.error());
        out.push_back(abi::Value::uint(*v));
    }
    static const auto types = abi::parse_signature("t(address,uint256,bytes,uint256,bool)");
    return abi::encode(types->inputs, out);
}

KindSpec make_kind() {
    KindSpec k;
    k.name = "Multisig";
    k.tag = kind_tag(k.name);
    k.holds_ether = true;
    k.constructor = *abi::parse_signature("Multisig(address[],uint256)");
    k.construct = construct;
    k.functions = {
        make_function("submit(address,uint256,bytes)", submit),
        make_function("confirm(uint256)", confirm),
        make_function("execute(uint256)", execute),
        make_function("deposit()", deposit, true),
        make_function("owners()", owners),
        make_function("threshold()", threshold),
        make_function("getTransaction(uint256)", get_transaction),
    };
    return k;
}

}  // namespace

const KindSpec& multisig_kind() {
    static const KindSpec kind = make_kind();
    return kind;
}

}  // namespace mfd::chain::contracts
