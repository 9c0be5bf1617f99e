#include "fraud/detector.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "fraud/thresholds.hpp"
#include "models/safetensors.hpp"
#include "storage/memory_store.hpp"
#include "tests/fraud/tx_builder.hpp"

namespace mfd::fraud {
namespace {

using test::TxSpec;

const auto kAlice = test::key("alice");
const auto kBob = test::key("bob").address();
const auto kCarol = test::key("carol").address();

/// A randomly initialised model over the schema, with thresholds.
models::Model fresh_model(std::uint64_t seed = 3) {
    auto m = models::Model::initialise(schema_config(), seed);
    EXPECT_TRUE(m);
    m->set_info({std::string(kSchemaVersion), thresholds_json({{0.001, 0.6F}, {0.01, 0.4F}}),
                 "{}"});
    return *m;
}

DetectorOptions cpu() {
    DetectorOptions o;
    o.device = models::Device::kCpu;
    return o;
}

Detector make(const models::Model& m, core::KvStore* store = nullptr,
              DetectorOptions o = cpu()) {
    auto d = Detector::create(m, store, o);
    EXPECT_TRUE(d) << d.error().to_string();
    return std::move(*d);
}

std::vector<core::TxEvent> some_events() {
    std::vector<core::TxEvent> v;
    for (std::uint64_t i = 0; i < 12; ++i) {
        TxSpec s{i % 3 ? kBob : kCarol, 0.3 * static_cast<double>(i + 1), i,
                 static_cast<std::int64_t>(i) * 7000};
        v.push_back(test::signed_event(kAlice, s));
    }
    v.push_back(test::imported_event(kBob, {kCarol, 2, 4, 90'000}));
    return v;
}

std::filesystem::path temp_file(const std::string& name) {
    return std::filesystem::temp_directory_path() /
           (name + "-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            ".safetensors");
}

TEST(Detector, SingleAndBatchPathsAgree) {
    auto det = make(fresh_model());
    const auto events = some_events();
    ASSERT_TRUE(det.observe(events[0]));
    std::vector<Score> batch;
    ASSERT_TRUE(det.score_batch(events, batch));
    ASSERT_EQ(batch.size(), events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
        const Score single = det.score(events[i]);
        EXPECT_NEAR(single.probability, batch[i].probability, 2e-5) << i;
        ASSERT_EQ(single.explanation.expert_count, batch[i].explanation.expert_count);
        EXPECT_EQ(single.explanation.experts[0].expert, batch[i].explanation.experts[0].expert);
        EXPECT_EQ(single.quantised, quantise(single.probability));
        EXPECT_EQ(single.flagged, single.probability >= det.threshold() ||
                                      definitive_anomaly(single.explanation.anomalies));
        EXPECT_EQ(single.flagged, batch[i].flagged) << i;
    }
    EXPECT_FLOAT_EQ(det.threshold(), 0.6F) << "the threshold for the default FPR of 0.1 %";
}

TEST(Detector, ReplayScoresEachEventFromThePastOnly) {
    auto det = make(fresh_model());
    auto reference = make(fresh_model());
    const auto events = some_events();
    std::vector<Score> replayed;
    ASSERT_TRUE(det.replay(events, replayed));
    for (std::size_t i = 0; i < events.size(); ++i) {
        EXPECT_NEAR(replayed[i].probability, reference.score(events[i]).probability, 2e-5) << i;
        ASSERT_TRUE(reference.observe(events[i]));
    }
}

TEST(Detector, SavedModelReloadsToIdenticalScores) {
    const auto model = fresh_model(11);
    const auto path = temp_file("detector-reload");
    ASSERT_TRUE(model.save(path));
    auto original = make(model);
    auto loaded = Detector::load(path, nullptr, cpu());
    ASSERT_TRUE(loaded) << loaded.error().to_string();
    for (const auto& e : some_events()) {
        EXPECT_EQ(original.score(e).probability, loaded->score(e).probability);
    }
    EXPECT_EQ(loaded->threshold(), original.threshold());
    std::filesystem::remove(path);
}

TEST(Detector, CommittedHistoryGoesIntoTheBlockBatch) {
    storage::MemoryStore store;
    const auto model = fresh_model();
    auto det = make(model, &store);
    const auto first = test::event_with_k(kAlice, {kBob, 1, 0, 1000}, test::hash_of(9));
    const auto reuse = test::event_with_k(kAlice, {kCarol, 1, 1, 9000}, test::hash_of(9));
    const float before = det.score(reuse).probability;
    EXPECT_EQ(det.score(reuse).explanation.anomalies, 0);
    ASSERT_TRUE(det.observe(first));
    core::WriteBatch batch;
    det.commit(batch);
    EXPECT_GE(batch.size(), 3U) << "sender, recipient and the r value";
    ASSERT_TRUE(store.write(batch));
    auto restarted = make(model, &store);
    const Score after = restarted.score(reuse);
    EXPECT_NE(after.probability, before);
    EXPECT_EQ(after.probability, det.score(reuse).probability);
    const auto bit = 1U << (kSigRReused - kSigInvalid);
    EXPECT_TRUE(after.explanation.anomalies & bit);
    EXPECT_NE(describe(after.explanation).find("private key is recoverable"), std::string::npos);
}

TEST(Detector, TheSameSignatureSeenAgainIsNotNonceReuse) {
    storage::MemoryStore store;
    const auto model = fresh_model();
    auto det = make(model, &store);
    const auto first = test::event_with_k(kAlice, {kBob, 1, 0, 1000}, test::hash_of(5));
    const auto reuse = test::event_with_k(kAlice, {kCarol, 1, 1, 9000}, test::hash_of(5));
    const auto bit = 1U << (kSigRReused - kSigInvalid);
    ASSERT_TRUE(det.observe(first));
    EXPECT_FALSE(det.score(first).explanation.anomalies & bit) << "re-broadcast, before commit";
    EXPECT_TRUE(det.score(reuse).explanation.anomalies & bit);
    core::WriteBatch batch;
    det.commit(batch);
    ASSERT_TRUE(store.write(batch));
    auto restarted = make(model, &store);
    EXPECT_FALSE(restarted.score(first).explanation.anomalies & bit) << "re-broadcast, restarted";
    EXPECT_TRUE(restarted.score(reuse).explanation.anomalies & bit);
}

TEST(Detector, DefinitiveAnomaliesAreFlaggedWhateverTheScore) {
    DetectorOptions o = cpu();
    o.threshold = 1.5F;  // no probability reaches it: only the signature rule can flag
    auto det = make(fresh_model(), nullptr, o);
    const auto first = test::event_with_k(kAlice, {kBob, 1, 0, 1000}, test::hash_of(4));
    const auto reuse = test::event_with_k(kAlice, {kCarol, 1, 1, 9000}, test::hash_of(4));
    EXPECT_FALSE(det.score(reuse).flagged) << "nothing observed yet: an ordinary transaction";
    ASSERT_TRUE(det.observe(first));
    const Score single = det.score(reuse);
    EXPECT_TRUE(single.flagged);
    EXPECT_LT(single.probability, det.threshold());
    EXPECT_TRUE(definitive_anomaly(single.explanation.anomalies));
    std::vector<Score> batch;
    const std::vector<core::TxEvent> events = {reuse, some_events()[1]};
    ASSERT_TRUE(det.score_batch(events, batch));
    EXPECT_TRUE(batch[0].flagged);
    EXPECT_FALSE(batch[1].flagged);
    EXPECT_FALSE(definitive_anomaly(1U << (kSigNoChainId - kSigInvalid))) << "only evidence";
}

TEST(Detector, MissingGroupsAreMaskedAndNamed) {
    auto det = make(fresh_model());
    const Score s = det.score(test::imported_event(kBob, {kCarol, 2, 4, 0}));
    EXPECT_EQ(s.explanation.groups & (1U << static_cast<unsigned>(Group::kSignature)), 0U);
    EXPECT_NE(describe(s.explanation).find("scored without: signature"), std::string::npos);
    EXPECT_GT(s.explanation.feature_count, 0);
    EXPECT_GT(s.explanation.expert_count, 0);
}

TEST(Detector, ModelsForAnotherSchemaAreRefused) {
    auto other = fresh_model();
    other.set_info({"mfd-features-0", "{}", "{}"});
    auto d = Detector::create(other, nullptr, cpu());
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code, core::Errc::kInvalidArgument);
    EXPECT_NE(d.error().message.find("mfd-features-0"), std::string::npos);

    models::MoeConfig narrow = schema_config();
    narrow.n_features = 12;
    narrow.groups = {{"tx", 0, 12, 2}};
    auto small = models::Model::initialise(narrow, 1);
    ASSERT_TRUE(small);
    small->set_info({std::string(kSchemaVersion), "{}", "{}"});
    auto shapes = Detector::create(*small, nullptr, cpu());
    ASSERT_FALSE(shapes);
    EXPECT_NE(shapes.error().message.find("12 columns"), std::string::npos);
}

TEST(Detector, BadModelFilesGiveNamedErrors) {
    const auto missing = Detector::load("/nonexistent/model.safetensors", nullptr, cpu());
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, core::Errc::kNotFound);
    EXPECT_NE(missing.error().message.find("/nonexistent/model.safetensors"), std::string::npos);

    const auto path = temp_file("detector-bad");
    ASSERT_TRUE(fresh_model().save(path));
    auto file = models::read_safetensors(path);
    ASSERT_TRUE(file);
    const auto size = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, size - 7);
    const auto truncated = Detector::load(path, nullptr, cpu());
    ASSERT_FALSE(truncated);
    EXPECT_EQ(truncated.error().code, core::Errc::kCorruption);

    for (auto& t : file->tensors) {
        if (t.name != "gate.bias") continue;
        const float nan = std::nanf("");
        std::memcpy(t.data.data(), &nan, sizeof nan);
    }
    ASSERT_TRUE(models::write_safetensors(path, *file));
    const auto poisoned = Detector::load(path, nullptr, cpu());
    ASSERT_FALSE(poisoned);
    EXPECT_EQ(poisoned.error().code, core::Errc::kCorruption);
    EXPECT_NE(poisoned.error().message.find("gate.bias"), std::string::npos);
    std::filesystem::remove(path);
}

TEST(Detector, CudaScoresMatchTheCpu) {
    if (!models::cuda_available()) GTEST_SKIP() << "no CUDA device";
    DetectorOptions gpu;
    gpu.device = models::Device::kCuda;
    auto on_gpu = make(fresh_model(), nullptr, gpu);
    auto on_cpu = make(fresh_model());
    EXPECT_EQ(on_gpu.device(), models::Device::kCuda);
    const auto events = some_events();
    std::vector<Score> a, b;
    ASSERT_TRUE(on_gpu.score_batch(events, a));
    ASSERT_TRUE(on_cpu.score_batch(events, b));
    for (std::size_t i = 0; i < events.size(); ++i) {
        EXPECT_NEAR(a[i].probability, b[i].probability, 1e-4);
    }
}

TEST(Detector, CudaRequestWithoutADeviceFails) {
    if (models::cuda_available()) GTEST_SKIP() << "a CUDA device is present";
    DetectorOptions gpu;
    gpu.device = models::Device::kCuda;
    auto d = Detector::create(fresh_model(), nullptr, gpu);
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code, core::Errc::kUnavailable);
}

TEST(Detector, DefaultModelLoadsAndScores) {
    const auto path = std::filesystem::path(MFD_SOURCE_DIR) / "models/default.safetensors";
    auto det = Detector::load(path, nullptr, cpu());
    ASSERT_TRUE(det) << det.error().to_string();
    for (const auto& e : some_events()) {
        const Score s = det->score(e);
        EXPECT_GE(s.probability, 0.0F);
        EXPECT_LE(s.probability, 1.0F);
    }
    EXPECT_LT(std::filesystem::file_size(path), 5U << 20);
}

}  // namespace
}  // namespace mfd::fraud
