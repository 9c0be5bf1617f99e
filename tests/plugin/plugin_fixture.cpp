#include "tests/plugin/plugin_fixture.hpp"

#include <stdlib.h>

#include <cmath>

#include "core/keccak.hpp"
#include "core/tx_event.hpp"
#include "fraud/account_history.hpp"
#include "fraud/feature_rows.hpp"
#include "fraud/feature_schema.hpp"
#include "fraud/thresholds.hpp"
#include "models/train.hpp"
#include "tests/rpc/prometheus_text.hpp"

namespace mfd::plugin::test {
namespace {

/// Where a model is cached for every test process of this build: training is deterministic,
/// and the name carries the schema it was fit on.
std::filesystem::path cached_path(const std::string& name) {
    return std::filesystem::path(MFD_BINARY_DIR) / "tests" / "plugin" /
           (name + "-" + std::string(fraud::kSchemaVersion) + "-" +
            std::to_string(fraud::kFeatures) + ".safetensors");
}

/// Saves `model` to `path` through a temporary file and a rename, so concurrent test processes
/// never read half a file.
void save_atomically(const models::Model& model, const std::filesystem::path& path) {
    const auto tmp = path.string() + "." + std::to_string(::getpid());
    ASSERT_TRUE(model.save(tmp));
    std::filesystem::rename(tmp, path);
}

/// Events of 40 accounts: every third transaction is unprotected (label 1).
void training_events(std::vector<core::TxEvent>& events, std::vector<float>& labels) {
    for (std::uint64_t i = 0; i < 600; ++i) {
        const bool fraud = i % 3 == 0;
        const std::string who = "train-" + std::to_string(i % 40);
        auto e = core::tx_event_from_raw(transfer(who, i / 40, !fraud), {kChainId, true},
                                         static_cast<std::int64_t>(i) * 1000);
        ASSERT_TRUE(e) << e.error().to_string();
        e->claimed_sender = e->recovered_sender;
        events.push_back(std::move(*e));
        labels.push_back(fraud ? 1.0F : 0.0F);
    }
}

std::filesystem::path train_tiny() {
    const auto path = cached_path("tiny-v1");
    if (std::filesystem::exists(path)) return path;
    std::vector<core::TxEvent> events;
    std::vector<float> labels;
    training_events(events, labels);
    fraud::AccountHistory history(nullptr, 1 << 12);
    fraud::FeatureExtractor extractor(history);
    fraud::FeatureRows rows;
    EXPECT_TRUE(fraud::replay_features(extractor, events, rows));
    const auto config = fraud::schema_config({1, 1, 1}, 2, 8);
    models::TrainOptions options;
    options.seed = 7;
    options.max_epochs = 40;
    options.batch_size = 64;
    options.learning_rate = 1e-2F;
    options.patience = 40;
    options.stop_metric = models::StopMetric::kLoss;
    auto trained = models::train(config, {rows.values, labels, {}}, options);
    EXPECT_TRUE(trained) << trained.error().to_string();
    trained->model.set_info({std::string(fraud::kSchemaVersion),
                             fraud::thresholds_json({{0.001, 0.5F}}), R"({"note":"tiny"})"});
    save_atomically(trained->model, path);
    return path;
}

std::filesystem::path make_other() {
    const auto path = cached_path("other-v1");
    if (std::filesystem::exists(path)) return path;
    auto m = models::Model::initialise(fraud::schema_config({1, 1, 1}, 2, 8), 99);
    EXPECT_TRUE(m);
    m->set_info(
        {std::string(fraud::kSchemaVersion), fraud::thresholds_json({{0.001, 0.5F}}), "{}"});
    save_atomically(*m, path);
    return path;
}

}  // namespace

const std::filesystem::path& tiny_model() {
    static const std::filesystem::path path = train_tiny();
    return path;
}

const std::filesystem::path& other_model() {
    static const std::filesystem::path path = make_other();
    return path;
}

std::shared_ptr<const PluginLibrary> real_library() {
    static const auto library = [] {
        auto lib = PluginLibrary::open(MFD_BINARY_DIR "/lib/libfraud_plugin.so");
        EXPECT_TRUE(lib) << lib.error().to_string();
        return lib ? *lib : nullptr;
    }();
    return library;
}

nlohmann::json base_config(const std::filesystem::path& data_dir) {
    return {{"model", tiny_model().string()},
            {"device", "cpu"},
            {"threshold", 0.5},
            {"data_dir", data_dir.string()},
            {"chain_id", kChainId},
            {"budgets_us",
             {{"check_tx", 0}, {"score_batch", 0}, {"prepare_proposal", 0}, {"extend_vote", 0}}}};
}

std::unique_ptr<PluginInstance> make_instance(const nlohmann::json& config) {
    auto library = real_library();
    if (!library) return nullptr;
    auto instance = PluginInstance::create(library, config.dump());
    EXPECT_TRUE(instance) << instance.error().to_string();
    return instance ? std::move(*instance) : nullptr;
}

double metric(PluginInstance& plugin, const std::string& name,
              const std::map<std::string, std::string>& labels) {
    auto text = plugin.metrics_text();
    EXPECT_TRUE(text) << text.error().to_string();
    if (!text) return std::nan("");
    const auto parsed = rpc::test::parse_prometheus(*text);
    EXPECT_TRUE(parsed.errors.empty()) << parsed.errors.front();
    return parsed.value(name, labels);
}

core::Bytes transfer(const std::string& who, std::uint64_t nonce, bool protect,
                     std::uint64_t chain_id) {
    const auto key = core::PrivateKey::derive(core::as_bytes(who));
    core::Transaction tx;
    tx.nonce = nonce;
    tx.gas_price = core::U256(30'000'000'000ULL);
    tx.gas_limit = 21000;
    tx.to = address_of(who + "/to");
    tx.value = core::U256(1'000'000'000'000'000ULL) * core::U256(nonce % 5 + 1);
    auto signed_tx =
        core::sign_transaction(tx, key, protect ? std::optional(chain_id) : std::nullopt);
    EXPECT_TRUE(signed_tx);
    return signed_tx ? core::encode_transaction(*signed_tx) : core::Bytes{};
}

core::Address address_of(const std::string& who) {
    return core::PrivateKey::derive(core::as_bytes(who)).address();
}

core::Hash hash_of(core::ByteView raw) {
    return core::keccak256(raw);
}

}  // namespace mfd::plugin::test
