#include "chain_sim/contracts/erc20.hpp"

#include "chain_sim/contracts/kind.hpp"
#include "core/keccak.hpp"

namespace mfd::chain::contracts {
namespace {

namespace abi = core::abi;

const core::Hash kSupplySlot = slot_at(0);
const core::Hash kBalancesSlot = slot_at(1);
const core::Hash kAllowancesSlot = slot_at(2);
const core::U256 kUnlimited = core::U256::max();

const std::vector<abi::Type>& string_type() {
    static const std::vector<abi::Type> types = {*abi::parse_type("string")};
    return types;
}

const std::vector<abi::Type>& constructor_types() {
    return erc20_kind().constructor.inputs;
}

const core::Hash& transfer_topic() {
    static const core::Hash topic = core::keccak256("Transfer(address,address,uint256)");
    return topic;
}

const core::Hash& approval_topic() {
    static const core::Hash topic = core::keccak256("Approval(address,address,uint256)");
    return topic;
}

/// Moves `amount` from `from` to `to` and logs Transfer.
core::Result<void> move_tokens(Frame& f, const core::Address& from, const core::Address& to,
                               const core::U256& amount) {
    if (to.is_zero()) return revert("ERC20: transfer to the zero address");
    auto from_balance = load_number(f, erc20_balance_slot(from));
    if (!from_balance) return core::fail(from_balance.error());
    if (*from_balance < amount) return revert("ERC20: transfer amount exceeds balance");
    auto debited = store_number(f, erc20_balance_slot(from), *from_balance - amount);
    if (!debited) return debited;
    auto to_balance = load_number(f, erc20_balance_slot(to));
    if (!to_balance) return core::fail(to_balance.error());
    auto credited = store_number(f, erc20_balance_slot(to), *to_balance + amount);
    if (!credited) return credited;
    return f.host.emit(f.self(), {transfer_topic(), address_word(from), address_word(to)},
                       encode_words({amount}));
}

core::Result<void> set_allowance(Frame& f, const core::Address& owner, const core::Address& spender,
                                 const core::U256& amount) {
    return store_number(f, erc20_allowance_slot(owner, spender), amount);
}

core::Result<core::Bytes> construct(Frame& f, const Args& args) {
    const core::U256& supply = *args[3].as_uint();
    if (auto s = store_number(f, kSupplySlot, supply); !s) return core::fail(s.error());
    if (auto b = store_number(f, erc20_balance_slot(f.caller()), supply); !b) {
        return core::fail(b.error());
    }
    auto logged = f.host.emit(f.self(), {transfer_topic(), core::Hash{}, address_word(f.caller())},
                              encode_words({supply}));
    if (!logged) return core::fail(logged.error());
    return core::Bytes{};
}

core::Result<core::Bytes> name(Frame& f, const Args&) {
    auto ctor = code_args(f, constructor_types());
    if (!ctor) return core::fail(ctor.error());
    return abi::encode(string_type(), {(*ctor)[0]});
}

core::Result<core::Bytes> symbol(Frame& f, const Args&) {
    auto ctor = code_args(f, constructor_types());
    if (!ctor) return core::fail(ctor.error());
    return abi::encode(string_type(), {(*ctor)[1]});
}

core::Result<core::Bytes> decimals(Frame& f, const Args&) {
    auto ctor = code_args(f, constructor_types());
    if (!ctor) return core::fail(ctor.error());
    return encode_words({*(*ctor)[2].as_uint()});
}

core::Result<core::Bytes> total_supply(Frame& f, const Args&) {
    auto supply = load_number(f, kSupplySlot);
    if (!supply) return core::fail(supply.error());
    return encode_words({*supply});
}

core::Result<core::Bytes> balance_of(Frame& f, const Args& args) {
    auto balance = load_number(f, erc20_balance_slot(args[0].as_address()));
    if (!balance) return core::fail(balance.error());
    return encode_words({*balance});
}

core::Result<core::Bytes> allowance(Frame& f, const Args& args) {
    auto value = load_number(f, erc20_allowance_slot(args[0].as_address(), args[1].as_address()));
    if (!value) return core::fail(value.error());
    return encode_words({*value});
}

core::Result<core::Bytes> transfer(Frame& f, const Args& args) {
    auto moved = move_tokens(f, f.caller(), args[0].as_address(), *args[1].as_uint());
    if (!moved) return core::fail(moved.error());
    return encode_words({1});
}

core::Result<core::Bytes> approve(Frame& f, const Args& args) {
    const core::Address spender = args[0].as_address();
    const core::U256& amount = *args[1].as_uint();
    if (spender.is_zero()) return revert("ERC20: approve to the zero address");
    if (auto set = set_allowance(f, f.caller(), spender, amount); !set) {
        return core::fail(set.error());
    }
    auto logged =
        f.host.emit(f.self(), {approval_topic(), address_word(f.caller()), address_word(spender)},
                    encode_words({amount}));
    if (!logged) return core::fail(logged.error());
    return encode_words({1});
}

core::Result<core::Bytes> transfer_from(Frame& f, const Args& args) {
    const core::Address from = args[0].as_address();
    const core::U256& amount = *args[2].as_uint();
    auto allowed = load_number(f, erc20_allowance_slot(from, f.caller()));
    if (!allowed) return core::fail(allowed.error());
    if (*allowed < amount) return revert("ERC20: insufficient allowance");
    if (*allowed != kUnlimited) {
        if (auto set = set_allowance(f, from, f.caller(), *allowed - amount); !set) {
            return core::fail(set.error());
        }
    }
    auto moved = move_tokens(f, from, args[1].as_address(), amount);
    if (!moved) return core::fail(moved.error());
    return encode_words({1});
}

KindSpec make_kind() {
    KindSpec k;
    k.name = "ERC20";
    k.tag = kind_tag(k.name);
    k.constructor = *abi::parse_signature("ERC20(string,string,uint8,uint256)");
    k.construct = construct;
    k.functions = {
        make_function("name()", name),
        make_function("symbol()", symbol),
        make_function("decimals()", decimals),
        make_function("totalSupply()", total_supply),
        make_function("balanceOf(address)", balance_of),
        make_function("allowance(address,address)", allowance),
        make_function("transfer(address,uint256)", transfer),
        make_function("approve(address,uint256)", approve),
        make_function("transferFrom(address,address,uint256)", transfer_from),
    };
    return k;
}

/// A nested call of `signature` on `token` that must return true.
core::Result<void> call_token(Frame& f, const core::Address& token, const abi::Signature& signature,
                              const Args& values) {
    auto data = abi::encode_call(signature, values);
    if (!data) return core::fail(core::Errc::kInternal, data.error().message);
    auto output = f.host.nested_call(Message{f.self(), token, core::U256{}, *data});
    if (!output) return core::fail(output.error());
    static const std::vector<abi::Type> bool_type = {*abi::parse_type("bool")};
    auto ok = abi::decode(bool_type, *output);
    if (!ok || (*ok)[0] != abi::Value::boolean(true)) {
        return revert(signature.canonical + " on " + token.hex() + " did not return true");
    }
    return {};
}

}  // namespace

core::Hash erc20_balance_slot(const core::Address& owner) noexcept {
    return mapping_slot(address_word(owner), kBalancesSlot);
}

core::Hash erc20_allowance_slot(const core::Address& owner, const core::Address& spender) noexcept {
    return mapping_slot(address_word(spender), mapping_slot(address_word(owner), kAllowancesSlot));
}

core::Result<void> erc20_transfer_from(Frame& f, const core::Address& token,
                                       const core::Address& from, const core::Address& to,
                                       const core::U256& amount) {
    static const abi::Signature sig =
        *abi::parse_signature("transferFrom(address,address,uint256)");
    return call_token(
        f, token, sig,
        {abi::Value::address(from), abi::Value::address(to), abi::Value::uint(amount)});
}

core::Result<void> erc20_transfer(Frame& f, const core::Address& token, const core::Address& to,
                                  const core::U256& amount) {
    static const abi::Signature sig = *abi::parse_signature("transfer(address,uint256)");
    return call_token(f, token, sig, {abi::Value::address(to), abi::Value::uint(amount)});
}

const KindSpec& erc20_kind() {
    static const KindSpec kind = make_kind();
    return kind;
}

}  // namespace mfd::chain::contracts
