#pragma once
/// A JSON parser that refuses deep nesting while it reads, without recursion: untrusted bodies
/// can neither exhaust the stack nor make later recursive code (copies, dumps) do so.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.hpp"

namespace mfd::rpc {

/// Parses one JSON text (RFC 8259, UTF-8, nothing after it but whitespace) whose arrays and
/// objects nest at most `max_depth` levels (`{}` is depth 1, `[{}]` depth 2). Fails with
/// kLimitExceeded as soon as the limit is crossed, or kInvalidArgument with the parser's message
/// on malformed input. Thread-safe.
[[nodiscard]] core::Result<nlohmann::json> parse_bounded(std::string_view text,
                                                         std::size_t max_depth);

}  // namespace mfd::rpc
