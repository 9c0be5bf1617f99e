#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "models/model.hpp"
#include "models/safetensors.hpp"
#include "models/scorer.hpp"
#include "models/train.hpp"
#include "tests/models/synthetic.hpp"

namespace mfd::models {
namespace {

using core::Errc;
namespace fs = std::filesystem;

constexpr std::string_view kSchema = "fraud-features/3";

class ModelFile : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("mfd_model_file_test_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
        auto m = Model::initialise(test::synthetic_config(2, 2), 5);
        ASSERT_TRUE(m);
        model_ = *m;
        model_->set_info({std::string(kSchema), R"({"flag":0.7})", R"({"pr_auc":0.9})"});
        ASSERT_TRUE(model_->save(path()));
    }
    void TearDown() override { fs::remove_all(dir_); }

    [[nodiscard]] fs::path path() const { return dir_ / "model.safetensors"; }

    /// The saved file as safetensors, to be altered and written back.
    SafetensorsFile saved() const {
        auto f = read_safetensors(path());
        EXPECT_TRUE(f);
        return *f;
    }
    void overwrite(const SafetensorsFile& f) const { ASSERT_TRUE(write_safetensors(path(), f)); }

    void expect_load_error(Errc code, std::string_view words) const {
        auto r = Model::load(path(), kSchema);
        ASSERT_FALSE(r) << "loaded, expected: " << words;
        EXPECT_EQ(r.error().code, code) << r.error().message;
        EXPECT_NE(r.error().message.find(words), std::string::npos) << r.error().message;
        EXPECT_NE(r.error().message.find(path().string()), std::string::npos);
    }

