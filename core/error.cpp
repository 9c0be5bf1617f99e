#include "core/error.hpp"

namespace mfd::core {

std::string_view reason_name(Errc code) noexcept {
    switch (code) {
    case Errc::kOk: return "OK";
    case Errc::kInvalidArgument: return "INVALID_ARGUMENT";
    case Errc::kNotFound: return "NOT_FOUND";
    case Errc::kIo: return "IO_ERROR";
    case Errc::kCorruption: return "CORRUPTION";
    case Errc::kUnavailable: return "UNAVAILABLE";
    case Errc::kOutOfRange: return "OUT_OF_RANGE";
    case Errc::kLimitExceeded: return "LIMIT_EXCEEDED";
    case Errc::kInternal: return "INTERNAL";
    case Errc::kTimeout: return "TIMEOUT";
    case Errc::kBadHex: return "BAD_HEX";
    case Errc::kBadNumber: return "BAD_NUMBER";
    case Errc::kRlpEof: return "RLP_ERROR_EOF";
    case Errc::kRlpTrailingBytes: return "RLP_TRAILING_BYTES";
    case Errc::kRlpLeadingZeros: return "RLP_LEADING_ZEROS";
    case Errc::kRlpNonCanonicalSize: return "RLP_NON_CANONICAL_SIZE";
    case Errc::kRlpSingleByteString: return "RLP_SINGLE_BYTE_STRING";
    case Errc::kRlpTooDeep: return "RLP_TOO_DEEP";
    case Errc::kRlpExpectedList: return "RLP_EXPECTED_LIST";
    case Errc::kRlpExpectedString: return "RLP_EXPECTED_STRING";
    case Errc::kRlpWrongFieldCount: return "RLP_WRONG_FIELD_COUNT";
    case Errc::kRlpSizeOverflow: return "RLP_ERROR_SIZE";
    case Errc::kTxTypeNotSupported: return "TYPE_NOT_SUPPORTED";
    case Errc::kTxInvalidChainId: return "INVALID_CHAINID";
    case Errc::kTxInvalidSignature: return "INVALID_SIGNATURE_VRS";
    case Errc::kTxSignatureHighS: return "SIGNATURE_HIGH_S";
    case Errc::kTxRecoveryFailed: return "EC_RECOVERY_FAIL";
    case Errc::kTxNonceOverflow: return "NONCE_OVERFLOW";
    case Errc::kTxNonceTooBig: return "NONCE_TOO_BIG";
    case Errc::kTxGasLimitOverflow: return "GASLIMIT_OVERFLOW";
    case Errc::kTxGasPriceOverflow: return "GASPRICE_OVERFLOW";
    case Errc::kTxValueOverflow: return "VALUE_OVERFLOW";
    case Errc::kTxPriorityFeeOverflow: return "PRIORITY_OVERFLOW";
    case Errc::kTxPriorityGreaterThanMaxFee: return "PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS";
    case Errc::kTxGasPriceProductOverflow: return "GASLIMIT_PRICE_PRODUCT_OVERFLOW";
    case Errc::kTxAddressTooShort: return "ADDRESS_TOO_SHORT";
    case Errc::kTxAddressTooLong: return "ADDRESS_TOO_LONG";
    case Errc::kTxAccessListAddress: return "INVALID_ACCESS_LIST_ADDRESS";
    case Errc::kTxAccessListStorageKey: return "INVALID_ACCESS_LIST_STORAGE_KEY";
    case Errc::kTxAccessListShape: return "INVALID_ACCESS_LIST";
    case Errc::kTxIntrinsicGasTooLow: return "INTRINSIC_GAS_TOO_LOW";
    case Errc::kTxInitCodeTooLarge: return "INITCODE_SIZE_EXCEEDED";
    case Errc::kTxSenderMismatch: return "SENDER_MISMATCH";
    case Errc::kTxNonceTooLow: return "NONCE_MISMATCH_TOO_LOW";
    case Errc::kTxNonceTooHigh: return "NONCE_MISMATCH_TOO_HIGH";
    case Errc::kTxInsufficientFunds: return "INSUFFICIENT_ACCOUNT_FUNDS";
    case Errc::kTxFeeCapBelowBaseFee: return "INSUFFICIENT_MAX_FEE_PER_GAS";
    case Errc::kTxGasLimitExceedsBlock: return "GAS_ALLOWANCE_EXCEEDED";
    case Errc::kTxSenderNotEoa: return "SENDER_NOT_EOA";
    case Errc::kTxAlreadyKnown: return "ALREADY_KNOWN";
    case Errc::kRevert: return "REVERT";
    case Errc::kOutOfGas: return "OUT_OF_GAS";
    case Errc::kAbiDecode: return "ABI_DECODE_ERROR";
    case Errc::kUnknownSelector: return "UNKNOWN_SELECTOR";
    case Errc::kBadKey: return "BAD_KEY";
    case Errc::kTxRlpTooFewElements: return "RLP_TOO_FEW_ELEMENTS";
    case Errc::kTxRlpTooManyElements: return "RLP_TOO_MANY_ELEMENTS";
    case Errc::kTxRlpListSizeLeadingZeros: return "RLP_ERROR_SIZE_LEADING_ZEROS";
    case Errc::kTxLeadingZerosNonce: return "RLP_LEADING_ZEROS_NONCE";
    case Errc::kTxLeadingZerosNonceSize: return "RLP_LEADING_ZEROS_NONCE_SIZE";
    case Errc::kTxLeadingZerosGasPrice: return "RLP_LEADING_ZEROS_GASPRICE";
    case Errc::kTxLeadingZerosMaxFee: return "RLP_LEADING_ZEROS_BASEFEE";
    case Errc::kTxLeadingZerosPriorityFee: return "RLP_LEADING_ZEROS_PRIORITY_FEE";
    case Errc::kTxLeadingZerosGasLimit: return "RLP_LEADING_ZEROS_GASLIMIT";
    case Errc::kTxLeadingZerosValue: return "RLP_LEADING_ZEROS_VALUE";
    case Errc::kTxLeadingZerosDataSize: return "RLP_LEADING_ZEROS_DATA_SIZE";
    case Errc::kTxLeadingZerosV: return "RLP_LEADING_ZEROS_V";
    case Errc::kTxLeadingZerosR: return "RLP_LEADING_ZEROS_R";
    case Errc::kTxLeadingZerosS: return "RLP_LEADING_ZEROS_S";
    case Errc::kTxInvalidNonce: return "RLP_INVALID_NONCE";
    case Errc::kTxInvalidGasLimit: return "RLP_INVALID_GASLIMIT";
    case Errc::kTxInvalidTo: return "RLP_INVALID_TO";
    case Errc::kTxInvalidData: return "RLP_INVALID_DATA";
    case Errc::kTxInvalidSignatureR: return "RLP_INVALID_SIGNATURE_R";
    case Errc::kTxInvalidSignatureS: return "RLP_INVALID_SIGNATURE_S";
    case Errc::kTxAccessListAddressTooShort: return "RLP_INVALID_ACCESS_LIST_ADDRESS_TOO_SHORT";
    case Errc::kTxAccessListAddressTooLong: return "RLP_INVALID_ACCESS_LIST_ADDRESS_TOO_LONG";
    case Errc::kTxAccessListStorageTooShort: return "RLP_INVALID_ACCESS_LIST_STORAGE_TOO_SHORT";
    case Errc::kTxAccessListStorageTooLong: return "RLP_INVALID_ACCESS_LIST_STORAGE_TOO_LONG";
    case Errc::kBlockTxRootMismatch: return "INVALID_TRANSACTIONS_ROOT";
    case Errc::kBlockConsensusRootMismatch: return "INVALID_CONSENSUS_ROOT";
    case Errc::kReceiptBloomMismatch: return "INVALID_LOG_BLOOM";
    }
    return "UNKNOWN";
}

std::optional<Errc> errc_from_value(std::uint16_t value) noexcept {
    const auto code = static_cast<Errc>(value);
    if (reason_name(code) == "UNKNOWN") return std::nullopt;
    return code;
}

std::string Error::to_string() const {
    std::string out(reason_name(code));
    if (!message.empty()) {
        out += ": ";
        out += message;
    }
    return out;
}

}  // namespace mfd::core
