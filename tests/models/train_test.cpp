#include "models/train.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "models/metrics.hpp"
#include "models/scorer.hpp"
#include "tests/models/synthetic.hpp"

namespace mfd::models {
namespace {

using core::Errc;
using test::make_synthetic;
using test::synthetic_config;

TrainOptions quick_options(std::uint64_t seed = 7) {
    TrainOptions o;
    o.seed = seed;
    o.max_epochs = 12;
    o.batch_size = 128;
    o.learning_rate = 1e-2F;
    o.patience = 4;
    return o;
}

TrainResult train_ok(const MoeConfig& config, const test::Synthetic& data,
                     const TrainOptions& options) {
    auto r = train(config, {data.rows, data.labels, {}}, options);
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? std::move(*r) : TrainResult{*Model::initialise(config, 0), {}, 0, {}};
}

ScoreBatch score_all(const Model& model, const std::vector<float>& rows) {
    auto scorer = Scorer::create(model, {.device = Device::kCpu});
    EXPECT_TRUE(scorer);
    auto batch = scorer->score(rows);
    EXPECT_TRUE(batch) << batch.error().to_string();
    return batch ? std::move(*batch) : ScoreBatch{};
}

/// Share of region-g rows whose largest gate weight is on one of group g's experts.
double routed_to_own_group(const MoeConfig& config, const ScoreBatch& batch,
                           const test::Synthetic& data) {
    std::size_t hits = 0;
    for (std::size_t r = 0; r < batch.rows; ++r) {
        const auto g = batch.gate(r);
        const auto top = static_cast<std::size_t>(std::max_element(g.begin(), g.end()) - g.begin());
        hits += expert_group(config, top) == data.region[r];
    }
    return static_cast<double>(hits) / static_cast<double>(batch.rows);
}

TEST(Train, RoutesEachRegionToItsGroupsSpecialists) {
    for (std::size_t k : {2U, 1U}) {
        const auto config = synthetic_config(2, k);
        const auto result = train_ok(config, make_synthetic(6000, 1), quick_options());
        const auto held_out = make_synthetic(3000, 2);
        const auto batch = score_all(result.model, held_out.rows);
        const double routed = routed_to_own_group(config, batch, held_out);
        const double auc = roc_auc(batch.probability, held_out.labels);
        EXPECT_GT(routed, 0.9) << "k=" << k;
        EXPECT_GT(auc, 0.95) << "k=" << k;
    }
}

TEST(Train, LoadBalancingKeepsEveryExpertUsed) {
    // With k = 1 and two experts per group, one expert of a group tends to take all of the
    // group's rows; the Switch loss spreads them.
    auto config = synthetic_config(2, 1);
    const auto data = make_synthetic(6000, 3);
    const auto held_out = make_synthetic(3000, 4);
    auto min_utilisation = [&](float alpha) {
        config.balance_alpha = alpha;
        const auto result = train_ok(config, data, quick_options());
        const auto u = utilisation(score_all(result.model, held_out.rows));
        EXPECT_EQ(u.size(), 6U);
        return u.empty() ? 0.0 : *std::min_element(u.begin(), u.end());
    };
    const double balanced = min_utilisation(0.1F);
    const double unbalanced = min_utilisation(0.0F);
    EXPECT_GT(balanced, 0.1);  // uniform would be 1/6
    EXPECT_GT(balanced, unbalanced + 0.05);
}

TEST(Train, EveryGatingModeAndTheDenseBaselineTrainAndScore) {
    const auto data = make_synthetic(4000, 5);
    const auto held_out = make_synthetic(2000, 6);
    const auto moe = synthetic_config(2, 2);
    for (const auto& config :
         {synthetic_config(2, 1), moe, synthetic_config(2, 0), dense_baseline(moe)}) {
        const auto result = train_ok(config, data, quick_options());
        ASSERT_FALSE(result.history.empty());
        EXPECT_EQ(result.history.back().train_utilisation.size(), config.total_experts());
        const auto batch = score_all(result.model, held_out.rows);
        EXPECT_GT(roc_auc(batch.probability, held_out.labels), 0.95)
            << "top_k " << config.top_k << ", experts " << config.total_experts();
        if (config.active_experts() == config.total_experts()) {
            for (auto u : utilisation(batch)) EXPECT_EQ(u, 1.0);
        }
    }
}

TEST(Train, AUniformGateStaysAtZeroAndMixesEveryExpertEqually) {
    const auto config = synthetic_config(2, 0);
    auto options = quick_options();
    options.uniform_gate = true;
    const auto result = train_ok(config, make_synthetic(4000, 5), options);
    for (const char* name : {"gate.weight", "gate.bias"}) {
        const auto* t = result.model.tensor(name);
        ASSERT_NE(t, nullptr) << name;
        EXPECT_TRUE(std::all_of(t->values.begin(), t->values.end(), [](float v) { return v == 0; }))
            << name;
    }
    const auto batch = score_all(result.model, make_synthetic(500, 6).rows);
    const float equal = 1.0F / static_cast<float>(config.total_experts());
    for (float w : batch.gate_weights) ASSERT_FLOAT_EQ(w, equal);
    // The experts still learn: the same data, the same seed, a learned gate, differ only there.
    options.uniform_gate = false;
    const auto learned = train_ok(config, make_synthetic(4000, 5), options);
    const auto& w = learned.model.tensor("gate.weight")->values;
    EXPECT_TRUE(std::any_of(w.begin(), w.end(), [](float v) { return v != 0; }));
    EXPECT_GT(roc_auc(batch.probability, make_synthetic(500, 6).labels), 0.9);
}

TEST(Train, DenseBaselineHasTheActiveParameterCountOfTheMoe) {
    const auto moe = synthetic_config(2, 2);
    const auto dense = dense_baseline(moe);
    auto model = Model::initialise(dense, 1);
    ASSERT_TRUE(model);
    std::size_t params = 0;
    for (const auto& [name, t] : model->tensors()) {
        if (name.rfind("norm.", 0) != 0) params += t.values.size();
    }
    const auto target = active_parameter_count(moe);
    EXPECT_LE(params > target ? params - target : target - params, moe.n_features + 2);
    EXPECT_TRUE(dense.is_dense());
}

TEST(Train, IsDeterministicForASeed) {
    const auto data = make_synthetic(3000, 7);
    auto config = synthetic_config(2, 2);
    config.dropout = 0.2F;
    auto options = quick_options(42);
    options.max_epochs = 4;
    const auto a = train_ok(config, data, options);
    const auto b = train_ok(config, data, options);
    EXPECT_EQ(a.model.tensors(), b.model.tensors());
    ASSERT_EQ(a.history.size(), b.history.size());
    for (std::size_t i = 0; i < a.history.size(); ++i) {
        EXPECT_EQ(a.history[i].train_loss, b.history[i].train_loss);
    }
    options.seed = 43;
    const auto c = train_ok(config, data, options);
    EXPECT_NE(a.model.tensors(), c.model.tensors());
}

TEST(Train, GateNoiseChangesTrainingOnly) {
    const auto data = make_synthetic(3000, 8);
    auto config = synthetic_config(2, 2);
    auto options = quick_options();
    options.max_epochs = 3;
    config.gate_noise_std = 0.0F;
    const auto quiet = train_ok(config, data, options);
    config.gate_noise_std = 1.0F;
    const auto noisy = train_ok(config, data, options);
    EXPECT_NE(quiet.model.tensors(), noisy.model.tensors());
}

TEST(Train, EarlyStoppingRestoresTheBestEpoch) {
    // Few noisy rows and a wide, fast-learning network: validation peaks, then overfits.
    const auto data = make_synthetic(600, 9, 0.0, 0.3);
    auto config = synthetic_config(2, 2);
    config.hidden = {64};
    auto options = quick_options();
    options.max_epochs = 60;
    options.batch_size = 32;
    options.learning_rate = 2e-2F;
    options.patience = 3;
    options.validation_fraction = 0.3F;
    const auto result = train_ok(config, data, options);
    const auto& h = result.history;
    ASSERT_GE(result.best_epoch, 1U);
    ASSERT_LT(h.size(), options.max_epochs);  // stopped early
    EXPECT_EQ(h.size(), result.best_epoch + options.patience);
    for (const auto& r : h) EXPECT_LE(r.val_pr_auc, h[result.best_epoch - 1].val_pr_auc);
    std::vector<float> rows;
    std::vector<float> labels;
    for (auto i : result.validation_rows) {
        rows.insert(rows.end(),
                    data.rows.begin() + static_cast<std::ptrdiff_t>(i * test::kFeatures),
                    data.rows.begin() + static_cast<std::ptrdiff_t>((i + 1) * test::kFeatures));
        labels.push_back(data.labels[i]);
    }
    EXPECT_EQ(result.validation_rows.size(), 180U);
    const double restored = average_precision(score_all(result.model, rows).probability, labels);
    EXPECT_NEAR(restored, h[result.best_epoch - 1].val_pr_auc, 1e-4);
    EXPECT_GT(std::fabs(restored - h.back().val_pr_auc), 1e-3);
}

TEST(Train, StopsOnValidationLossWhenAsked) {
    const auto data = make_synthetic(600, 10, 0.0, 0.3);
    auto options = quick_options();
    options.max_epochs = 40;
    options.batch_size = 32;
    options.stop_metric = StopMetric::kLoss;
    const auto result = train_ok(synthetic_config(2, 2), data, options);
    ASSERT_GE(result.best_epoch, 1U);
    for (const auto& r : result.history) {
        EXPECT_GE(r.val_loss, result.history[result.best_epoch - 1].val_loss);
    }
}

TEST(Train, ReportsEveryEpochToTheCallback) {
    const auto data = make_synthetic(2000, 11);
    auto options = quick_options();
    options.max_epochs = 5;
    options.patience = 100;
    std::vector<EpochReport> seen;
    options.on_epoch = [&](const EpochReport& r) { seen.push_back(r); };
    const auto config = synthetic_config(2, 2);
    const auto result = train_ok(config, data, options);
    ASSERT_EQ(seen.size(), 5U);
    for (std::size_t i = 0; i < seen.size(); ++i) {
        EXPECT_EQ(seen[i].epoch, i + 1);
        EXPECT_GT(seen[i].train_loss, seen[i].train_task_loss);
        EXPECT_GT(seen[i].balance_loss, 0.0);
        EXPECT_GT(seen[i].z_loss, 0.0);
        EXPECT_FALSE(std::isnan(seen[i].val_pr_auc));
        EXPECT_FALSE(std::isnan(seen[i].val_roc_auc));
        for (const auto* u : {&seen[i].train_utilisation, &seen[i].val_utilisation}) {
            ASSERT_EQ(u->size(), 6U);
            EXPECT_NEAR(std::accumulate(u->begin(), u->end(), 0.0), 2.0, 1e-6);
        }
    }
    EXPECT_LT(seen.back().train_task_loss, seen.front().train_task_loss);
}

TEST(Train, WithoutValidationTrainsEveryEpoch) {
    const auto data = make_synthetic(1000, 12);
    auto options = quick_options();
    options.max_epochs = 3;
    options.validation_fraction = 0.0F;
    const auto result = train_ok(synthetic_config(1, 1), data, options);
    EXPECT_EQ(result.history.size(), 3U);
    EXPECT_EQ(result.best_epoch, 3U);
    EXPECT_TRUE(std::isnan(result.history[0].val_loss));
    EXPECT_TRUE(result.validation_rows.empty());
}

TEST(Train, HonoursSampleWeights) {
    // Every row appears twice, once with its label flipped; weighting the flipped copies zero
    // must give the clean model, weighting them one gives no signal.
    const auto clean = make_synthetic(3000, 13);
    test::Synthetic doubled = clean;
    doubled.rows.insert(doubled.rows.end(), clean.rows.begin(), clean.rows.end());
    for (auto y : clean.labels) doubled.labels.push_back(1.0F - y);
    std::vector<float> weights(clean.size(), 1.0F);
    weights.resize(doubled.labels.size(), 0.0F);
    const auto held_out = make_synthetic(2000, 14);
    const auto config = synthetic_config(2, 2);
    auto weighted = train(config, {doubled.rows, doubled.labels, weights}, quick_options());
    ASSERT_TRUE(weighted) << weighted.error().to_string();
    const auto good = score_all(weighted->model, held_out.rows);
    EXPECT_GT(roc_auc(good.probability, held_out.labels), 0.95);
    std::fill(weights.begin(), weights.end(), 1.0F);
    auto unweighted = train(config, {doubled.rows, doubled.labels, weights}, quick_options());
    ASSERT_TRUE(unweighted);
    const auto flat = score_all(unweighted->model, held_out.rows);
    EXPECT_LT(roc_auc(flat.probability, held_out.labels), 0.8);
}

TEST(Train, FocalLossAndClassWeightingHandleImbalance) {
    const auto data = make_synthetic(4000, 15, 0.0, 0.0, 1.2F);
    const auto held_out = make_synthetic(2000, 16, 0.0, 0.0, 1.2F);
    const double positives = std::accumulate(data.labels.begin(), data.labels.end(), 0.0);
    ASSERT_LT(positives / static_cast<double>(data.size()), 0.2);
    for (float gamma : {0.0F, 2.0F}) {
        auto options = quick_options();
        options.focal_gamma = gamma;
        const auto result = train_ok(synthetic_config(2, 2), data, options);
        const auto batch = score_all(result.model, held_out.rows);
        EXPECT_GT(average_precision(batch.probability, held_out.labels), 0.9) << "gamma " << gamma;
    }
}

TEST(Train, DistillationTrainsTowardsTheTeacher) {
    // A teacher that contradicts every label: with λ = 1 the model learns the teacher, with
    // λ = 0 the labels (no validation split, so early stopping cannot choose between them).
    const auto data = make_synthetic(3000, 18);
    const auto held_out = make_synthetic(2000, 19);
    std::vector<float> teacher;
    for (auto y : data.labels) teacher.push_back(1.0F - y);
    auto options = quick_options();
    options.max_epochs = 6;
    options.validation_fraction = 0.0F;
    for (float lambda : {0.0F, 1.0F}) {
        options.distill_weight = lambda;
        auto r = train(synthetic_config(2, 2), {data.rows, data.labels, {}, teacher}, options);
        ASSERT_TRUE(r) << r.error().to_string();
        const auto auc = roc_auc(score_all(r->model, held_out.rows).probability, held_out.labels);
        if (lambda == 0.0F) {
            EXPECT_GT(auc, 0.95);
        } else {
            EXPECT_LT(auc, 0.1);
        }
    }
}

TEST(Train, RejectsBadDataAndOptionsWithReasons) {
    const auto config = synthetic_config(1, 1);
    auto data = make_synthetic(100, 17);
    auto expect_invalid = [&](const TrainData& d, const TrainOptions& o, std::string_view words) {
        auto r = train(config, d, o);
        ASSERT_FALSE(r) << words;
        EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
        EXPECT_NE(r.error().message.find(words), std::string::npos) << r.error().message;
    };
    const TrainOptions o = quick_options();
    expect_invalid({std::span(data.rows).subspan(1), data.labels, {}}, o, "floats for");
    std::vector<float> w(data.size(), 1.0F);
    expect_invalid({data.rows, data.labels, std::span(w).subspan(1)}, o, "weights for");
    w[3] = -1.0F;
    expect_invalid({data.rows, data.labels, w}, o, "weight of row 3");
    auto labels = data.labels;
    labels[5] = 2.0F;
    expect_invalid({data.rows, labels, {}}, o, "label of row 5");
    auto rows = data.rows;
    rows[7 * test::kFeatures + 2] = std::nanf("");
    expect_invalid({rows, data.labels, {}}, o, "row 7, feature 2");
    std::vector<float> zeros(data.size(), 0.0F);
    expect_invalid({data.rows, zeros, {}}, o, "both classes");
    std::vector<float> teacher(data.size(), 0.5F);
    expect_invalid({data.rows, data.labels, {}, std::span(teacher).subspan(1)}, o,
                   "teacher probabilities for");
    teacher[4] = 1.5F;
    expect_invalid({data.rows, data.labels, {}, teacher}, o, "teacher probability of row 4");
    auto distilled = o;
    distilled.distill_weight = 0.5F;
    expect_invalid({data.rows, data.labels, {}}, distilled, "needs teacher");
    distilled.distill_weight = 1.5F;
    expect_invalid({data.rows, data.labels, {}}, distilled, "distill_weight");
    auto bad = o;
    bad.batch_size = 0;
    expect_invalid({data.rows, data.labels, {}}, bad, "batch_size");
    bad = o;
    bad.validation_fraction = 1.0F;
    expect_invalid({data.rows, data.labels, {}}, bad, "validation_fraction");
    auto bad_config = config;
    bad_config.top_k = 3;
    EXPECT_EQ(train(bad_config, {data.rows, data.labels, {}}, o).error().code,
              Errc::kInvalidArgument);
}

}  // namespace
}  // namespace mfd::models
