// No shortcuts in the generated traffic: every column that describes a transaction's form —
// its type, replay protection, fee levels, gas limit, value roundness, calldata size — is drawn
// from the same distributions for honest and fraudulent transactions, so a detector cannot
// tell them apart by the wallet that signed them. For each such column, the single-column
// ROC-AUC between honest and fraudulent rows (ties counted half) must stay within [0.4, 0.6],
// leaving out only the typologies that are defined by that column.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "chain_sim/workload/generator.hpp"
#include "core/transaction_rules.hpp"
#include "tests/workload/workload_testing.hpp"

namespace mfd::chain::workload {
namespace {

/// A column of a transaction's form and the typologies that are about it.
struct FormColumn {
    std::string name;
    std::function<double(const core::Transaction&)> value;
    std::set<std::string> defined_by;
};

bool round_ether(const core::U256& wei) {
    const double eth = wei.to_double() / 1e18;
    if (eth < 1e-3) return false;
    const double scale = std::pow(10.0, std::floor(std::log10(eth)) - 1);
    const double mantissa = eth / scale;
    return std::fabs(mantissa - std::round(mantissa)) < 1e-6 * mantissa;
}

std::vector<FormColumn> form_columns() {
    using T = const core::Transaction&;
    const auto gwei = [](const core::U256& v) { return v.to_double() / 1e9; };
    const std::set<std::string> replay = {"fraud:replay"};
    return {
        {"type legacy", [](T t) { return t.type == core::TxType::kLegacy ? 1.0 : 0.0; }, replay},
        {"type 2930", [](T t) { return t.type == core::TxType::kAccessList ? 1.0 : 0.0; }, replay},
        {"type 1559", [](T t) { return t.type == core::TxType::kDynamicFee ? 1.0 : 0.0; }, replay},
        {"no chain id", [](T t) { return t.chain_id ? 0.0 : 1.0; }, replay},
        {"fee cap", [gwei](T t) { return gwei(t.fee_cap()); }, {}},
        {"tip", [gwei](T t) { return gwei(t.tip_cap()); }, {}},
        {"gas over intrinsic",
         [](T t) {
             return static_cast<double>(t.gas_limit) /
                    static_cast<double>(std::max<std::uint64_t>(1, core::intrinsic_gas(t)));
         },
         {}},
        {"round value", [](T t) { return round_ether(t.value) ? 1.0 : 0.0; }, {}},
        {"calldata bytes",
         [](T t) { return static_cast<double>(t.data.size()); },
         {"fraud:approval_phishing"}},
    };
}

/// P(fraud value > honest value) + P(equal) / 2, by ranks with ties averaged.
double single_column_auc(const std::vector<double>& honest, const std::vector<double>& fraud) {
    std::vector<std::pair<double, int>> all;
    for (double v : honest) all.emplace_back(v, 0);
    for (double v : fraud) all.emplace_back(v, 1);
    std::sort(all.begin(), all.end());
    double fraud_rank_sum = 0;
    for (std::size_t i = 0; i < all.size();) {
        std::size_t j = i;
        while (j < all.size() && all[j].first == all[i].first) ++j;
        const double rank = (static_cast<double>(i) + static_cast<double>(j) + 1) / 2;
        for (std::size_t k = i; k < j; ++k) fraud_rank_sum += all[k].second ? rank : 0.0;
        i = j;
    }
    const auto nf = static_cast<double>(fraud.size());
    const auto nh = static_cast<double>(honest.size());
    return (fraud_rank_sum - nf * (nf + 1) / 2) / (nf * nh);
}

TEST(Shortcuts, SingleColumnAucOfFormColumnsIsNearOneHalf) {
    GeneratorConfig c;
    c.seed = 41;
    c.params.accounts = 2000;
    c.params.txs = 20'000;
    c.params.fraud_rate = 0.05;
    auto stream = generate_stream(c);
    ASSERT_TRUE(stream) << test::error_message(stream);
    for (const auto& column : form_columns()) {
        std::vector<double> honest;
        std::vector<double> fraud;
        for (const auto& r : stream->records) {
            const auto& e = r.event;
            if (column.defined_by.contains(e.typology)) continue;
            (e.label == 1 ? fraud : honest).push_back(column.value(e.tx));
        }
        ASSERT_GT(fraud.size(), 500u);
        const double auc = single_column_auc(honest, fraud);
        RecordProperty(column.name, std::to_string(auc));
        EXPECT_GE(auc, 0.4) << column.name;
        EXPECT_LE(auc, 0.6) << column.name;
    }
}

TEST(Shortcuts, TheAucMeasureSeparatesWhatDiffers) {
    EXPECT_DOUBLE_EQ(single_column_auc({1, 2, 3}, {4, 5}), 1.0);
    EXPECT_DOUBLE_EQ(single_column_auc({4, 5}, {1, 2, 3}), 0.0);
    EXPECT_DOUBLE_EQ(single_column_auc({1, 1}, {1, 1}), 0.5);
    EXPECT_DOUBLE_EQ(single_column_auc({0, 1}, {1}), 0.75);
}

}  // namespace
}  // namespace mfd::chain::workload
