#pragma once
/// A plugin shared library opened with dlopen and checked against the ABI this host was built
/// with (fraud_plugin.h): the entry symbol, abi_version, struct_size and every function pointer.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

#include "core/result.hpp"
#include "plugin/fraud_plugin.h"

namespace mfd::plugin {

/// An open, checked plugin library; dlclose'd when the last owner lets go (instances created
/// from it hold it). Immutable after open: thread-safe.
class PluginLibrary {
public:
    /// dlopen(RTLD_NOW | RTLD_LOCAL) of `path`, then FP_ENTRY_SYMBOL called with
    /// `host_abi_version`. Fails with kNotFound when there is no file at `path`; kUnavailable
    /// when dlopen fails (the message carries dlerror()), when the entry symbol is missing
    /// (named), or when the plugin serves another ABI version (both versions named);
    /// kCorruption when the table is shorter than ABI version 1's first table
    /// (FP_API_V1_SIZE) or lacks a function it covers. A plugin of that first table has no
    /// *_with_state hooks: has_state_hooks() is false and the state a host passes is dropped;
    /// one without report_refusal: has_refusal_hook() is false and refusals are not reported.
    /// Thread-safe.
    [[nodiscard]] static core::Result<std::shared_ptr<const PluginLibrary>> open(
        const std::filesystem::path& path, std::uint32_t host_abi_version = FP_ABI_VERSION);

    ~PluginLibrary();
    PluginLibrary(const PluginLibrary&) = delete;
    PluginLibrary& operator=(const PluginLibrary&) = delete;

    /// The plugin's function table (read only the fields its struct_size covers).
    [[nodiscard]] const fp_api& api() const noexcept { return *api_; }
    /// True when the table has the *_with_state hooks.
    [[nodiscard]] bool has_state_hooks() const noexcept;
    /// True when the table has report_refusal.
    [[nodiscard]] bool has_refusal_hook() const noexcept;
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    /// The plugin's name and version strings ("moe-fraud", "0.1.0").
    [[nodiscard]] std::string_view name() const noexcept;
    [[nodiscard]] std::string_view version() const noexcept;

private:
    PluginLibrary(void* handle, const fp_api* api, std::filesystem::path path)
        : handle_(handle), api_(api), path_(std::move(path)) {}

    void* handle_;
    const fp_api* api_;
    std::filesystem::path path_;
};

}  // namespace mfd::plugin
