#pragma once
/// What a JSON-RPC method is: a function from params to a result or one typed error.

#include <chrono>
#include <concepts>
#include <functional>
#include <nlohmann/json.hpp>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/result.hpp"
#include "plugin/rpc/rpc_error.hpp"

namespace mfd::rpc {

using Clock = std::chrono::steady_clock;

/// What a handler knows about the call it serves.
struct CallContext {
    std::string_view method;
    bool notification = false;   ///< no response will be sent
    Clock::time_point deadline;  ///< past it the caller has given up; long handlers check it

    /// True once the deadline has passed (a handler then returns ErrorCode::kTimeout).
    [[nodiscard]] bool expired() const noexcept { return Clock::now() >= deadline; }
};

/// A handler's outcome: a JSON result or an RpcError. Built implicitly from anything JSON can
/// hold, from an RpcError, or from a core error (`return core::fail(...)`, mapped by
/// error_from()).
class MethodResult {
public:
    template <class T>
    requires(std::is_constructible_v<nlohmann::json, T&&> &&
             !std::is_same_v<std::remove_cvref_t<T>, MethodResult> &&
             !std::is_base_of_v<RpcError, std::remove_cvref_t<T>> &&
             !std::is_same_v<std::remove_cvref_t<T>, core::Error> &&
             !std::is_same_v<std::remove_cvref_t<T>, core::Unexpected>) MethodResult(T&& result)
        : value_(std::in_place_index<0>, std::forward<T>(result)) {}
    MethodResult(RpcError error) : value_(std::in_place_index<1>, std::move(error)) {}
    MethodResult(const core::Error& error) : value_(std::in_place_index<1>, error_from(error)) {}
    MethodResult(const core::Unexpected& error)
        : value_(std::in_place_index<1>, error_from(error.error())) {}

    /// True when the call succeeded.
    [[nodiscard]] bool ok() const noexcept { return value_.index() == 0; }
    /// The result; only when ok().
    [[nodiscard]] const nlohmann::json& result() const { return std::get<0>(value_); }
    /// The result, movable; only when ok().
    [[nodiscard]] nlohmann::json& result() { return std::get<0>(value_); }
    /// The error; only when !ok().
    [[nodiscard]] const RpcError& error() const { return std::get<1>(value_); }

private:
    std::variant<nlohmann::json, RpcError> value_;
};

/// A method: params (the request's array or object, null when absent) to an outcome. It may
/// also throw RpcError; any other exception becomes -32603. Called concurrently from several
/// threads, so it must be thread-safe.
using Handler = std::function<MethodResult(const nlohmann::json& params, const CallContext& ctx)>;

}  // namespace mfd::rpc