    fs::path dir_;
    std::optional<Model> model_;
};

TEST_F(ModelFile, TrainedModelReloadsToIdenticalScores) {
    const auto data = test::make_synthetic(2000, 1);
    TrainOptions options;
    options.max_epochs = 3;
    auto trained = train(test::synthetic_config(2, 2), {data.rows, data.labels, {}}, options);
    ASSERT_TRUE(trained);
    auto model = trained->model;
    model.set_info({std::string(kSchema), "{}", R"({"epochs":3})"});
    ASSERT_TRUE(model.save(path()));
    auto loaded = Model::load(path(), kSchema);
    ASSERT_TRUE(loaded) << loaded.error().to_string();
    EXPECT_EQ(loaded->config(), model.config());
    EXPECT_EQ(loaded->tensors(), model.tensors());
    EXPECT_EQ(loaded->info().metrics_json, R"({"epochs":3})");
    auto a = Scorer::create(model, {.device = Device::kCpu});
    auto b = Scorer::create(*loaded, {.device = Device::kCpu});
    ASSERT_TRUE(a && b);
    const auto held_out = test::make_synthetic(1000, 2);
    auto sa = a->score(held_out.rows);
    auto sb = b->score(held_out.rows);
    ASSERT_TRUE(sa && sb);
    EXPECT_EQ(sa->probability, sb->probability);
    EXPECT_EQ(sa->gate_weights, sb->gate_weights);
    EXPECT_EQ(sa->selected, sb->selected);
    EXPECT_EQ(sa->expert_logits, sb->expert_logits);
}

TEST_F(ModelFile, CarriesMetadataReadableAsPlainSafetensors) {
    const auto f = saved();
    EXPECT_EQ(f.metadata.at("format"), "mfd-moe");
    EXPECT_EQ(f.metadata.at("format_version"), "1");
    EXPECT_EQ(f.metadata.at("schema_version"), kSchema);
    EXPECT_EQ(f.metadata.at("thresholds"), R"({"flag":0.7})");
    EXPECT_EQ(f.metadata.at("metrics"), R"({"pr_auc":0.9})");
    EXPECT_EQ(*config_from_json(f.metadata.at("config")), model_->config());
    ASSERT_NE(f.find("gate.weight"), nullptr);
    EXPECT_EQ(f.find("gate.weight")->shape, (std::vector<std::uint64_t>{6, 12}));
    EXPECT_EQ(f.find("experts.0.layer0.weight")->shape, (std::vector<std::uint64_t>{16, 4}));
    EXPECT_EQ(f.find("norm.std")->dtype, Dtype::kF32);
}

TEST_F(ModelFile, ReportsMissingAndTruncatedFiles) {
    fs::remove(path());
    expect_load_error(Errc::kNotFound, "cannot open");
    ASSERT_TRUE(model_->save(path()));
    const auto size = fs::file_size(path());
    fs::resize_file(path(), size - 5);
    expect_load_error(Errc::kCorruption, "cover");
    fs::resize_file(path(), 20);
    expect_load_error(Errc::kCorruption, "truncated");
}

TEST_F(ModelFile, RejectsAnotherSchemaVersion) {
    auto r = Model::load(path(), "fraud-features/4");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_NE(r.error().message.find("'fraud-features/3'"), std::string::npos);
    EXPECT_NE(r.error().message.find("'fraud-features/4'"), std::string::npos);
}

TEST_F(ModelFile, RejectsWrongShapesAndMissingOrExtraTensors) {
    auto f = saved();
    for (auto& t : f.tensors) {
        if (t.name == "gate.weight") t = {t.name, Dtype::kF32, {12, 6}, t.data};
    }
    overwrite(f);
    expect_load_error(Errc::kCorruption, "'gate.weight' has shape [12, 6], config needs [6, 12]");
    f = saved();
    std::erase_if(f.tensors, [](const SafeTensor& t) { return t.name == "experts.3.out.bias"; });
    overwrite(f);
    expect_load_error(Errc::kCorruption, "'experts.3.out.bias' is missing");
    ASSERT_TRUE(model_->save(path()));
    f = saved();
    f.tensors.push_back({"experts.9.out.bias", Dtype::kF32, {1}, core::Bytes(4)});
    overwrite(f);
    expect_load_error(Errc::kCorruption, "'experts.9.out.bias' is not part");
}

TEST_F(ModelFile, RejectsNanAndInfiniteWeightsAndNonPositiveStd) {
    for (float bad : {std::numeric_limits<float>::quiet_NaN(), INFINITY}) {
        ASSERT_TRUE(model_->save(path()));
        auto f = saved();
        for (auto& t : f.tensors) {
            if (t.name == "experts.1.layer0.weight") std::memcpy(t.data.data() + 8, &bad, 4);
        }
        overwrite(f);
        expect_load_error(Errc::kCorruption, "'experts.1.layer0.weight' holds a NaN or infinity");
    }
    ASSERT_TRUE(model_->save(path()));
    auto f = saved();
    for (auto& t : f.tensors) {
        if (t.name == "norm.std") std::memset(t.data.data(), 0, 4);
    }
    overwrite(f);
    expect_load_error(Errc::kCorruption, "not positive");
}

TEST_F(ModelFile, RejectsUnknownAndNonF32Dtypes) {
    // Unknown dtype: patch the header text in place (same length).
    std::string bytes;
    {
        std::ifstream in(path(), std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    const auto at = bytes.find(R"("F32")");
    ASSERT_NE(at, std::string::npos);
    bytes.replace(at, 5, R"("Q32")");
    std::ofstream(path(), std::ios::binary | std::ios::trunc) << bytes;
    expect_load_error(Errc::kCorruption, "unknown dtype \"Q32\"");
    ASSERT_TRUE(model_->save(path()));
    auto f = saved();
    f.tensors.front().dtype = Dtype::kI32;  // same element size, wrong type
    overwrite(f);
    expect_load_error(Errc::kCorruption, "dtype I32, expected F32");
}

TEST_F(ModelFile, RejectsFilesThatAreNotModels) {
    auto f = saved();
    f.metadata.erase("format");
    overwrite(f);
    expect_load_error(Errc::kCorruption, "not an mfd-moe model file");
    f.metadata["format"] = "mfd-moe";
    f.metadata["format_version"] = "99";
    overwrite(f);
    expect_load_error(Errc::kCorruption, "format version '99'");
    f.metadata["format_version"] = "1";
    f.metadata["config"] = R"({"n_features":12})";
    overwrite(f);
    expect_load_error(Errc::kCorruption, "model config JSON");
    f.metadata.erase("thresholds");
    overwrite(f);
    expect_load_error(Errc::kCorruption, "no 'thresholds'");
}

TEST_F(ModelFile, SaveRejectsMetadataThatIsNotJson) {
    auto m = *model_;
    m.set_info({std::string(kSchema), "{not json", "{}"});
    auto r = m.save(dir_ / "other.safetensors");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_FALSE(fs::exists(dir_ / "other.safetensors"));
}

TEST(Model, FromTensorsChecksEveryTensor) {
    const auto config = test::synthetic_config(1, 1);
    auto m = Model::initialise(config, 3);
    ASSERT_TRUE(m);
    auto tensors = m->tensors();
    tensors["gate.bias"].values.pop_back();
    auto r = Model::from_tensors(config, tensors, {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kCorruption);
    auto bad_config = config;
    bad_config.n_features = 0;
    EXPECT_EQ(Model::from_tensors(bad_config, m->tensors(), {}).error().code,
              Errc::kInvalidArgument);
}

TEST(Model, InitialisationIsReproducibleAndSeeded) {
    const auto config = test::synthetic_config(2, 2);
    EXPECT_EQ(Model::initialise(config, 9)->tensors(), Model::initialise(config, 9)->tensors());
    EXPECT_NE(Model::initialise(config, 9)->tensors(), Model::initialise(config, 10)->tensors());
    const auto m = *Model::initialise(config, 9);
    for (float v : m.tensor("experts.0.layer0.weight")->values) EXPECT_LE(std::fabs(v), 0.5F);
    EXPECT_EQ(m.tensor("norm.std")->values, std::vector<float>(12, 1.0F));
}

}  // namespace
}  // namespace mfd::models
