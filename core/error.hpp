#pragma once
/// Errors as values: every fallible function of the project returns `Result<T>`, which holds
/// either a value or an `Error` (a reason code and a human message). Nothing throws out of core.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mfd::core {

/// Why something failed. Transaction reasons follow ethereum/tests' `TransactionException` names
/// (see `reason_name`), so a rejection reads the same as in the reference test suites.
enum class Errc : std::uint16_t {
    kOk = 0,
    // Generic
    kInvalidArgument,  ///< a caller passed something outside the documented domain
    kNotFound,         ///< a key, file or record does not exist
    kIo,               ///< the operating system or a library reported an I/O failure
    kCorruption,       ///< stored bytes do not decode to what was written
    kUnavailable,      ///< a resource (device, file, service) cannot be used now
    kOutOfRange,       ///< a number does not fit the target type
    kLimitExceeded,    ///< an input exceeds a configured size or count bound
    kInternal,         ///< a bug: an invariant of our own code does not hold
    kTimeout,          ///< an operation ran past its budget
    // Hex and numbers
    kBadHex,           ///< not an even-length run of hex digits (after an optional 0x)
    kBadNumber,        ///< not a decimal/hex number of the expected width
    // RLP (each rejects a non-canonical or malformed encoding)
    kRlpEof,               ///< input is empty or ends inside an item's header
    kRlpTrailingBytes,     ///< bytes left after the top-level item
    kRlpLeadingZeros,      ///< a length or integer with leading zero bytes
    kRlpNonCanonicalSize,  ///< long form used for a payload under 56 bytes
    kRlpSingleByteString,  ///< a byte < 0x80 wrapped as a one-byte string
    kRlpTooDeep,           ///< lists nested beyond the decoder's limit
    kRlpExpectedList,      ///< a string where the schema wants a list
    kRlpExpectedString,    ///< a list where the schema wants a string
    kRlpWrongFieldCount,   ///< a list with too few or too many elements
    kRlpSizeOverflow,      ///< an announced length runs past the input or the enclosing list
    // Transactions: decoding and stateless validity (Shanghai)
    kTxTypeNotSupported,
    kTxInvalidChainId,
    kTxInvalidSignature,       ///< v/r/s out of range (zero, >= n, v not 27/28 or EIP-155)
    kTxSignatureHighS,         ///< s > n/2 (EIP-2)
    kTxRecoveryFailed,         ///< no public key recovers from the signature
    kTxNonceOverflow,          ///< nonce wider than 64 bits
    kTxNonceTooBig,            ///< nonce == 2^64-1 (EIP-2681)
    kTxGasLimitOverflow,       ///< gas limit wider than 64 bits
    kTxGasPriceOverflow,       ///< a fee field wider than 256 bits
    kTxValueOverflow,          ///< value wider than 256 bits
    kTxPriorityFeeOverflow,
    kTxPriorityGreaterThanMaxFee,
    kTxGasPriceProductOverflow,  ///< gas limit times fee cap overflows 256 bits
    kTxAddressTooShort,
    kTxAddressTooLong,
    kTxAccessListAddress,      ///< access list address not 20 bytes
    kTxAccessListStorageKey,   ///< access list storage key not 32 bytes
    kTxAccessListShape,        ///< access list entry is not [address, [keys...]]
    kTxIntrinsicGasTooLow,
    kTxInitCodeTooLarge,       ///< EIP-3860
    kTxSenderMismatch,         ///< the signature does not recover to the claimed sender
    // Transactions: stateful rules (applied by the chain)
    kTxNonceTooLow,
    kTxNonceTooHigh,
    kTxInsufficientFunds,
    kTxFeeCapBelowBaseFee,
    kTxGasLimitExceedsBlock,
    kTxSenderNotEoa,
    kTxAlreadyKnown,
    // Contracts
    kRevert,
    kOutOfGas,
    kAbiDecode,
    kUnknownSelector,
    // Crypto
    kBadKey,
    // Transactions: field-level decoding errors, named as ethereum/tests names them
    kTxRlpTooFewElements,        ///< the transaction list has fewer fields than its type
    kTxRlpTooManyElements,       ///< the transaction list has more fields than its type
    kTxRlpListSizeLeadingZeros,  ///< the transaction list's long-form length has leading zeros
    kTxLeadingZerosNonce,        ///< nonce integer with leading zero bytes
    kTxLeadingZerosNonceSize,    ///< nonce as a one-byte string that should be a single byte
    kTxLeadingZerosGasPrice,
    kTxLeadingZerosMaxFee,       ///< maxFeePerGas (ethereum/tests calls it BASEFEE)
    kTxLeadingZerosPriorityFee,
    kTxLeadingZerosGasLimit,
    kTxLeadingZerosValue,
    kTxLeadingZerosDataSize,     ///< data's long-form length has leading zeros
    kTxLeadingZerosV,
    kTxLeadingZerosR,
    kTxLeadingZerosS,
    kTxInvalidNonce,             ///< nonce given as a list
    kTxInvalidGasLimit,          ///< gas limit given as a list
    kTxInvalidTo,                ///< `to` given as a list
    kTxInvalidData,              ///< data given as a list
    kTxInvalidSignatureR,        ///< r given as a list
    kTxInvalidSignatureS,        ///< s given as a list
    kTxAccessListAddressTooShort,
    kTxAccessListAddressTooLong,
    kTxAccessListStorageTooShort,
    kTxAccessListStorageTooLong,
    // Blocks and receipts
    kBlockTxRootMismatch,         ///< header.transactions_root is not the root of the body
    kBlockConsensusRootMismatch,  ///< header.consensus_root is not the hash of the payload
    kReceiptBloomMismatch,        ///< a receipt's logs bloom is not the bloom of its logs
};

/// The ethereum/tests-style name of a reason, e.g. "INVALID_CHAINID"; generic codes get a
/// descriptive upper-case name too.
[[nodiscard]] std::string_view reason_name(Errc code) noexcept;

/// The Errc whose numeric value is `value`, or std::nullopt when no reason has that value (for
/// decoding stored reason codes). Thread-safe.
[[nodiscard]] std::optional<Errc> errc_from_value(std::uint16_t value) noexcept;

/// A failure: what went wrong (`code`) and a message for people that names the offending input.
struct Error {
    Errc code = Errc::kInternal;
    std::string message;

    /// "REASON_NAME: message".
    [[nodiscard]] std::string to_string() const;
};

}  // namespace mfd::core
