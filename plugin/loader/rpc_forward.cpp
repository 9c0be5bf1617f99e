#include "plugin/loader/rpc_forward.hpp"

#include "json/bounded_json.hpp"
#include "plugin/fraud_method_names.hpp"

namespace mfd::plugin {
namespace {

using json = nlohmann::json;

/// The plugin is another library: its answers are parsed with the dispatcher's nesting bound.
json parse_answer(const std::string& text) {
    auto parsed = mfd::json::parse_bounded(text, rpc::DispatchLimits{}.max_depth);
    return parsed ? std::move(*parsed) : json(json::value_t::discarded);
}

/// The RpcError of a JSON-RPC error object the plugin sent back.
rpc::RpcError error_of(const std::string& text) {
    const json e = parse_answer(text);
    if (!e.is_object() || !e.contains("code") || !e["code"].is_number_integer() ||
        !e.contains("message") || !e["message"].is_string()) {
        return rpc::RpcError(rpc::ErrorCode::kInternalError);
    }
    return rpc::RpcError(e["code"].get<int>(), e["message"].get<std::string>(),
                         e.value("data", json(nullptr)));
}

}  // namespace

core::Result<void> add_forwarding_methods(rpc::Dispatcher& dispatcher,
                                          std::shared_ptr<PluginInstance> instance) {
    for (const auto name : kFraudMethods) {
        auto added = dispatcher.add(
            std::string(name),
            [instance, name](const json& params, const rpc::CallContext&) -> rpc::MethodResult {
                auto answer = instance->query(name, params.is_null() ? "" : params.dump());
                if (!answer) return answer.error();
                if (!answer->ok) return error_of(answer->json);
                json result = parse_answer(answer->json);
                if (result.is_discarded()) return rpc::RpcError(rpc::ErrorCode::kInternalError);
                return result;
            });
        if (!added) return added;
    }
    return {};
}

}  // namespace mfd::plugin
