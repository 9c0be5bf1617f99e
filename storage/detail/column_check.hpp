#pragma once
/// Internal to storage: the check both stores apply to a core::Column they are handed.

#include <string>

#include "core/kv_store.hpp"

namespace mfd::storage::detail {

/// True for a declared column (a value cast from an out-of-range integer is not).
[[nodiscard]] inline bool valid_column(core::Column column) noexcept {
    return static_cast<std::size_t>(column) < core::kColumnCount;
}

/// The kInvalidArgument failure for an undeclared column.
[[nodiscard]] inline core::Unexpected unknown_column(core::Column column) {
    return core::fail(core::Errc::kInvalidArgument,
                      "unknown column " + std::to_string(static_cast<unsigned>(column)));
}

}  // namespace mfd::storage::detail
