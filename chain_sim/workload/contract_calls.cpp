#include "chain_sim/workload/contract_calls.hpp"

#include <string>

#include "core/abi.hpp"
#include "core/keccak.hpp"
#include "core/rlp.hpp"

namespace mfd::chain::workload {
namespace {

namespace abi = core::abi;

/// The parsed signature of `text`; the texts here are constants known to parse.
abi::Signature signature(std::string_view text) {
    return *abi::parse_signature(text);
}

core::Bytes call(const abi::Signature& sig, const std::vector<abi::Value>& values) {
    auto data = abi::encode_call(sig, values);
    return data ? std::move(*data) : core::Bytes{};
}

core::Bytes deploy(std::string_view kind, const abi::Signature& ctor,
                   const std::vector<abi::Value>& values) {
    core::Bytes out = contract_kind_tag(kind);
    auto args = abi::encode(ctor.inputs, values);
    if (args) core::append(out, *args);
    return out;
}

}  // namespace

core::Bytes contract_kind_tag(std::string_view kind) {
    const core::Hash h = core::keccak256("mfd.contract." + std::string(kind));
    return core::Bytes(h.bytes.begin(), h.bytes.begin() + 4);
}

core::Bytes erc20_deploy(std::string_view name, std::string_view symbol, std::uint8_t decimals,
                         const core::U256& supply) {
    static const abi::Signature ctor = signature("ERC20(string,string,uint8,uint256)");
    return deploy("ERC20", ctor,
                  {abi::Value::string(name), abi::Value::string(symbol), abi::Value::uint(decimals),
                   abi::Value::uint(supply)});
}

core::Bytes swap_pool_deploy(const core::Address& token_a, const core::Address& token_b) {
    static const abi::Signature ctor = signature("SwapPool(address,address)");
    return deploy("SwapPool", ctor, {abi::Value::address(token_a), abi::Value::address(token_b)});
}

core::Bytes escrow_deploy(const core::Address& beneficiary, const core::Address& arbiter) {
    static const abi::Signature ctor = signature("Escrow(address,address)");
    return deploy("Escrow", ctor, {abi::Value::address(beneficiary), abi::Value::address(arbiter)});
}

core::Bytes multisig_deploy(const std::vector<core::Address>& owners, std::uint64_t threshold) {
    static const abi::Signature ctor = signature("Multisig(address[],uint256)");
    abi::Value::List list;
    for (const auto& o : owners) list.push_back(abi::Value::address(o));
    return deploy("Multisig", ctor,
                  {abi::Value::list(std::move(list)), abi::Value::uint(threshold)});
}

core::Bytes erc20_transfer(const core::Address& to, const core::U256& amount) {
    static const abi::Signature sig = signature("transfer(address,uint256)");
    return call(sig, {abi::Value::address(to), abi::Value::uint(amount)});
}

core::Bytes erc20_approve(const core::Address& spender, const core::U256& amount) {
    static const abi::Signature sig = signature("approve(address,uint256)");
    return call(sig, {abi::Value::address(spender), abi::Value::uint(amount)});
}

core::Bytes erc20_transfer_from(const core::Address& from, const core::Address& to,
                                const core::U256& amount) {
    static const abi::Signature sig = signature("transferFrom(address,address,uint256)");
    return call(sig,
                {abi::Value::address(from), abi::Value::address(to), abi::Value::uint(amount)});
}

core::Bytes pool_add_liquidity(const core::U256& amount_a, const core::U256& amount_b) {
    static const abi::Signature sig = signature("addLiquidity(uint256,uint256)");
    return call(sig, {abi::Value::uint(amount_a), abi::Value::uint(amount_b)});
}

core::Bytes pool_swap(const core::Address& token_in, const core::U256& amount_in,
                      const core::U256& min_amount_out) {
    static const abi::Signature sig = signature("swap(address,uint256,uint256)");
    return call(sig, {abi::Value::address(token_in), abi::Value::uint(amount_in),
                      abi::Value::uint(min_amount_out)});
}

core::Bytes escrow_release() {
    static const abi::Signature sig = signature("release()");
    return call(sig, {});
}

core::Bytes payable_deposit() {
    static const abi::Signature sig = signature("deposit()");
    return call(sig, {});
}

core::Address create_address(const core::Address& sender, std::uint64_t nonce) {
    core::RlpEncoder rlp;
    rlp.begin_list().add_bytes(sender.view()).add_uint(nonce).end_list();
    auto encoded = rlp.take();
    const core::Hash h = core::keccak256(encoded ? *encoded : core::Bytes{});
    return core::Address::right_aligned(h.view());
}

core::U256 swap_output(const core::U256& reserve_in, const core::U256& reserve_out,
                       const core::U256& amount_in) {
    core::U256 in_fee, numerator, scaled_reserve, denominator;
    if (!core::checked_mul(amount_in, 997, in_fee) ||
        !core::checked_mul(reserve_out, in_fee, numerator) ||
        !core::checked_mul(reserve_in, 1000, scaled_reserve) ||
        !core::checked_add(scaled_reserve, in_fee, denominator) || denominator.is_zero()) {
        return core::U256{};
    }
    return numerator / denominator;
}

}  // namespace mfd::chain::workload
