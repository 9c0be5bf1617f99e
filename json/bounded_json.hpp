#pragma once
/// A JSON parser that refuses deep nesting while it reads, without recursion: untrusted bodies
/// can neither exhaust the stack nor make later recursive code (copies, dumps) do so.

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mfd::json {

/// Numbers in objects that would not print back as written (a fraction or an exponent, beyond
/// 64 bits, or -0), with their text, keyed by where they live in the parsed document: a value
/// inside an object stays put however the document moves, so a JSON-RPC id can be echoed
/// exactly. Numbers in arrays are not recorded (an array's elements move as it grows).
using RawNumbers = std::map<const nlohmann::json*, std::string>;

/// Parses one JSON text (RFC 8259, UTF-8, nothing after it but whitespace) whose arrays and
/// objects nest at most `max_depth` levels (`{}` is depth 1, `[{}]` depth 2). Fails with
/// kLimitExceeded as soon as the limit is crossed, or kInvalidArgument with the parser's message
/// on malformed input; with `raw`, fills it for the returned document. Thread-safe.
[[nodiscard]] core::Result<nlohmann::json> parse_bounded(std::string_view text,
                                                         std::size_t max_depth,
                                                         RawNumbers* raw = nullptr);

}  // namespace mfd::json
