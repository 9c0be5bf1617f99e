#pragma once
/// The one error type of JSON-RPC: handlers return or throw an RpcError (or a core::Error, which
/// error_from() maps to a code in one table); only the dispatcher turns it into JSON.

#include <exception>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.hpp"

namespace mfd::rpc {

/// JSON-RPC 2.0 error codes; the server range (-32000..-32099) follows EIP-1474 where it has a
/// code, plus kTimeout.
enum class ErrorCode : int {
    kParseError = -32700,      ///< the body is not JSON
    kInvalidRequest = -32600,  ///< not a Request object, or over a limit (size, depth, batch)
    kMethodNotFound = -32601,
    kInvalidParams = -32602,  ///< a parameter is missing, extra or malformed (message names it)
    kInternalError = -32603,  ///< a handler failed unexpectedly (details are logged, not sent)
    kInvalidInput = -32000,   ///< understood but refused (execution reverted, bad call data)
    kResourceNotFound = -32001,
    kResourceUnavailable = -32002,
    kTransactionRejected = -32003,
    kMethodNotSupported = -32004,
    kLimitExceeded = -32005,
    kTimeout = -32010,  ///< the request ran past its time budget
};

/// The standard message of a code ("Parse error", "Invalid Request", ...).
[[nodiscard]] std::string_view standard_message(ErrorCode code) noexcept;

/// A JSON-RPC error: code, message and optional data. Handlers may return it or throw it.
class RpcError : public std::exception {
public:
    /// An error with one of our codes; an empty message takes the standard one.
    explicit RpcError(ErrorCode code, std::string message = {}, nlohmann::json data = nullptr);
    /// An application-defined code (a method's own, outside -32768..-32000 by the spec).
    RpcError(int code, std::string message, nlohmann::json data = nullptr);

    /// -32602 with a message that names the parameter.
    [[nodiscard]] static RpcError invalid_params(std::string message);

    [[nodiscard]] int code() const noexcept { return code_; }
    [[nodiscard]] const std::string& message() const noexcept { return message_; }
    /// Null when the error carries no data (then "data" is left out of the response).
    [[nodiscard]] const nlohmann::json& data() const noexcept { return data_; }
    [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }

    /// The error object: {"code", "message"[, "data"]}.
    [[nodiscard]] nlohmann::json to_json() const;

private:
    int code_;
    std::string message_;
    nlohmann::json data_;
};

/// The one table from core errors to JSON-RPC codes (docs/rpc.md lists it): bad input -> -32602,
/// kNotFound -> -32001, kUnavailable -> -32002, transaction rules -> -32003, kLimitExceeded ->
/// -32005, kTimeout -> -32010, contract failures -> -32000, our own faults -> -32603 (their
/// message is not sent). The data member holds the reason name, e.g. {"reason":"BAD_HEX"}.
[[nodiscard]] RpcError error_from(const core::Error& error);

}  // namespace mfd::rpc
