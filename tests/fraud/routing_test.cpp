// Top-k routing over the real schema: rows in which only one group is available and decides
// the label must go to that group's specialist.
#include <gtest/gtest.h>

#include <random>

#include "fraud/detector.hpp"
#include "fraud/explain.hpp"
#include "fraud/training_set.hpp"
#include "models/scorer.hpp"
#include "models/train.hpp"

namespace mfd::fraud {
namespace {

/// Rows whose region (a group with experts: transaction, account, signature) is the only
/// available one; the label is the sign of a linear function of three of that group's columns.
struct Synthetic {
    TrainingSet set;
    std::vector<Group> region;
};

Synthetic make_rows(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal;
    Synthetic s;
    for (std::size_t i = 0; i < n; ++i) {
        const auto g = static_cast<Group>(i % 3);
        const GroupSpan span = group_span(g);
        std::vector<float> row(kFeatures, 0.0F);
        row[span.offset] = 1;
        for (std::size_t c = span.offset + 1; c < span.offset + span.size; ++c) row[c] = normal(rng);
        const float score = row[span.offset + 1] - 0.7F * row[span.offset + 2] + row[span.offset + 3];
        s.set.rows.values.insert(s.set.rows.values.end(), row.begin(), row.end());
        s.set.rows.masks.push_back(static_cast<GroupMask>(1U << static_cast<unsigned>(g)));
        s.set.labels.push_back(score > 0 ? 1.0F : 0.0F);
        s.region.push_back(g);
    }
    return s;
}

TEST(Routing, TopTwoSendsEachGroupsRowsToItsSpecialist) {
    const auto train_rows = make_rows(6000, 1);
    models::TrainOptions o;
    o.seed = 5;
    o.max_epochs = 20;
    o.batch_size = 128;
    o.learning_rate = 1e-2F;
    auto config = schema_config({1, 1, 1}, 2, 8);
    auto trained = models::train(config, {train_rows.set.rows.values, train_rows.set.labels, {}}, o);
    ASSERT_TRUE(trained) << trained.error().to_string();

    const auto test_rows = make_rows(900, 2);
    auto scorer = models::Scorer::create(trained->model, {.device = models::Device::kCpu});
    ASSERT_TRUE(scorer);
    auto batch = scorer->score(test_rows.set.rows.values);
    ASSERT_TRUE(batch);
    std::vector<float> weights(3);
    std::size_t right = 0;
    for (std::size_t r = 0; r < batch->rows; ++r) {
        mixing_weights(config, batch->gate(r), batch->used(r), weights);
        const auto x = explain(config, test_rows.set.rows.row(r), test_rows.set.rows.masks[r],
                               weights, batch->logits(r), {});
        right += x.experts[0].group == test_rows.region[r] ? 1 : 0;
    }
    EXPECT_GT(static_cast<double>(right) / static_cast<double>(batch->rows), 0.9);
}

}  // namespace
}  // namespace mfd::fraud
