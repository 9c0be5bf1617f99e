#pragma once
/// The stateless validity rules of Ethereum's Shanghai fork for a decoded transaction, and its
/// intrinsic gas. Rules that need state (nonce order, balance, base fee, block gas) belong to the
/// chain. Thread-safe: pure functions.

#include <cstdint>

#include "core/transaction.hpp"

namespace mfd::core {

inline constexpr std::uint64_t kTxGas = 21000;                     ///< every transaction
inline constexpr std::uint64_t kTxCreateGas = 32000;               ///< extra for contract creation
inline constexpr std::uint64_t kTxDataZeroGas = 4;                 ///< per zero calldata byte
inline constexpr std::uint64_t kTxDataNonZeroGas = 16;             ///< per non-zero byte (EIP-2028)
inline constexpr std::uint64_t kTxAccessListAddressGas = 2400;     ///< EIP-2930
inline constexpr std::uint64_t kTxAccessListStorageKeyGas = 1900;  ///< EIP-2930
inline constexpr std::uint64_t kInitCodeWordGas = 2;               ///< per 32-byte word (EIP-3860)
inline constexpr std::size_t kMaxInitCodeSize = 49152;             ///< EIP-3860

/// What the chain expects of a transaction.
struct TxRules {
    std::uint64_t chain_id = 1;
    /// Accept legacy transactions without replay protection (v = 27/28), as Ethereum does.
    bool allow_unprotected = true;
};

/// Gas charged before execution: 21000, +32000 for a create, 4 per zero and 16 per non-zero
/// data byte, 2400 per access-list address and 1900 per storage key, and for a create 2 per
/// 32-byte word of initcode (EIP-3860). Saturates at 2^64-1 instead of wrapping.
[[nodiscard]] std::uint64_t intrinsic_gas(const Transaction& tx) noexcept;

/// Applies the stateless Shanghai rules, in this order: v and chain id (kTxInvalidChainId;
/// kTxInvalidSignature for a typed yParity above 1 or a legacy v of 0 or 1), r and s in [1, n-1]
/// (kTxInvalidSignature), low s (kTxSignatureHighS, EIP-2), nonce below 2^64-1
/// (kTxNonceTooBig, EIP-2681), priority fee <= max fee (kTxPriorityGreaterThanMaxFee), gas limit
/// times fee cap within 256 bits (kTxGasPriceProductOverflow), initcode size
/// (kTxInitCodeTooLarge) and intrinsic gas (kTxIntrinsicGasTooLow). Does not recover the sender.
[[nodiscard]] Result<void> validate_transaction(const Transaction& tx, const TxRules& rules);

/// A transaction that passed every stateless check, with its sender and hash.
struct CheckedTransaction {
    Transaction tx;
    Address sender;
    Hash hash;
};

/// decode_transaction, validate_transaction and recover_sender in one call, as a mempool admits
/// a raw transaction; the first failure is returned.
[[nodiscard]] Result<CheckedTransaction> check_transaction(ByteView raw, const TxRules& rules);

}  // namespace mfd::core
