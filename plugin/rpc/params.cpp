#include "plugin/rpc/params.hpp"

#include <algorithm>
#include <limits>

namespace mfd::rpc {
namespace {

using json = nlohmann::json;

const json kNullJson;

core::Unexpected bad(std::string_view what, std::string problem) {
    return core::fail(core::Errc::kInvalidArgument, std::string(what) + ": " + problem);
}

}  // namespace

core::Result<Params> Params::bind(const json& params, std::initializer_list<std::string_view> names,
                                  std::size_t required) {
    Params p;
    p.names_.assign(names.begin(), names.end());
    p.values_.assign(names.size(), nullptr);
    if (params.is_array()) {
        if (params.size() > names.size()) {
            return core::fail(core::Errc::kInvalidArgument,
                              "too many params: got " + std::to_string(params.size()) +
                                  ", the method takes at most " + std::to_string(names.size()));
        }
        for (std::size_t i = 0; i < params.size(); ++i) p.values_[i] = &params[i];
    } else if (params.is_object()) {
        for (const auto& [key, value] : params.items()) {
            const auto it = std::find(p.names_.begin(), p.names_.end(), key);
            if (it == p.names_.end()) {
                return core::fail(core::Errc::kInvalidArgument,
                                  "unknown param " + quote_value(json(key)));
            }
            p.values_[static_cast<std::size_t>(it - p.names_.begin())] = &value;
        }
    } else if (!params.is_null()) {
        return core::fail(core::Errc::kInvalidArgument, "params must be an array or an object");
    }
    for (std::size_t i = 0; i < std::min(required, names.size()); ++i) {
        if (!p.has(i)) return core::fail(core::Errc::kInvalidArgument, "missing " + p.what(i));
    }
    return p;
}

const json& Params::at(std::size_t i) const noexcept {
    return i < values_.size() && values_[i] != nullptr ? *values_[i] : kNullJson;
}

std::string Params::what(std::size_t i) const {
    std::string out = "param " + std::to_string(i);
    if (i < names_.size()) out += " (" + std::string(names_[i]) + ")";
    return out;
}

core::Result<std::int64_t> read_int64(const json& v, std::string_view what) {
    if (v.is_number_integer() && !v.is_number_unsigned()) return v.get<std::int64_t>();
    if (v.is_number_unsigned() &&
        v.get<std::uint64_t>() <=
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return static_cast<std::int64_t>(v.get<std::uint64_t>());
    }
    return bad(what, "expected an integer in int64 range, got " + quote_value(v));
}

core::Result<std::uint64_t> read_uint64(const json& v, std::string_view what) {
    if (v.is_number_unsigned()) return v.get<std::uint64_t>();
    if (v.is_number_integer() && v.get<std::int64_t>() >= 0) {
        return static_cast<std::uint64_t>(v.get<std::int64_t>());
    }
    return bad(what, "expected a non-negative integer in uint64 range, got " + quote_value(v));
}

core::Result<bool> read_bool(const json& v, std::string_view what) {
    if (v.is_boolean()) return v.get<bool>();
    return bad(what, "expected a boolean, got " + quote_value(v));
}

core::Result<std::string> read_string(const json& v, std::string_view what, std::size_t max_bytes) {
    if (!v.is_string()) return bad(what, "expected a string, got " + quote_value(v));
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() > max_bytes) {
        return bad(what, "string of " + std::to_string(s.size()) + " bytes exceeds " +
                             std::to_string(max_bytes));
    }
    return s;
}

std::string quote_value(const json& v) {
    constexpr std::size_t kMax = 40;
    std::string text = v.is_structured() ? (v.is_array() ? "an array" : "an object")
                                         : v.dump(-1, ' ', true, json::error_handler_t::replace);
    if (text.size() > kMax) text = text.substr(0, kMax) + "...";
    return text;
}

}  // namespace mfd::rpc
