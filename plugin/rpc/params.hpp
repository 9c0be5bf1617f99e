#pragma once
/// Reading a call's parameters: positional or named, each by index, with errors that name the
/// parameter. Every failure is core::Errc::kInvalidArgument, which the dispatcher sends as
/// -32602 Invalid params with the message as written here.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mfd::rpc {

/// The parameters of one call by position, whether the client sent an array or an object.
class Params {
public:
    /// Binds `params` (null/absent, an array or an object) to the method's parameter `names`,
    /// which are kept as views (pass string literals). Fails, naming the parameter, when an
    /// array has more entries than names, an object has a member that is not a name, or one of
    /// the first `required` parameters is missing or null. `params` must outlive the Params.
    [[nodiscard]] static core::Result<Params> bind(const nlohmann::json& params,
                                                   std::initializer_list<std::string_view> names,
                                                   std::size_t required);

    /// Parameter i, or a JSON null when the client left it out (or i is past the names).
    [[nodiscard]] const nlohmann::json& at(std::size_t i) const noexcept;
    /// True when parameter i was given and is not null.
    [[nodiscard]] bool has(std::size_t i) const noexcept { return !at(i).is_null(); }
    /// "param 1 (subtrahend)": how error messages name parameter i.
    [[nodiscard]] std::string what(std::size_t i) const;

private:
    std::vector<std::string_view> names_;
    std::vector<const nlohmann::json*> values_;
};

/// A JSON integer in int64 range (no fractions, no strings).
[[nodiscard]] core::Result<std::int64_t> read_int64(const nlohmann::json& v, std::string_view what);
/// A JSON integer in uint64 range.
[[nodiscard]] core::Result<std::uint64_t> read_uint64(const nlohmann::json& v,
                                                      std::string_view what);
/// A JSON boolean.
[[nodiscard]] core::Result<bool> read_bool(const nlohmann::json& v, std::string_view what);
/// A JSON string of at most `max_bytes` bytes.
[[nodiscard]] core::Result<std::string> read_string(const nlohmann::json& v, std::string_view what,
                                                    std::size_t max_bytes = 4096);

/// A short, printable rendering of a bad value for error messages (cut at 40 characters).
[[nodiscard]] std::string quote_value(const nlohmann::json& v);

}  // namespace mfd::rpc
