#include "models/scorer.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "tests/models/reference_forward.hpp"
#include "tests/models/synthetic.hpp"

namespace mfd::models {
namespace {

using core::Errc;
using test::make_synthetic;
using test::synthetic_config;

/// Fresh weights with a non-trivial normalisation (so folding it into layer 0 is exercised).
Model random_model(const MoeConfig& config, std::uint64_t seed) {
    auto m = Model::initialise(config, seed);
    EXPECT_TRUE(m) << m.error().to_string();
    auto tensors = m->tensors();
    test::Normal rnd(seed + 1);
    for (auto& v : tensors["norm.mean"].values) v = rnd();
    for (auto& v : tensors["norm.std"].values) v = 0.5F + std::fabs(rnd());
    auto out = Model::from_tensors(config, std::move(tensors), {});
    EXPECT_TRUE(out) << out.error().to_string();
    return *out;
}

Scorer cpu_scorer(const Model& m) {
    auto s = Scorer::create(m, {.device = Device::kCpu});
    EXPECT_TRUE(s) << s.error().to_string();
    return std::move(*s);
}

void expect_matches_reference(const Model& m, const test::Synthetic& data) {
    auto scorer = cpu_scorer(m);
    auto batch = scorer.score(data.rows);
    ASSERT_TRUE(batch) << batch.error().to_string();
    const std::size_t f = m.config().n_features;
    ASSERT_EQ(batch->rows, data.size());
    ASSERT_EQ(batch->experts, m.config().total_experts());
    for (std::size_t r = 0; r < data.size(); ++r) {
        const auto ref = test::reference_forward(m, std::span(data.rows).subspan(r * f, f));
        ASSERT_NEAR(batch->probability[r], ref.probability, 1e-5) << "row " << r;
        for (std::size_t e = 0; e < batch->experts; ++e) {
            ASSERT_NEAR(batch->gate(r)[e], ref.gate[e], 1e-5) << "row " << r << " expert " << e;
            ASSERT_NEAR(batch->logits(r)[e], ref.logits[e], 1e-4) << "row " << r;
            ASSERT_EQ(batch->used(r)[e], ref.selected[e]) << "row " << r << " expert " << e;
        }
    }
}

TEST(Scorer, MatchesReferenceForTop2) {
    expect_matches_reference(random_model(synthetic_config(2, 2), 11), make_synthetic(300, 1));
}

TEST(Scorer, MatchesReferenceForTop1) {
    expect_matches_reference(random_model(synthetic_config(2, 1), 12), make_synthetic(300, 2));
}

TEST(Scorer, MatchesReferenceForDenseGating) {
    expect_matches_reference(random_model(synthetic_config(1, 0), 13), make_synthetic(300, 3));
}

TEST(Scorer, MatchesReferenceForDenseBaseline) {
    const auto dense = dense_baseline(synthetic_config(2, 2));
    expect_matches_reference(random_model(dense, 14), make_synthetic(300, 4));
}

TEST(Scorer, MatchesReferenceWithSharedColumnsAndTwoHiddenLayers) {
    auto c = synthetic_config(2, 2);
    c.shared_columns = {0, 4, 8};
    c.hidden = {8, 5};
    c.groups[1].experts = 3;
    expect_matches_reference(random_model(c, 15), make_synthetic(300, 5));
}

TEST(Scorer, SelectsExactlyKExpertsAndGateSumsToOne) {
    for (std::size_t k : {1U, 2U, 0U}) {
        const auto config = synthetic_config(2, k);
        auto scorer = cpu_scorer(random_model(config, 20 + k));
        auto batch = scorer.score(make_synthetic(200, 6).rows);
        ASSERT_TRUE(batch);
        for (std::size_t r = 0; r < batch->rows; ++r) {
            const auto used = batch->used(r);
            EXPECT_EQ(std::accumulate(used.begin(), used.end(), 0U), config.active_experts());
            const auto g = batch->gate(r);
            EXPECT_NEAR(std::accumulate(g.begin(), g.end(), 0.0), 1.0, 1e-5);
        }
    }
}

TEST(Scorer, ScoringIsDeterministicAndIgnoresTrainingNoise) {
    auto config = synthetic_config(2, 2);
    config.gate_noise_std = 10.0F;
    config.dropout = 0.5F;
    const auto noisy = random_model(config, 30);
    auto quiet_config = config;
    quiet_config.gate_noise_std = 0.0F;
    quiet_config.dropout = 0.0F;
    auto quiet = Model::from_tensors(quiet_config, noisy.tensors(), {});
    ASSERT_TRUE(quiet);
    const auto rows = make_synthetic(500, 7).rows;
    auto a = cpu_scorer(noisy);
    auto b = cpu_scorer(*quiet);
    auto first = a.score(rows);
    auto second = a.score(rows);
    auto other = b.score(rows);
    ASSERT_TRUE(first && second && other);
    EXPECT_EQ(first->probability, second->probability);
    EXPECT_EQ(first->selected, second->selected);
    EXPECT_EQ(first->probability, other->probability);
    EXPECT_EQ(first->gate_weights, other->gate_weights);
}

TEST(Scorer, SingleRowMatchesBatchAndReusesBuffers) {
    const auto m = random_model(synthetic_config(2, 2), 40);
    auto scorer = cpu_scorer(m);
    const auto data = make_synthetic(50, 8);
    auto batch = scorer.score(data.rows);
    ASSERT_TRUE(batch);
    ScoreBatch one;
    for (std::size_t r = 0; r < data.size(); ++r) {
        ASSERT_TRUE(
            scorer.score(std::span(data.rows).subspan(r * test::kFeatures, test::kFeatures), one));
        const float* before = one.probability.data();
        EXPECT_EQ(one.rows, 1U);
        EXPECT_NEAR(one.probability[0], batch->probability[r], 1e-6);
        EXPECT_EQ(one.used(0)[0], batch->used(r)[0]);
        ASSERT_TRUE(scorer.score(std::span(data.rows).subspan(0, test::kFeatures), one));
        EXPECT_EQ(one.probability.data(), before);
    }
}

TEST(Scorer, RejectsBadInputWithReasons) {
    auto scorer = cpu_scorer(random_model(synthetic_config(1, 1), 50));
    std::vector<float> rows(3 * test::kFeatures, 0.5F);
    ScoreBatch out;
    auto odd = scorer.score(std::span(rows).subspan(1), out);
    ASSERT_FALSE(odd);
    EXPECT_EQ(odd.error().code, Errc::kInvalidArgument);
    rows[test::kFeatures + 5] = std::nanf("");
    auto nan = scorer.score(rows, out);
    ASSERT_FALSE(nan);
    EXPECT_NE(nan.error().message.find("row 1, feature 5"), std::string::npos);
    rows[test::kFeatures + 5] = -INFINITY;
    EXPECT_FALSE(scorer.score(rows, out));
    rows[test::kFeatures + 5] = 0;
    auto small = Scorer::create(random_model(synthetic_config(1, 1), 50),
                                {.device = Device::kCpu, .max_batch_rows = 2});
    ASSERT_TRUE(small);
    EXPECT_EQ(small->score(rows, out).error().code, Errc::kLimitExceeded);
    ASSERT_TRUE(scorer.score(std::span<const float>(), out));
    EXPECT_EQ(out.rows, 0U);
}

// Issue 11: a model with finite but extreme weights loaded, and its NaN scores read as "not
// fraud". Such a model is refused at load; a NaN or infinite output of a loaded one is an error.
TEST(Scorer, AModelWithExtremeWeightsIsRefusedAtLoad) {
    const auto config = synthetic_config(3, 2);
    auto tensors = random_model(config, 60).tensors();
    for (std::size_t e = 0; e < config.total_experts(); ++e) {
        for (auto& v : tensors["experts." + std::to_string(e) + ".out.weight"].values) v = 3e38F;
    }
    auto extreme = Model::from_tensors(config, std::move(tensors), {});
    ASSERT_TRUE(extreme) << extreme.error().to_string();
    auto s = Scorer::create(*extreme, {.device = Device::kCpu});
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, Errc::kInvalidArgument);
    EXPECT_NE(s.error().message.find("probe rows"), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find("NaN or infinite"), std::string::npos) << s.error().message;
}

TEST(Scorer, ANonFiniteOutputIsAnErrorNotAScore) {
    auto scorer = cpu_scorer(random_model(synthetic_config(3, 2), 61));
    std::vector<float> rows(2 * test::kFeatures, 0.5F);
    ScoreBatch out;
    ASSERT_TRUE(scorer.score(rows, out));
    for (std::size_t c = 0; c < test::kFeatures; ++c) rows[test::kFeatures + c] = 3e38F;
    auto huge = scorer.score(rows, out);
    ASSERT_FALSE(huge);
    EXPECT_EQ(huge.error().code, Errc::kOutOfRange);
    EXPECT_NE(huge.error().message.find("row 1"), std::string::npos) << huge.error().message;
}

TEST(Scorer, ConcurrentCallersAndForksGetTheSameScores) {
    const auto m = random_model(synthetic_config(2, 2), 60);
    auto shared = cpu_scorer(m);
    const auto rows = make_synthetic(2000, 9).rows;
    auto expected = shared.score(rows);
    ASSERT_TRUE(expected);
    std::vector<std::vector<float>> results(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < results.size(); ++t) {
        threads.emplace_back([&, t] {
            auto own = shared.fork();
            Scorer& use = t % 2 ? own : shared;
            for (int i = 0; i < 5; ++i) {
                auto b = use.score(rows);
                if (b) results[t] = b->probability;
            }
        });
    }
    for (auto& th : threads) th.join();
    for (const auto& r : results) EXPECT_EQ(r, expected->probability);
    EXPECT_EQ(shared.stats().rows, 2000U * 11);  // 1 + 2 threads × 5 calls
}

TEST(Scorer, CountsPerExpertUtilisation) {
    auto scorer = cpu_scorer(random_model(synthetic_config(2, 2), 70));
    auto batch = scorer.score(make_synthetic(1000, 10).rows);
    ASSERT_TRUE(batch);
    const auto u = utilisation(*batch);
    ASSERT_EQ(u.size(), 6U);
    EXPECT_NEAR(std::accumulate(u.begin(), u.end(), 0.0), 2.0, 1e-9);
    const auto stats = scorer.stats();
    EXPECT_EQ(stats.rows, 1000U);
    for (std::size_t e = 0; e < u.size(); ++e) EXPECT_DOUBLE_EQ(stats.utilisation()[e], u[e]);
}

TEST(Scorer, ParsesDeviceNames) {
    EXPECT_EQ(*parse_device("cuda"), Device::kCuda);
    EXPECT_EQ(*parse_device("cpu"), Device::kCpu);
    EXPECT_EQ(*parse_device("auto"), Device::kAuto);
    EXPECT_EQ(parse_device("gpu").error().code, Errc::kInvalidArgument);
}

TEST(ScorerCuda, RefusesExplicitCudaWithoutDeviceAndAutoPicksCpu) {
    if (cuda_available()) GTEST_SKIP() << "CUDA present: covered by the CUDA tests";
    const auto m = random_model(synthetic_config(1, 1), 80);
    auto cuda = Scorer::create(m, {.device = Device::kCuda});
    ASSERT_FALSE(cuda);
    EXPECT_EQ(cuda.error().code, Errc::kUnavailable);
    auto automatic = Scorer::create(m, {.device = Device::kAuto});
    ASSERT_TRUE(automatic);
    EXPECT_EQ(automatic->device(), Device::kCpu);
}

TEST(ScorerCuda, CudaScoresMatchCpu) {
    if (!cuda_available()) GTEST_SKIP() << "no CUDA device";
    const auto m = random_model(synthetic_config(2, 2), 90);
    auto gpu = Scorer::create(m, {.device = Device::kAuto});
    ASSERT_TRUE(gpu);
    EXPECT_EQ(gpu->device(), Device::kCuda);
    auto cpu = cpu_scorer(m);
    const auto rows = make_synthetic(5000, 11).rows;
    for (int call = 0; call < 2; ++call) {  // the second call reuses the pinned buffers
        auto a = gpu->score(rows);
        auto b = cpu.score(rows);
        ASSERT_TRUE(a && b);
        for (std::size_t r = 0; r < b->rows; ++r) {
            ASSERT_NEAR(a->probability[r], b->probability[r], 1e-4);
        }
        EXPECT_EQ(a->selected.size(), b->selected.size());
    }
    ScoreBatch one;
    ASSERT_TRUE(gpu->score(std::span(rows).subspan(0, test::kFeatures), one));
    EXPECT_EQ(one.rows, 1U);
}

}  // namespace
}  // namespace mfd::models
