#include "bench/plugin/bench_support.hpp"

#include <stdlib.h>

#include <stdexcept>

#include "core/transaction.hpp"
#include "fraud/feature_schema.hpp"
#include "fraud/thresholds.hpp"
#include "models/model.hpp"
#include "plugin/loader/plugin_path.hpp"

namespace mfd::plugin::bench {

ScratchDir::ScratchDir() {
    std::string pattern = std::filesystem::temp_directory_path() / "mfd-plugin-bench-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

ScratchDir::~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

core::Result<void> write_default_model(const std::filesystem::path& path) {
    auto model = models::Model::initialise(fraud::schema_config(), 11);
    if (!model) return core::fail(model.error());
    model->set_info({std::string(fraud::kSchemaVersion),
                     fraud::thresholds_json({{0.001, 0.9F}, {0.01, 0.7F}}), "{}"});
    return model->save(path);
}

std::vector<core::Bytes> make_transactions(std::size_t n, std::size_t accounts,
                                           std::size_t fraud_every) {
    std::vector<core::PrivateKey> keys;
    for (std::size_t a = 0; a < accounts; ++a) {
        keys.push_back(core::PrivateKey::derive(core::as_bytes("bench-" + std::to_string(a))));
    }
    std::vector<core::Bytes> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        core::Transaction tx;
        tx.nonce = i / accounts;
        tx.gas_price = core::U256(30'000'000'000ULL);
        tx.gas_limit = 21000;
        tx.to = keys[(i * 7 + 3) % accounts].address();
        tx.value = core::U256(1'000'000'000'000'000ULL) * core::U256(i % 13 + 1);
        const bool fraud = fraud_every != 0 && i % fraud_every == 0;
        auto signed_tx = core::sign_transaction(tx, keys[i % accounts],
                                                fraud ? std::nullopt : std::optional(kChainId));
        if (signed_tx) out.push_back(core::encode_transaction(*signed_tx));
    }
    return out;
}

core::Result<std::shared_ptr<const PluginLibrary>> open_plugin() {
    const char* env = std::getenv(kPluginEnv);
    const std::filesystem::path path = env != nullptr && *env != '\0'
                                           ? std::filesystem::path(env)
                                           : std::filesystem::path(MFD_BINARY_DIR) / "lib" /
                                                 "libfraud_plugin.so";
    return PluginLibrary::open(path);
}

nlohmann::json bench_config(const std::filesystem::path& data_dir,
                            const std::filesystem::path& model) {
    return {{"model", model.string()},
            {"device", "cpu"},
            {"data_dir", data_dir.string()},
            {"chain_id", kChainId},
            {"budgets_us", {{"check_tx", 1'000'000}, {"extend_vote", 1'000'000}}}};
}

}  // namespace mfd::plugin::bench
