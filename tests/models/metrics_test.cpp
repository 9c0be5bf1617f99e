#include "models/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace mfd::models {
namespace {

TEST(Metrics, AveragePrecisionOnAHandCountedRanking) {
    const std::vector<float> s{0.9F, 0.8F, 0.7F, 0.6F};
    const std::vector<float> y{1, 0, 1, 0};
    // Recall 1/2 at precision 1/1, then recall 2/2 at precision 2/3.
    EXPECT_NEAR(average_precision(s, y), 0.5 * 1.0 + 0.5 * (2.0 / 3.0), 1e-12);
    EXPECT_DOUBLE_EQ(average_precision(s, std::vector<float>{1, 1, 0, 0}), 1.0);
}

TEST(Metrics, RocAucCountsOrderedPairs) {
    const std::vector<float> s{0.9F, 0.8F, 0.7F, 0.6F};
    EXPECT_DOUBLE_EQ(roc_auc(s, std::vector<float>{1, 0, 1, 0}), 0.75);
    EXPECT_DOUBLE_EQ(roc_auc(s, std::vector<float>{0, 0, 1, 1}), 0.0);
}

TEST(Metrics, TiesCountTogether) {
    const std::vector<float> s{0.5F, 0.5F};
    const std::vector<float> y{1, 0};
    EXPECT_DOUBLE_EQ(roc_auc(s, y), 0.5);
    EXPECT_DOUBLE_EQ(average_precision(s, y), 0.5);
}

TEST(Metrics, UndefinedCasesAreNan) {
    const std::vector<float> s{0.1F, 0.2F};
    EXPECT_TRUE(std::isnan(average_precision(s, std::vector<float>{0, 0})));
    EXPECT_TRUE(std::isnan(roc_auc(s, std::vector<float>{1, 1})));
    EXPECT_TRUE(std::isnan(roc_auc(s, std::vector<float>{1})));
}

}  // namespace
}  // namespace mfd::models
