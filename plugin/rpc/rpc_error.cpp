#include "plugin/rpc/rpc_error.hpp"

#include <spdlog/spdlog.h>

namespace mfd::rpc {
namespace {

using core::Errc;

/// The JSON-RPC code of each core reason we place explicitly.
struct Mapping {
    Errc reason;
    ErrorCode code;
};

constexpr Mapping kTable[] = {
    {Errc::kInvalidArgument, ErrorCode::kInvalidParams},
    {Errc::kBadHex, ErrorCode::kInvalidParams},
    {Errc::kBadNumber, ErrorCode::kInvalidParams},
    {Errc::kOutOfRange, ErrorCode::kInvalidParams},
    {Errc::kBadKey, ErrorCode::kInvalidParams},
    {Errc::kRlpEof, ErrorCode::kInvalidParams},
    {Errc::kRlpTrailingBytes, ErrorCode::kInvalidParams},
    {Errc::kRlpLeadingZeros, ErrorCode::kInvalidParams},
    {Errc::kRlpNonCanonicalSize, ErrorCode::kInvalidParams},
    {Errc::kRlpSingleByteString, ErrorCode::kInvalidParams},
    {Errc::kRlpTooDeep, ErrorCode::kInvalidParams},
    {Errc::kRlpExpectedList, ErrorCode::kInvalidParams},
    {Errc::kRlpExpectedString, ErrorCode::kInvalidParams},
    {Errc::kRlpWrongFieldCount, ErrorCode::kInvalidParams},
    {Errc::kRlpSizeOverflow, ErrorCode::kInvalidParams},
    {Errc::kNotFound, ErrorCode::kResourceNotFound},
    {Errc::kUnavailable, ErrorCode::kResourceUnavailable},
    {Errc::kLimitExceeded, ErrorCode::kLimitExceeded},
    {Errc::kTimeout, ErrorCode::kTimeout},
    {Errc::kTxTypeNotSupported, ErrorCode::kTransactionRejected},
    {Errc::kTxInvalidChainId, ErrorCode::kTransactionRejected},
    {Errc::kTxInvalidSignature, ErrorCode::kTransactionRejected},
    {Errc::kTxSignatureHighS, ErrorCode::kTransactionRejected},
    {Errc::kTxRecoveryFailed, ErrorCode::kTransactionRejected},
    {Errc::kTxNonceOverflow, ErrorCode::kTransactionRejected},
    {Errc::kTxNonceTooBig, ErrorCode::kTransactionRejected},
    {Errc::kTxGasLimitOverflow, ErrorCode::kTransactionRejected},
    {Errc::kTxGasPriceOverflow, ErrorCode::kTransactionRejected},
    {Errc::kTxValueOverflow, ErrorCode::kTransactionRejected},
    {Errc::kTxPriorityFeeOverflow, ErrorCode::kTransactionRejected},
    {Errc::kTxPriorityGreaterThanMaxFee, ErrorCode::kTransactionRejected},
    {Errc::kTxGasPriceProductOverflow, ErrorCode::kTransactionRejected},
    {Errc::kTxAddressTooShort, ErrorCode::kTransactionRejected},
    {Errc::kTxAddressTooLong, ErrorCode::kTransactionRejected},
    {Errc::kTxAccessListAddress, ErrorCode::kTransactionRejected},
    {Errc::kTxAccessListStorageKey, ErrorCode::kTransactionRejected},
    {Errc::kTxAccessListShape, ErrorCode::kTransactionRejected},
    {Errc::kTxIntrinsicGasTooLow, ErrorCode::kTransactionRejected},
    {Errc::kTxInitCodeTooLarge, ErrorCode::kTransactionRejected},
    {Errc::kTxSenderMismatch, ErrorCode::kTransactionRejected},
    {Errc::kTxNonceTooLow, ErrorCode::kTransactionRejected},
    {Errc::kTxNonceTooHigh, ErrorCode::kTransactionRejected},
    {Errc::kTxInsufficientFunds, ErrorCode::kTransactionRejected},
    {Errc::kTxFeeCapBelowBaseFee, ErrorCode::kTransactionRejected},
    {Errc::kTxGasLimitExceedsBlock, ErrorCode::kTransactionRejected},
    {Errc::kTxSenderNotEoa, ErrorCode::kTransactionRejected},
    {Errc::kTxAlreadyKnown, ErrorCode::kTransactionRejected},
    {Errc::kRevert, ErrorCode::kInvalidInput},
    {Errc::kOutOfGas, ErrorCode::kInvalidInput},
    {Errc::kAbiDecode, ErrorCode::kInvalidInput},
    {Errc::kUnknownSelector, ErrorCode::kInvalidInput},
    {Errc::kOk, ErrorCode::kInternalError},
    {Errc::kIo, ErrorCode::kInternalError},
    {Errc::kCorruption, ErrorCode::kInternalError},
    {Errc::kInternal, ErrorCode::kInternalError},
};

/// Reasons core adds later and nobody places in the table yet are caller-input failures in
/// practice (decoding, validation), so they default to -32000.
ErrorCode code_of(Errc reason) noexcept {
    for (const auto& m : kTable) {
        if (m.reason == reason) return m.code;
    }
    return ErrorCode::kInvalidInput;
}

}  // namespace

std::string_view standard_message(ErrorCode code) noexcept {
    switch (code) {
    case ErrorCode::kParseError:
        return "Parse error";
    case ErrorCode::kInvalidRequest:
        return "Invalid Request";
    case ErrorCode::kMethodNotFound:
        return "Method not found";
    case ErrorCode::kInvalidParams:
        return "Invalid params";
    case ErrorCode::kInternalError:
        return "Internal error";
    case ErrorCode::kInvalidInput:
        return "Invalid input";
    case ErrorCode::kResourceNotFound:
        return "Resource not found";
    case ErrorCode::kResourceUnavailable:
        return "Resource unavailable";
    case ErrorCode::kTransactionRejected:
        return "Transaction rejected";
    case ErrorCode::kMethodNotSupported:
        return "Method not supported";
    case ErrorCode::kLimitExceeded:
        return "Limit exceeded";
    case ErrorCode::kTimeout:
        return "Request timed out";
    }
    return "Server error";
}

RpcError::RpcError(ErrorCode code, std::string message, nlohmann::json data)
    : code_(static_cast<int>(code)),
      message_(message.empty() ? std::string(standard_message(code)) : std::move(message)),
      data_(std::move(data)) {}

RpcError::RpcError(int code, std::string message, nlohmann::json data)
    : code_(code), message_(std::move(message)), data_(std::move(data)) {}

RpcError RpcError::invalid_params(std::string message) {
    return RpcError(ErrorCode::kInvalidParams, std::move(message));
}

nlohmann::json RpcError::to_json() const {
    nlohmann::json out = {{"code", code_}, {"message", message_}};
    if (!data_.is_null()) out["data"] = data_;
    return out;
}

RpcError error_from(const core::Error& error) {
    const ErrorCode code = code_of(error.code);
    nlohmann::json data = {{"reason", core::reason_name(error.code)}};
    if (code == ErrorCode::kInternalError) {
        spdlog::error("rpc: internal error from a handler: {}", error.to_string());
        return RpcError(code, {}, std::move(data));
    }
    return RpcError(code, error.message.empty() ? std::string() : error.message, std::move(data));
}

}  // namespace mfd::rpc
