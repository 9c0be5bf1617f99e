#include "core/transaction_rules.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "core/keccak.hpp"

namespace mfd::core {
namespace {

constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();

std::uint64_t add_sat(std::uint64_t a, std::uint64_t b) noexcept {
    std::uint64_t out = 0;
    return __builtin_add_overflow(a, b, &out) ? kMaxU64 : out;
}

std::uint64_t mul_sat(std::uint64_t a, std::uint64_t b) noexcept {
    std::uint64_t out = 0;
    return __builtin_mul_overflow(a, b, &out) ? kMaxU64 : out;
}

Result<void> check_chain(const Transaction& tx, const TxRules& rules) {
    const std::string expected = " (chain " + std::to_string(rules.chain_id) + ")";
    if (tx.type != TxType::kLegacy) {
        if (tx.chain_id != rules.chain_id) {
            return fail(
                Errc::kTxInvalidChainId,
                "chain id " + (tx.chain_id ? std::to_string(*tx.chain_id) : "none") + expected);
        }
        if (tx.y_parity > 1) return fail(Errc::kTxInvalidSignature, "yParity is not 0 or 1");
        return {};
    }
    if (tx.v == legacy_v(std::nullopt, 0) || tx.v == legacy_v(std::nullopt, 1)) {
        if (rules.allow_unprotected) return {};
        return fail(Errc::kTxInvalidChainId, "no replay protection (v " + tx.v.to_dec() + ")");
    }
    if (tx.v < U256(2)) return fail(Errc::kTxInvalidSignature, "v " + tx.v.to_dec());
    if (tx.v == legacy_v(rules.chain_id, 0) || tx.v == legacy_v(rules.chain_id, 1)) return {};
    return fail(Errc::kTxInvalidChainId,
                "v " + tx.v.to_dec() + " is not 27/28 or EIP-155" + expected);
}

Result<void> check_signature_values(const Transaction& tx) {
    if (!is_valid_scalar(tx.r.to_be32()) || !is_valid_scalar(tx.s.to_be32())) {
        return fail(Errc::kTxInvalidSignature, "r and s must be in [1, n-1]");
    }
    if (is_high_s(tx.s.to_be32())) return fail(Errc::kTxSignatureHighS, "s above n/2 (EIP-2)");
    return {};
}

Result<void> check_fees(const Transaction& tx) {
    if (tx.type == TxType::kDynamicFee && tx.max_priority_fee_per_gas > tx.max_fee_per_gas) {
        return fail(Errc::kTxPriorityGreaterThanMaxFee,
                    "maxPriorityFeePerGas " + tx.max_priority_fee_per_gas.to_dec() +
                        " > maxFeePerGas " + tx.max_fee_per_gas.to_dec());
    }
    U256 product;
    if (!checked_mul(U256(tx.gas_limit), tx.fee_cap(), product)) {
        return fail(Errc::kTxGasPriceProductOverflow, "gasLimit * fee cap exceeds 256 bits");
    }
    return {};
}

Result<void> check_gas(const Transaction& tx) {
    if (tx.is_create() && tx.data.size() > kMaxInitCodeSize) {
        return fail(Errc::kTxInitCodeTooLarge, "initcode of " + std::to_string(tx.data.size()) +
                                                   " bytes exceeds " +
                                                   std::to_string(kMaxInitCodeSize));
    }
    const std::uint64_t needed = intrinsic_gas(tx);
    if (needed > tx.gas_limit) {
        return fail(Errc::kTxIntrinsicGasTooLow, "gasLimit " + std::to_string(tx.gas_limit) +
                                                     " below intrinsic gas " +
                                                     std::to_string(needed));
    }
    return {};
}

}  // namespace

std::uint64_t intrinsic_gas(const Transaction& tx) noexcept {
    std::uint64_t gas = kTxGas;
    if (tx.is_create()) gas = add_sat(gas, kTxCreateGas);
    const auto zeros = static_cast<std::uint64_t>(std::count(tx.data.begin(), tx.data.end(), 0));
    const std::uint64_t non_zeros = tx.data.size() - zeros;
    gas = add_sat(gas, mul_sat(zeros, kTxDataZeroGas));
    gas = add_sat(gas, mul_sat(non_zeros, kTxDataNonZeroGas));
    for (const AccessListEntry& entry : tx.access_list) {
        gas = add_sat(gas, kTxAccessListAddressGas);
        gas = add_sat(gas, mul_sat(entry.storage_keys.size(), kTxAccessListStorageKeyGas));
    }
    if (tx.is_create()) {
        const std::uint64_t words = (tx.data.size() + 31) / 32;
        gas = add_sat(gas, mul_sat(words, kInitCodeWordGas));
    }
    return gas;
}

Result<void> validate_transaction(const Transaction& tx, const TxRules& rules) {
    if (auto r = check_chain(tx, rules); !r) return r;
    if (auto r = check_signature_values(tx); !r) return r;
    if (tx.nonce == kMaxU64) return fail(Errc::kTxNonceTooBig, "nonce 2^64-1 (EIP-2681)");
    if (auto r = check_fees(tx); !r) return r;
    return check_gas(tx);
}

Result<CheckedTransaction> check_transaction(ByteView raw, const TxRules& rules) {
    auto tx = decode_transaction(raw);
    if (!tx) return fail(tx.error());
    if (auto valid = validate_transaction(*tx, rules); !valid) return fail(valid.error());
    auto sender = recover_sender(*tx);
    if (!sender) return fail(sender.error());
    return CheckedTransaction{std::move(*tx), *sender, keccak256(raw)};
}

}  // namespace mfd::core
