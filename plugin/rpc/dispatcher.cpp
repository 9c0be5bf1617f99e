#include "plugin/rpc/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <mutex>

#include "json/bounded_json.hpp"

namespace mfd::rpc {
namespace {

using json = nlohmann::json;

const json kNullJson;

/// The members of a valid Request object; id is null for a notification.
struct Call {
    std::string_view method;
    const json* params;
    const json* id;
};

bool valid_id(const json& id) {
    return id.is_string() || id.is_number() || id.is_null();
}

/// Checks the spec's Request rules: "jsonrpc" is exactly "2.0", "method" a string, "params"
/// absent or structured, "id" absent or a string, number or null. Other members are ignored.
std::optional<Call> read_call(const json& r) {
    if (!r.is_object()) return std::nullopt;
    const auto version = r.find("jsonrpc");
    if (version == r.end() || !version->is_string() || *version != "2.0") return std::nullopt;
    const auto method = r.find("method");
    if (method == r.end() || !method->is_string()) return std::nullopt;
    const auto params = r.find("params");
    if (params != r.end() && !params->is_array() && !params->is_object()) return std::nullopt;
    const auto id = r.find("id");
    if (id != r.end() && !valid_id(*id)) return std::nullopt;
    return Call{method->get_ref<const std::string&>(), params == r.end() ? &kNullJson : &*params,
                id == r.end() ? nullptr : &*id};
}

/// The id to echo in an Invalid Request response: the request's own when it is usable.
json id_for_error(const json& r) {
    if (!r.is_object()) return nullptr;
    const auto id = r.find("id");
    return id != r.end() && valid_id(*id) ? *id : json();
}

json error_response(const RpcError& e, json id) {
    return {{"jsonrpc", "2.0"}, {"error", e.to_json()}, {"id", std::move(id)}};
}

RpcError invalid_request(std::string detail = {}) {
    return detail.empty() ? RpcError(ErrorCode::kInvalidRequest)
                          : RpcError(ErrorCode::kInvalidRequest, {}, std::move(detail));
}

std::string dump(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The response text with the request's id as it was written, where the parsed number would
// print differently (1e3, -0, 123456789012345678901234567890).
std::string dump_answer(json response, const json& request, const RawNumbers& raw) {
    if (!request.is_object() || !response.is_object() || !response.contains("id")) {
        return dump(response);
    }
    const auto id = request.find("id");
    const auto text = id == request.end() ? raw.end() : raw.find(&*id);
    if (text == raw.end()) return dump(response);
    response.erase("id");
    std::string out = dump(response);
    out.pop_back();  // the closing brace
    return out + ",\"id\":" + text->second + "}";
}

MethodResult call_guarded(const Handler& handler, const json& params, const CallContext& ctx) {
    try {
        return handler(params, ctx);
    } catch (const RpcError& e) {
        return e;
    } catch (const std::exception& e) {
        spdlog::error("rpc: method {} threw: {}", ctx.method, e.what());
    } catch (...) {
        spdlog::error("rpc: method {} threw a non-standard exception", ctx.method);
    }
    return RpcError(ErrorCode::kInternalError);
}

}  // namespace

struct Dispatcher::Method {
    Handler handler;
    Counter* ok = nullptr;
    Counter* failed = nullptr;
    Histogram* duration = nullptr;
};

struct Dispatcher::Meters {
    Family<Counter>* calls = nullptr;
    Family<Histogram>* durations = nullptr;
    std::map<int, Counter*> refused;  // by code, created up front: no lookup per refusal
};

Dispatcher::Dispatcher(DispatchLimits limits, Registry* metrics)
    : limits_(limits), metrics_(metrics), meters_(std::make_unique<Meters>()) {
    if (metrics_ == nullptr) return;
    auto calls = metrics_->counter_family("rpc_calls_total", "JSON-RPC calls by method and outcome",
                                          {"method", "outcome"});
    auto durations = metrics_->histogram_family("rpc_call_duration_seconds",
                                                "Handler time per JSON-RPC method", {"method"});
    auto refused = metrics_->counter_family(
        "rpc_refused_total", "JSON-RPC requests answered with an error before any method ran",
        {"code"});
    if (!calls || !durations || !refused) {
        spdlog::error("rpc: dispatcher metrics unavailable (name clash in the registry)");
        return;
    }
    meters_->calls = *calls;
    meters_->durations = *durations;
    for (ErrorCode code :
         {ErrorCode::kParseError, ErrorCode::kInvalidRequest, ErrorCode::kMethodNotFound,
          ErrorCode::kTimeout, ErrorCode::kLimitExceeded}) {
        const int n = static_cast<int>(code);
        meters_->refused[n] = (*refused)->with({std::to_string(n)}).value_or(nullptr);
    }
}

Dispatcher::~Dispatcher() = default;

core::Result<void> Dispatcher::add(std::string name, Handler handler) {
    if (name.empty() || name.starts_with("rpc.") || !handler) {
        return core::fail(core::Errc::kInvalidArgument,
                          "cannot register method '" + name + "': empty, reserved or no handler");
    }
    auto method = std::make_unique<Method>();
    method->handler = std::move(handler);
    if (meters_->calls != nullptr) {
        method->ok = meters_->calls->with({name, "ok"}).value_or(nullptr);
        method->failed = meters_->calls->with({name, "error"}).value_or(nullptr);
        method->duration = meters_->durations->with({name}).value_or(nullptr);
    }
    std::unique_lock lock(mu_);
    if (!methods_.emplace(name, std::move(method)).second) {
        return core::fail(core::Errc::kInvalidArgument, "method '" + name + "' already registered");
    }
    return {};
}

bool Dispatcher::has(std::string_view name) const {
    std::shared_lock lock(mu_);
    return methods_.find(name) != methods_.end();
}

std::optional<std::string> Dispatcher::handle(std::string_view body) const {
    return handle(body, Clock::now() + limits_.time_budget);
}

std::optional<std::string> Dispatcher::handle(std::string_view body,
                                              Clock::time_point deadline) const {
    try {
        if (body.size() > limits_.max_body_bytes) {
            return dump(refuse(invalid_request("body of " + std::to_string(body.size()) +
                                               " bytes exceeds the limit of " +
                                               std::to_string(limits_.max_body_bytes)),
                               nullptr));
        }
        RawNumbers raw;
        auto doc = mfd::json::parse_bounded(body, limits_.max_depth, &raw);
        if (!doc) {
            const bool too_deep = doc.error().code == core::Errc::kLimitExceeded;
            return dump(refuse(
                too_deep ? invalid_request(doc.error().message) : RpcError(ErrorCode::kParseError),
                nullptr));
        }
        return handle_value(*doc, deadline, raw);
    } catch (const std::exception& e) {
        spdlog::error("rpc: dispatcher failed: {}", e.what());
        return dump(error_response(RpcError(ErrorCode::kInternalError), nullptr));
    }
}

std::optional<std::string> Dispatcher::handle_value(const json& doc, Clock::time_point deadline,
                                                    const RawNumbers& raw) const {
    if (doc.is_array()) return handle_batch(doc, deadline, raw);
    auto response = handle_call(doc, deadline);
    if (!response) return std::nullopt;
    std::string text = dump_answer(std::move(*response), doc, raw);
    if (text.size() > limits_.max_response_bytes) return too_large(doc, text.size(), raw);
    return text;
}

// The answer is written call by call, so no more than the budget and one response are held.
std::optional<std::string> Dispatcher::handle_batch(const json& batch, Clock::time_point deadline,
                                                    const RawNumbers& raw) const {
    if (batch.empty()) return dump(refuse(invalid_request(), nullptr));
    if (batch.size() > limits_.max_batch) {
        return dump(refuse(
            invalid_request("batch of " + std::to_string(batch.size()) +
                            " requests exceeds the limit of " + std::to_string(limits_.max_batch)),
            nullptr));
    }
    std::string out = "[";
    bool over = false;
    for (const auto& request : batch) {
        std::optional<std::string> text;
        if (over) {
            text = too_large(request, 0, raw);
        } else if (auto response = handle_call(request, deadline)) {
            text = dump_answer(std::move(*response), request, raw);
            if (out.size() + text->size() + 2 > limits_.max_response_bytes) {
                over = true;
                text = too_large(request, out.size() + text->size() + 2, raw);
            }
        }
        if (!text) continue;
        if (out.size() > 1) out += ',';
        out += *text;
    }
    if (out.size() == 1) return std::nullopt;
    out += ']';
    return out;
}

std::optional<json> Dispatcher::handle_call(const json& request, Clock::time_point deadline) const {
    const auto call = read_call(request);
    if (!call) return refuse(invalid_request(), id_for_error(request));
    const bool notification = call->id == nullptr;
    const json& id = notification ? kNullJson : *call->id;
    const Method* method = nullptr;
    {
        std::shared_lock lock(mu_);
        if (auto it = methods_.find(call->method); it != methods_.end()) method = it->second.get();
    }
    std::optional<RpcError> refusal;
    if (method == nullptr)
        refusal = RpcError(ErrorCode::kMethodNotFound);
    else if (Clock::now() >= deadline)
        refusal = RpcError(ErrorCode::kTimeout);
    if (refusal) {
        auto response = refuse(*refusal, id);
        if (notification) return std::nullopt;
        return response;
    }
    const CallContext ctx{call->method, notification, deadline};
    MethodResult r = invoke(*method, *call->params, ctx);
    if (notification) return std::nullopt;
    if (!r.ok()) return error_response(r.error(), id);
    return json{{"jsonrpc", "2.0"}, {"result", std::move(r.result())}, {"id", id}};
}

MethodResult Dispatcher::invoke(const Method& method, const json& params,
                                const CallContext& ctx) const {
    const auto start = Clock::now();
    MethodResult r = call_guarded(method.handler, params, ctx);
    if (method.duration != nullptr) {
        method.duration->observe(std::chrono::duration<double>(Clock::now() - start).count());
    }
    if (Counter* c = r.ok() ? method.ok : method.failed) c->inc();
    return r;
}

std::optional<std::string> Dispatcher::too_large(const json& request, std::size_t bytes,
                                                 const RawNumbers& raw) const {
    const auto call = read_call(request);
    if (call && call->id == nullptr) return std::nullopt;  // a notification gets no answer
    const std::string detail = bytes > 0
                                   ? "the answer would reach " + std::to_string(bytes) + " bytes"
                                   : "an earlier response in the batch reached the limit";
    return dump_answer(
        refuse(RpcError(ErrorCode::kLimitExceeded, "response too large",
                        json{{"limit", limits_.max_response_bytes}, {"detail", detail}}),
               call ? *call->id : id_for_error(request)),
        request, raw);
}

json Dispatcher::refuse(const RpcError& error, const json& id) const {
    if (auto it = meters_->refused.find(error.code()); it != meters_->refused.end() && it->second) {
        it->second->inc();
    }
    return error_response(error, id);
}

}  // namespace mfd::rpc
