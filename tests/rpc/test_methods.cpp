#include "tests/rpc/test_methods.hpp"

#include <stdexcept>
#include <thread>

#include "plugin/rpc/params.hpp"

namespace mfd::rpc::test {
namespace {

using json = nlohmann::json;

MethodResult subtract(const json& params, const CallContext&) {
    auto p = Params::bind(params, {"minuend", "subtrahend"}, 2);
    if (!p) return p.error();
    auto a = read_int64(p->at(0), p->what(0));
    if (!a) return a.error();
    auto b = read_int64(p->at(1), p->what(1));
    if (!b) return b.error();
    return *a - *b;
}

MethodResult sum(const json& params, const CallContext&) {
    if (!params.is_array()) return RpcError::invalid_params("sum takes an array of integers");
    std::int64_t total = 0;
    for (std::size_t i = 0; i < params.size(); ++i) {
        auto v = read_int64(params[i], "param " + std::to_string(i));
        if (!v) return v.error();
        total += *v;
    }
    return total;
}

MethodResult sleep_ms(const json& params, const CallContext&, MethodLog& log) {
    auto p = Params::bind(params, {"ms"}, 1);
    if (!p) return p.error();
    auto ms = read_uint64(p->at(0), p->what(0));
    if (!ms) return ms.error();
    ++log.slow_started;
    std::this_thread::sleep_for(std::chrono::milliseconds(*ms));
    ++log.slow_finished;
    return "slept";
}

MethodResult until_deadline(const json&, const CallContext& ctx) {
    while (!ctx.expired()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return RpcError(ErrorCode::kTimeout);
}

}  // namespace

void register_test_methods(Dispatcher& d, MethodLog& log) {
    const auto note = [&log](const json&, const CallContext&) -> MethodResult {
        ++log.notifications;
        return nullptr;
    };
    const bool ok =
        d.add("subtract", subtract) && d.add("sum", sum) &&
        d.add("get_data",
              [](const json&, const CallContext&) -> MethodResult {
                  return json::array({"hello", 5});
              }) &&
        d.add("update", note) && d.add("notify_hello", note) && d.add("notify_sum", note) &&
        d.add("echo", [](const json& p, const CallContext&) -> MethodResult { return p; }) &&
        d.add("fail_params",
              [](const json&, const CallContext&) -> MethodResult {
                  return core::fail(core::Errc::kBadHex, "param 0 (data): odd number of digits");
              }) &&
        d.add("throw_rpc",
              [](const json&, const CallContext&) -> MethodResult {
                  throw RpcError(7, "custom failure", json{{"detail", 1}});
              }) &&
        d.add("throw_std",
              [](const json&, const CallContext&) -> MethodResult {
                  throw std::runtime_error("secret internal detail");
              }) &&
        d.add("throw_int", [](const json&, const CallContext&) -> MethodResult { throw 42; }) &&
        d.add("sleep",
              [&log](const json& p, const CallContext& c) { return sleep_ms(p, c, log); }) &&
        d.add("until_deadline", until_deadline);
    if (!ok) throw std::logic_error("test methods could not be registered");
}

}  // namespace mfd::rpc::test
