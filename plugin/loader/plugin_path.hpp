#pragma once
/// Where a host finds libfraud_plugin.so without being told: the MFD_FRAUD_PLUGIN environment
/// variable, else the build tree's lib/ beside the running executable's bin/.

#include <filesystem>

#include "core/result.hpp"

namespace mfd::plugin {

/// The environment variable that names the plugin library explicitly.
inline constexpr const char* kPluginEnv = "MFD_FRAUD_PLUGIN";

/// The plugin library: $MFD_FRAUD_PLUGIN when set and not empty (it must exist), else the first
/// existing of <exe dir>/../lib/libfraud_plugin.so and <exe dir>/libfraud_plugin.so, the
/// executable being /proc/self/exe. Fails with kNotFound naming every place it looked.
/// Thread-safe (reads the environment).
[[nodiscard]] core::Result<std::filesystem::path> locate_plugin();

/// The same search from the directory `exe_dir` instead of the running executable's.
[[nodiscard]] core::Result<std::filesystem::path> locate_plugin_from(
    const std::filesystem::path& exe_dir);

}  // namespace mfd::plugin
