#pragma once
/// What the plugin benchmarks share: the plugin library of this build, a model file of the
/// default architecture (random weights: scoring costs the same as a trained model's), distinct
/// signed transactions, and a scratch data directory.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "plugin/loader/plugin_instance.hpp"

namespace mfd::plugin::bench {

inline constexpr std::uint64_t kChainId = 1337;

/// A directory under the temp folder, removed on destruction.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

/// Writes a model of the default architecture (fraud::schema_config()) with random weights to
/// `path`. Fails with the model's save error.
[[nodiscard]] core::Result<void> write_default_model(const std::filesystem::path& path);

/// `n` distinct signed transfers from `accounts` senders; every `fraud_every`-th one is a
/// legacy transaction without chain id.
[[nodiscard]] std::vector<core::Bytes> make_transactions(std::size_t n, std::size_t accounts,
                                                         std::size_t fraud_every = 10);

/// The plugin of this build (MFD_FRAUD_PLUGIN, else build/lib/libfraud_plugin.so).
[[nodiscard]] core::Result<std::shared_ptr<const PluginLibrary>> open_plugin();

/// A config for `data_dir` and `model`: chain 1337, CPU.
[[nodiscard]] nlohmann::json bench_config(const std::filesystem::path& data_dir,
                                          const std::filesystem::path& model);

}  // namespace mfd::plugin::bench
