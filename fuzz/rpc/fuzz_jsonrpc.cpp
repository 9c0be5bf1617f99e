// Feeds arbitrary bytes to Dispatcher::handle() and checks that what comes back is always a
// valid JSON-RPC 2.0 response (an object, or a non-empty array of them), and that nothing
// comes back only for a notification or a batch of notifications. Small limits make the
// fuzzer reach the batch and depth bounds.

#include <spdlog/spdlog.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "plugin/rpc/dispatcher.hpp"
#include "plugin/rpc/params.hpp"

namespace {

using json = nlohmann::json;
using mfd::rpc::CallContext;
using mfd::rpc::MethodResult;

void require(bool ok) {
    if (!ok) __builtin_trap();
}

MethodResult subtract(const json& params, const CallContext&) {
    auto p = mfd::rpc::Params::bind(params, {"minuend", "subtrahend"}, 2);
    if (!p) return p.error();
    auto a = mfd::rpc::read_int64(p->at(0), p->what(0));
    auto b = mfd::rpc::read_int64(p->at(1), p->what(1));
    if (!a) return a.error();
    if (!b) return b.error();
    return static_cast<double>(*a) - static_cast<double>(*b);  // no signed overflow
}

const mfd::rpc::Dispatcher& dispatcher() {
    static const auto* d = [] {
        spdlog::set_level(spdlog::level::off);
        auto* out = new mfd::rpc::Dispatcher(
            mfd::rpc::DispatchLimits{.max_body_bytes = 64 * 1024,
                                     .max_batch = 10,
                                     .max_depth = 10,
                                     .time_budget = std::chrono::seconds(5)});
        const auto echo = [](const json& p, const CallContext&) -> MethodResult { return p; };
        const auto fail = [](const json&, const CallContext&) -> MethodResult {
            return mfd::core::fail(mfd::core::Errc::kNotFound, "nothing here");
        };
        const auto boom = [](const json&, const CallContext&) -> MethodResult {
            throw std::runtime_error("boom");
        };
        const auto note = [](const json&, const CallContext&) -> MethodResult { return nullptr; };
        require(out->add("subtract", subtract) && out->add("echo", echo) &&
                out->add("fail", fail) && out->add("boom", boom) && out->add("update", note));
        return out;
    }();
    return *d;
}

bool valid_id(const json& id) {
    return id.is_string() || id.is_number() || id.is_null();
}

/// A Response object: jsonrpc "2.0", an id, and exactly one of result and error.
bool valid_response(const json& r) {
    if (!r.is_object() || r.value("jsonrpc", json()) != "2.0") return false;
    if (!r.contains("id") || !valid_id(r["id"])) return false;
    const bool has_result = r.contains("result");
    const bool has_error = r.contains("error");
    if (has_result == has_error || r.size() != 3) return false;
    if (has_result) return true;
    const json& e = r["error"];
    if (!e.is_object() || !e.contains("code") || !e["code"].is_number_integer()) return false;
    if (!e.contains("message") || !e["message"].is_string()) return false;
    return e.size() == 2 || (e.size() == 3 && e.contains("data"));
}

bool is_notification(const json& r) {
    return r.is_object() && !r.contains("id") && r.value("jsonrpc", json()) == "2.0" &&
           r.contains("method") && r["method"].is_string() &&
           (!r.contains("params") || r["params"].is_structured());
}

/// Nothing may come back only for a notification or a non-empty batch of them.
void check_silence(std::string_view body) {
    const json doc = json::parse(body, nullptr, false);
    require(!doc.is_discarded());
    if (doc.is_array()) {
        require(!doc.empty());
        for (const auto& r : doc) require(is_notification(r));
    } else {
        require(is_notification(doc));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const auto out = dispatcher().handle(body);
    if (!out) {
        check_silence(body);
        return 0;
    }
    const json response = json::parse(*out, nullptr, false);
    require(!response.is_discarded());
    if (response.is_array()) {
        require(!response.empty());
        for (const auto& r : response) require(valid_response(r));
    } else {
        require(valid_response(response));
    }
    return 0;
}
