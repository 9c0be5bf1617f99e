#include "models/config.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "tests/models/synthetic.hpp"

namespace mfd::models {
namespace {

using core::Errc;

TEST(Config, AcceptsTheSyntheticLayout) {
    const auto c = test::synthetic_config(2, 2);
    EXPECT_TRUE(validate(c));
    EXPECT_EQ(c.total_experts(), 6U);
    EXPECT_EQ(c.active_experts(), 2U);
    EXPECT_FALSE(c.is_dense());
    EXPECT_EQ(test::synthetic_config(2, 0).active_experts(), 6U);
}

TEST(Config, RejectsEachBadFieldByName) {
    const std::vector<std::pair<std::string, std::function<void(MoeConfig&)>>> cases = {
        {"n_features", [](MoeConfig& c) { c.n_features = 0; }},
        {"no feature groups", [](MoeConfig& c) { c.groups.clear(); }},
        {"no name", [](MoeConfig& c) { c.groups[0].name.clear(); }},
        {"duplicate group name 'tx'", [](MoeConfig& c) { c.groups[1].name = "tx"; }},
        {"outside", [](MoeConfig& c) { c.groups[2].size = 5; }},
        {"outside", [](MoeConfig& c) { c.groups[2].size = 0; }},
        {"has 0 experts", [](MoeConfig& c) { c.groups[0].experts = 0; }},
        {"has 65 experts", [](MoeConfig& c) { c.groups[0].experts = 65; }},
        {"shared column 12", [](MoeConfig& c) { c.shared_columns = {12}; }},
        {"shared column 3",
         [](MoeConfig& c) {
             c.shared_columns = {3, 3};
         }},
        {"hidden layers", [](MoeConfig& c) { c.hidden.clear(); }},
        {"hidden width 0",
         [](MoeConfig& c) {
             c.hidden = {8, 0};
         }},
        {"top_k 3", [](MoeConfig& c) { c.top_k = 3; }},
        {"gate_noise_std", [](MoeConfig& c) { c.gate_noise_std = -1; }},
        {"balance_alpha", [](MoeConfig& c) { c.balance_alpha = NAN; }},
        {"z_loss_coef", [](MoeConfig& c) { c.z_loss_coef = INFINITY; }},
        {"dropout", [](MoeConfig& c) { c.dropout = 1.0F; }},
    };
    for (const auto& [words, mutate] : cases) {
        auto c = test::synthetic_config(2, 2);
        mutate(c);
        auto r = validate(c);
        ASSERT_FALSE(r) << words;
        EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
        EXPECT_NE(r.error().message.find(words), std::string::npos) << r.error().message;
    }
}

TEST(Config, ExpertsSeeTheirGroupThenTheSharedColumns) {
    auto c = test::synthetic_config(2, 2);
    c.shared_columns = {0, 4, 11};
    EXPECT_EQ(expert_group(c, 0), 0U);
    EXPECT_EQ(expert_group(c, 3), 1U);
    EXPECT_EQ(expert_group(c, 5), 2U);
    EXPECT_EQ(expert_columns(c, 0), (std::vector<std::size_t>{0, 1, 2, 3, 4, 11}));
    EXPECT_EQ(expert_columns(c, 2), (std::vector<std::size_t>{4, 5, 6, 7, 0, 11}));
    EXPECT_EQ(expert_columns(c, 5), (std::vector<std::size_t>{8, 9, 10, 11, 0, 4}));
}

TEST(Config, CountsActiveParametersAndSizesTheDenseBaseline) {
    const auto c = test::synthetic_config(2, 2);
    // gate 6·(12 + 1) = 78; an expert 4·16 + 16 + 16 + 1 = 97; two of them.
    EXPECT_EQ(active_parameter_count(c), 78U + 2 * 97U);
    const auto d = dense_baseline(c);
    EXPECT_TRUE(validate(d));
    EXPECT_TRUE(d.is_dense());
    EXPECT_EQ(d.hidden, (std::vector<std::size_t>{19}));  // 19·14 + 1 = 267 ≈ 272
    EXPECT_EQ(active_parameter_count(d), 19U * 14 + 1);
}

TEST(Config, RoundTripsThroughJson) {
    auto c = test::synthetic_config(3, 1);
    c.shared_columns = {0, 8};
    c.hidden = {24, 12};
    c.gate_noise_std = 0.5F;
    c.dropout = 0.25F;
    auto back = config_from_json(to_json(c));
    ASSERT_TRUE(back) << back.error().to_string();
    EXPECT_EQ(*back, c);
    EXPECT_EQ(config_from_json("{").error().code, Errc::kCorruption);
    EXPECT_EQ(config_from_json(R"({"n_features":12})").error().code, Errc::kCorruption);
    auto j = to_json(c);
    j.replace(j.find("\"top_k\":1"), 9, "\"top_k\":7");
    EXPECT_EQ(config_from_json(j).error().code, Errc::kInvalidArgument);
}

TEST(Config, ADeepConfigIsRefusedWhileParsing) {
    const auto r = config_from_json("{\"hidden\":" + std::string(100'000, '[') +
                                    std::string(100'000, ']') + "}");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kCorruption);
    EXPECT_NE(r.error().message.find("nests deeper than"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace mfd::models
