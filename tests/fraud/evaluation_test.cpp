#include "fraud/evaluation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "fraud/account_risk.hpp"
#include "fraud/thresholds.hpp"
#include "fraud/training_set.hpp"
#include "fraud/xgboost_baseline.hpp"
#include "models/metrics.hpp"

namespace mfd::fraud {
namespace {

TEST(Thresholds, KeepTheFalsePositiveRateAtMostTheTarget) {
    std::vector<float> scores, labels;
    for (int i = 0; i < 1000; ++i) {
        scores.push_back(static_cast<float>(i) / 1000.0F);
        labels.push_back(0);
    }
    scores.push_back(0.995F);
    labels.push_back(1);
    const float t = threshold_for_fpr(scores, labels, 0.01);
    const auto c = confusion_at(scores, labels, t);
    EXPECT_EQ(c.fp, 10U);
    EXPECT_EQ(c.tp, 1U);
    EXPECT_EQ(confusion_at(scores, labels, threshold_for_fpr(scores, labels, 0.0)).fp, 0U);
    EXPECT_DOUBLE_EQ(recall_at_fpr(scores, labels, 0.001), 0.0);
    EXPECT_DOUBLE_EQ(recall_at_fpr(scores, labels, 0.01), 1.0);
}

TEST(Thresholds, RoundTripThroughJsonAndPickTheClosestFpr) {
    const std::vector<ThresholdPoint> points = {{0.001, 0.9F}, {0.01, 0.7F}};
    auto back = parse_thresholds(thresholds_json(points));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, points);
    EXPECT_FLOAT_EQ(pick_threshold(points, 0.002), 0.9F);
    EXPECT_FLOAT_EQ(pick_threshold(points, 0.05), 0.7F);
    EXPECT_FLOAT_EQ(pick_threshold({}, 0.01), 0.5F);
    EXPECT_EQ(parse_thresholds("[1,2").error().code, core::Errc::kCorruption);
    EXPECT_FALSE(parse_thresholds(R"({"by_fpr":[{"fpr":2,"threshold":0.5}]})"));
    const auto deep = parse_thresholds("{\"by_fpr\":" + std::string(100'000, '[') +
                                       std::string(100'000, ']') + "}");
    ASSERT_FALSE(deep);
    EXPECT_NE(deep.error().message.find("nests deeper than"), std::string::npos);
}

TEST(Evaluation, ConfusionAndPerKeyRecall) {
    const std::vector<float> scores = {0.9F, 0.2F, 0.8F, 0.1F, 0.6F};
    const std::vector<float> labels = {1, 1, 0, 0, 1};
    const std::vector<std::string> keys = {"a", "a", "x", "y", "b"};
    const auto c = confusion_at(scores, labels, 0.5F);
    EXPECT_EQ(c.tp, 2U);
    EXPECT_EQ(c.fn, 1U);
    EXPECT_EQ(c.fp, 1U);
    EXPECT_EQ(c.tn, 1U);
    EXPECT_DOUBLE_EQ(c.f1(), 4.0 / 6.0);
    const auto by = recall_by_key(scores, labels, keys, 0.5F);
    EXPECT_DOUBLE_EQ(by.at("a").recall, 0.5);
    EXPECT_EQ(by.at("a").count, 2U);
    EXPECT_DOUBLE_EQ(by.at("b").recall, 1.0);
    EXPECT_FALSE(by.contains("x"));
}

// Two fraud rows among four honest ones: at the sample's own prevalence (1/3) the figures are
// the unweighted ones; at 1 % each honest row weighs 49.5, as if 198 honest rows stood for 4.
TEST(Evaluation, FiguresAtAPrevalenceReweighTheHonestRows) {
    const std::vector<float> scores = {0.9F, 0.8F, 0.7F, 0.6F, 0.5F, 0.4F};
    const std::vector<float> labels = {1, 0, 1, 0, 0, 0};
    const auto own = at_prevalence(scores, labels, 1.0 / 3.0);
    EXPECT_NEAR(own.pr_auc, models::average_precision(scores, labels), 1e-12);
    EXPECT_NEAR(own.pr_auc, 0.5 + 0.5 * 2.0 / 3.0, 1e-12);
    const auto low = at_prevalence(scores, labels, 0.01);
    EXPECT_NEAR(low.pr_auc, 0.5 + 0.5 * 2.0 / 51.5, 1e-12);
    EXPECT_DOUBLE_EQ(low.precision_at_recall_05, 1.0);
    EXPECT_NEAR(low.precision_at_recall_08, 2.0 / 51.5, 1e-12);
    EXPECT_DOUBLE_EQ(low.recall_at_precision_09, 0.5);
    EXPECT_DOUBLE_EQ(own.recall_at_precision_09, 0.5);  // 2/3 at recall 1 is below 0.9
    EXPECT_TRUE(std::isnan(at_prevalence(scores, labels, 0.0).pr_auc));
    EXPECT_TRUE(std::isnan(at_prevalence(scores, std::vector<float>(6, 0), 0.01).pr_auc));
}

// Tied scores count together: a tie of one fraud and one honest row at the top is precision 1/2.
TEST(Evaluation, TiesAtAPrevalenceAreOneThreshold) {
    const std::vector<float> scores = {0.9F, 0.9F, 0.1F};
    const std::vector<float> labels = {1, 0, 0};
    const auto f = at_prevalence(scores, labels, 0.5);  // honest rows weigh 1/2 each
    EXPECT_NEAR(f.pr_auc, 1.0 / 1.5, 1e-12);
    EXPECT_DOUBLE_EQ(f.recall_at_precision_09, 0.0);
}

// The curve of the same six rows: one point per distinct score, a tie one point; at 1 % each
// honest row weighs 49.5, so the precision at recall 1 is 2 / (2 + 4 · 49.5).
TEST(Evaluation, CurvePointsFollowTheThresholdsAndThePrevalence) {
    const std::vector<float> scores = {0.9F, 0.8F, 0.7F, 0.7F, 0.5F, 0.4F};
    const std::vector<float> labels = {1, 0, 1, 0, 0, 0};
    const auto own = curve_points(scores, labels, 0);
    ASSERT_EQ(own.size(), 5U);
    EXPECT_FLOAT_EQ(own[0].threshold, 0.9F);
    EXPECT_DOUBLE_EQ(own[0].recall, 0.5);
    EXPECT_DOUBLE_EQ(own[0].fpr, 0.0);
    EXPECT_DOUBLE_EQ(own[0].precision, 1.0);
    EXPECT_FLOAT_EQ(own[2].threshold, 0.7F);  // the tie: both rows at once
    EXPECT_DOUBLE_EQ(own[2].recall, 1.0);
    EXPECT_DOUBLE_EQ(own[2].fpr, 0.5);
    EXPECT_DOUBLE_EQ(own[2].precision, 2.0 / 4.0);
    EXPECT_DOUBLE_EQ(own.back().fpr, 1.0);
    const auto low = curve_points(scores, labels, 0.01);
    ASSERT_EQ(low.size(), own.size());
    EXPECT_DOUBLE_EQ(low[0].precision, 1.0);
    EXPECT_NEAR(low.back().precision, 2.0 / (2.0 + 4 * 49.5), 1e-12);
    EXPECT_DOUBLE_EQ(low.back().fpr, own.back().fpr);  // the ROC does not move
    EXPECT_TRUE(curve_points(scores, std::vector<float>(6, 0), 0.01).empty());
    EXPECT_TRUE(curve_points(scores, std::vector<float>(5, 0), 0.01).empty());
}

namespace {

/// Scores of `n` rows drawn from two overlapping classes (fraud share `share`), seeded.
void noisy_scores(std::size_t n, double share, std::uint32_t seed, std::vector<float>& scores,
                  std::vector<float>& labels) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> noise(0.0F, 1.0F);
    std::bernoulli_distribution fraud(share);
    for (std::size_t i = 0; i < n; ++i) {
        const bool f = fraud(rng);
        labels.push_back(f ? 1.0F : 0.0F);
        scores.push_back(noise(rng) + (f ? 1.5F : 0.0F));
    }
}

double width(const Interval& i) {
    return i.high - i.low;
}

}  // namespace

TEST(Evaluation, BootstrapIntervalsAreSeededAndHoldTheEstimate) {
    std::vector<float> scores, labels;
    noisy_scores(2000, 0.3, 7, scores, labels);
    const std::vector<double> prevalences = {0.01};
    const auto a = bootstrap_intervals(scores, labels, {}, prevalences);
    const auto b = bootstrap_intervals(scores, labels, {}, prevalences);
    EXPECT_EQ(a.resamples, 1000U);
    EXPECT_EQ(a.roc_auc.low, b.roc_auc.low);
    EXPECT_EQ(a.pr_auc_at[0].high, b.pr_auc_at[0].high);
    const auto other = bootstrap_intervals(scores, labels, {}, prevalences, {.seed = 2});
    EXPECT_NE(a.roc_auc.low, other.roc_auc.low);
    const double roc = models::roc_auc(scores, labels);
    const double ap = models::average_precision(scores, labels);
    const double ap_at = at_prevalence(scores, labels, 0.01).pr_auc;
    EXPECT_LT(a.roc_auc.low, roc);
    EXPECT_GT(a.roc_auc.high, roc);
    EXPECT_LT(a.pr_auc.low, ap);
    EXPECT_GT(a.pr_auc.high, ap);
    EXPECT_LT(a.pr_auc_at[0].low, ap_at);
    EXPECT_GT(a.pr_auc_at[0].high, ap_at);
    // The standard error of an AUC on 2,000 rows is about 0.01: the interval is a few times it.
    EXPECT_GT(width(a.roc_auc), 0.01);
    EXPECT_LT(width(a.roc_auc), 0.1);
    const auto half = bootstrap_intervals(scores, labels, {}, prevalences, {.level = 0.5});
    EXPECT_LT(width(half.roc_auc), width(a.roc_auc));
}

// Ten copies of each row are not ten times the evidence: resampling the copies as one unit
// gives the interval of the original rows, resampling them apart one about sqrt(10) narrower.
TEST(Evaluation, BootstrapOverUnitsKeepsCorrelatedRowsTogether) {
    std::vector<float> scores, labels;
    noisy_scores(500, 0.3, 11, scores, labels);
    std::vector<float> copies_s, copies_l;
    std::vector<std::uint64_t> unit;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        for (int c = 0; c < 10; ++c) {
            copies_s.push_back(scores[i]);
            copies_l.push_back(labels[i]);
            unit.push_back(1000 + 7 * i);
        }
    }
    const auto rows = bootstrap_intervals(scores, labels, {}, {});
    const auto grouped = bootstrap_intervals(copies_s, copies_l, unit, {});
    const auto apart = bootstrap_intervals(copies_s, copies_l, {}, {});
    EXPECT_NEAR(width(grouped.roc_auc) / width(rows.roc_auc), 1.0, 0.2);
    EXPECT_LT(width(apart.roc_auc), 0.5 * width(grouped.roc_auc));
    const auto wrong = bootstrap_intervals(scores, labels, std::vector<std::uint64_t>(3), {});
    EXPECT_TRUE(std::isnan(wrong.roc_auc.low));  // clusters of the wrong size
}

TEST(AccountRisk, AggregationRules) {
    const std::vector<float> p = {0.1F, 0.9F, 0.5F, 0.5F};
    EXPECT_FLOAT_EQ(aggregate(p, Aggregation::kLast), 0.5F);
    EXPECT_FLOAT_EQ(aggregate(p, Aggregation::kMax), 0.9F);
    EXPECT_NEAR(aggregate(p, Aggregation::kLateMean), 0.5F, 1e-6);
    EXPECT_NEAR(aggregate(p, Aggregation::kMeanLogit), 0.5F, 1e-6)
        << "logits of 0.1 and 0.9 cancel";
    EXPECT_EQ(aggregate({}, Aggregation::kMax), 0.0F);
    const std::vector<float> skewed = {0.3F, 0.01F, 0.2F};
    EXPECT_NEAR(aggregate(skewed, Aggregation::kMean), 0.17F, 1e-6);
    EXPECT_FLOAT_EQ(aggregate(skewed, Aggregation::kMedian), 0.2F);
    EXPECT_LT(aggregate(skewed, Aggregation::kMeanLogit), 0.1F) << "one extreme logit dominates";
    for (auto rule : kAggregations) {
        EXPECT_EQ(parse_aggregation(aggregation_name(rule)), rule);
    }
    EXPECT_FALSE(parse_aggregation("mode"));
}

TEST(AccountRisk, HoldoutSplitIsReproducibleAndSized) {
    std::size_t held = 0;
    for (std::uint64_t i = 0; i < 4000; ++i) {
        core::Address a;
        for (std::size_t b = 0; b < 8; ++b) a.bytes[b] = static_cast<std::uint8_t>(i >> (8 * b));
        const bool h = in_holdout(a, 7, 0.3);
        EXPECT_EQ(h, in_holdout(a, 7, 0.3));
        held += h ? 1 : 0;
    }
    EXPECT_NEAR(static_cast<double>(held) / 4000.0, 0.3, 0.03);
}

TEST(XgboostBaseline, LearnsASeparableRule) {
    std::mt19937_64 rng(3);
    std::normal_distribution<float> normal;
    std::vector<float> rows, labels;
    for (int i = 0; i < 2000; ++i) {
        const float a = normal(rng), b = normal(rng), c = normal(rng);
        rows.insert(rows.end(), {a, b, c});
        labels.push_back(a + b > 0.5F ? 1.0F : 0.0F);
    }
    XgbOptions o;
    o.rounds = 60;
    auto model =
        XgbModel::train(std::span(rows).first(1500 * 3), 3, std::span(labels).first(1500), {}, o);
    ASSERT_TRUE(model) << model.error().to_string();
    auto p = model->predict(std::span(rows).subspan(1500 * 3));
    ASSERT_TRUE(p);
    EXPECT_GT(models::roc_auc(*p, std::span(labels).subspan(1500)), 0.95);
    EXPECT_EQ(model->predict(std::span(rows).first(4)).error().code, core::Errc::kInvalidArgument);
    EXPECT_FALSE(XgbModel::train(rows, 3, std::span(labels).first(10), {}, o));
}

TEST(XgboostBaseline, OutOfFoldProbabilitiesNeverSeeTheirGroup) {
    // 400 groups of 5 identical rows, each group's label a coin flip: the features say nothing
    // about a new group. Folds by row put a group's twins in the training folds, so its label
    // leaks; folds by group score every row with a booster that never saw it.
    std::mt19937_64 rng(5);
    std::normal_distribution<float> normal;
    std::vector<float> rows, labels;
    std::vector<std::uint64_t> groups;
    for (std::uint64_t g = 0; g < 400; ++g) {
        const float a = normal(rng), b = normal(rng), c = normal(rng);
        const float y = (rng() & 1U) ? 1.0F : 0.0F;
        for (int copy = 0; copy < 5; ++copy) {
            rows.insert(rows.end(), {a, b, c});
            labels.push_back(y);
            groups.push_back(g * 7919);
        }
    }
    XgbOptions o;
    o.rounds = 60;
    const auto by_row = out_of_fold_predictions(rows, 3, labels, {}, {}, 5, o);
    const auto by_group = out_of_fold_predictions(rows, 3, labels, {}, groups, 5, o);
    ASSERT_TRUE(by_row) << by_row.error().to_string();
    ASSERT_TRUE(by_group) << by_group.error().to_string();
    ASSERT_EQ(by_group->size(), labels.size());
    EXPECT_GT(models::roc_auc(*by_row, labels), 0.9);
    EXPECT_LT(models::roc_auc(*by_group, labels), 0.65);
    for (std::size_t i = 0; i + 1 < labels.size(); i += 5) {
        EXPECT_FLOAT_EQ((*by_group)[i], (*by_group)[i + 4]) << "group " << i / 5;
    }
    EXPECT_EQ(out_of_fold_predictions(rows, 3, labels, {}, groups, 1, o).error().code,
              core::Errc::kInvalidArgument);
    EXPECT_EQ(
        out_of_fold_predictions(rows, 3, labels, {}, std::span(groups).first(9), 5, o).error().code,
        core::Errc::kInvalidArgument);
}

TEST(TrainingSet, MaskedCopiesZeroTheirGroup) {
    TrainingSet set;
    set.rows.values.assign(kFeatures * 200, 1.0F);
    set.rows.masks.assign(200, kAllGroups);
    set.labels.assign(200, 1.0F);
    const auto sources = add_masked_copies(set, 0.1, 4);
    ASSERT_EQ(sources.size(), set.size() - 200);
    ASSERT_GT(set.size(), 230U);
    ASSERT_LT(set.size(), 320U);
    std::size_t by_group[kGroups] = {};
    for (std::size_t i = 200; i < set.size(); ++i) {
        const auto row = set.rows.row(i);
        for (auto g : {Group::kAccount, Group::kSignature, Group::kState}) {
            if (set.rows.masks[i] != (kAllGroups & ~group_bit(g))) continue;
            ++by_group[static_cast<std::size_t>(g)];
            const auto span = group_span(g);
            for (std::size_t c = span.offset; c < span.offset + span.size; ++c) {
                EXPECT_EQ(row[c], 0.0F);
            }
        }
        EXPECT_EQ(row[kTxAvailable], 1.0F);
    }
    for (auto g : {Group::kAccount, Group::kSignature, Group::kState}) {
        EXPECT_GT(by_group[static_cast<std::size_t>(g)], 0U);
    }
}

}  // namespace
}  // namespace mfd::fraud
