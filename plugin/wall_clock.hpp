#pragma once
/// The wall clock in milliseconds since the Unix epoch, for the times the plugin reports (when a
/// transaction was scored, when a model was loaded) and for ordering what happened here.

#include <chrono>
#include <cstdint>

namespace mfd::plugin {

inline std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace mfd::plugin
