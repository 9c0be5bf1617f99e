#pragma once
/// What the plugin tests share: the real libfraud_plugin.so opened through the loader, a tiny
/// model trained once per process (transactions without replay protection are its "fraud"),
/// temporary data directories, config documents and signed transactions.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/transaction.hpp"
#include "plugin/loader/plugin_instance.hpp"
#include "tests/support/temp_dir.hpp"

namespace mfd::plugin::test {

inline constexpr std::uint64_t kChainId = 1337;

/// A fresh directory under the temp folder, removed on destruction.
using mfd::test::TempDir;

/// The tiny trained model's file (trained on first use, cached in the build tree).
[[nodiscard]] const std::filesystem::path& tiny_model();
/// A second, randomly initialised model of the same schema (for reloads).
[[nodiscard]] const std::filesystem::path& other_model();

/// build/lib/libfraud_plugin.so, opened once per process.
[[nodiscard]] std::shared_ptr<const PluginLibrary> real_library();

/// A config for `data_dir` with the tiny model, chain 1337, threshold 0.5 and generous budgets.
[[nodiscard]] nlohmann::json base_config(const std::filesystem::path& data_dir);

/// Creates an instance (fails the test when it cannot).
[[nodiscard]] std::unique_ptr<PluginInstance> make_instance(const nlohmann::json& config);

/// The value of the sample `name{labels}` in the instance's metrics, NaN when absent; the text
/// must be valid Prometheus 0.0.4 (checked).
[[nodiscard]] double metric(PluginInstance& plugin, const std::string& name,
                            const std::map<std::string, std::string>& labels = {});

/// A transfer signed by the key derived from `who`, with nonce `nonce`; `protect` false makes a
/// legacy transaction without chain id (what the tiny model flags).
[[nodiscard]] core::Bytes transfer(const std::string& who, std::uint64_t nonce, bool protect,
                                   std::uint64_t chain_id = kChainId);
/// The address of the key derived from `who`.
[[nodiscard]] core::Address address_of(const std::string& who);
/// Keccak-256 of raw bytes: the transaction hash.
[[nodiscard]] core::Hash hash_of(core::ByteView raw);

}  // namespace mfd::plugin::test
