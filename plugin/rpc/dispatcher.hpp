#pragma once
/// The JSON-RPC 2.0 protocol without a transport: a method table and handle(body), which
/// implements single calls, batches, notifications and the spec's error objects.

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "json/bounded_json.hpp"
#include "plugin/rpc/handler.hpp"
#include "plugin/rpc/metrics.hpp"

namespace mfd::rpc {

using json::RawNumbers;

/// Bounds on what one body may ask for. Over-limit bodies get -32600 Invalid Request (id null)
/// with the limit explained in "data".
struct DispatchLimits {
    std::size_t max_body_bytes = 1024 * 1024;     ///< bytes of one body (single or batch)
    std::size_t max_batch = 100;                  ///< requests in one batch
    std::size_t max_depth = 32;                   ///< nesting of arrays/objects, the batch included
    std::chrono::milliseconds time_budget{5000};  ///< per body: later batch entries get -32010
    /// Bytes of one answer (single or batch). A call whose response would cross it gets -32005
    /// "response too large" instead, and so do the batch entries after it, without running.
    std::size_t max_response_bytes = 16 * 1024 * 1024;
};

/// The method table and the protocol. handle() is const and thread-safe; add() may run at any
/// time (it takes a write lock), though methods are normally registered before serving.
class Dispatcher {
public:
    /// With `metrics`, counts calls per method and outcome, handler durations, and requests
    /// refused before reaching a method (rpc_calls_total, rpc_call_duration_seconds,
    /// rpc_refused_total); the registry must outlive the dispatcher.
    explicit Dispatcher(DispatchLimits limits = {}, Registry* metrics = nullptr);
    ~Dispatcher();
    Dispatcher(const Dispatcher&) = delete;
    Dispatcher& operator=(const Dispatcher&) = delete;

    /// Registers `handler` under `name`. Fails with kInvalidArgument on an empty name, a name
    /// starting with "rpc." (reserved by the spec), a null handler or a name already taken.
    [[nodiscard]] core::Result<void> add(std::string name, Handler handler);
    /// True when `name` is registered.
    [[nodiscard]] bool has(std::string_view name) const;

    /// Answers one HTTP body: the response text, or nothing when the body held only
    /// notifications. Never throws; a handler's exception becomes -32603.
    [[nodiscard]] std::optional<std::string> handle(std::string_view body) const;
    /// The same with the deadline given by the transport instead of now + time_budget.
    [[nodiscard]] std::optional<std::string> handle(std::string_view body,
                                                    Clock::time_point deadline) const;

    /// The limits in force.
    [[nodiscard]] const DispatchLimits& limits() const noexcept { return limits_; }

private:
    struct Method;
    struct Meters;

    [[nodiscard]] std::optional<std::string> handle_value(const nlohmann::json& doc,
                                                          Clock::time_point deadline,
                                                          const RawNumbers& raw) const;
    [[nodiscard]] std::optional<std::string> handle_batch(const nlohmann::json& batch,
                                                          Clock::time_point deadline,
                                                          const RawNumbers& raw) const;
    [[nodiscard]] std::optional<nlohmann::json> handle_call(const nlohmann::json& request,
                                                            Clock::time_point deadline) const;
    [[nodiscard]] MethodResult invoke(const Method& method, const nlohmann::json& params,
                                      const CallContext& ctx) const;
    [[nodiscard]] nlohmann::json refuse(const RpcError& error, const nlohmann::json& id) const;
    /// -32005 for `request` (nothing for a notification) when its answer cannot fit.
    [[nodiscard]] std::optional<std::string> too_large(const nlohmann::json& request,
                                                       std::size_t bytes,
                                                       const RawNumbers& raw) const;

    DispatchLimits limits_;
    Registry* metrics_;
    std::unique_ptr<Meters> meters_;
    mutable std::shared_mutex mu_;
    std::map<std::string, std::unique_ptr<Method>, std::less<>> methods_;
};

}  // namespace mfd::rpc
