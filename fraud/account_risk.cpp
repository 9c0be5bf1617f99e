#include "fraud/account_risk.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "fraud/training_set.hpp"

namespace mfd::fraud {
namespace {

constexpr std::array<std::pair<Aggregation, std::string_view>, 6> kNames = {{
    {Aggregation::kLast, "last"},
    {Aggregation::kMeanLogit, "mean_logit"},
    {Aggregation::kMax, "max"},
    {Aggregation::kLateMean, "late_mean"},
    {Aggregation::kMean, "mean"},
    {Aggregation::kMedian, "median"},
}};

double logit(double p) {
    const double q = std::clamp(p, 1e-7, 1 - 1e-7);
    return std::log(q / (1 - q));
}

float mean_logit(std::span<const float> p) {
    double sum = 0;
    for (float v : p) sum += logit(v);
    return static_cast<float>(1 / (1 + std::exp(-sum / static_cast<double>(p.size()))));
}

float mean(std::span<const float> p) {
    double sum = 0;
    for (float v : p) sum += v;
    return static_cast<float>(sum / static_cast<double>(p.size()));
}

float median(std::span<const float> p) {
    std::vector<float> v(p.begin(), p.end());
    const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

}  // namespace

float aggregate(std::span<const float> p, Aggregation rule) {
    if (p.empty()) return 0.0F;
    switch (rule) {
    case Aggregation::kLast: return p.back();
    case Aggregation::kMeanLogit: return mean_logit(p);
    case Aggregation::kMax: return *std::max_element(p.begin(), p.end());
    case Aggregation::kLateMean: return mean_logit(p.subspan(p.size() / 2));
    case Aggregation::kMean: return mean(p);
    case Aggregation::kMedian: return median(p);
    }
    return 0.0F;
}

std::string_view aggregation_name(Aggregation rule) noexcept {
    for (const auto& [r, name] : kNames) {
        if (r == rule) return name;
    }
    return "?";
}

std::optional<Aggregation> parse_aggregation(std::string_view name) noexcept {
    for (const auto& [r, n] : kNames) {
        if (n == name) return r;
    }
    return std::nullopt;
}

bool in_holdout(const core::Address& account, std::uint64_t seed, double fraction) {
    std::uint64_t key = 0;
    for (std::uint8_t byte : account.bytes) key = (key ^ byte) * 0x100000001b3ULL;  // FNV-1a
    return unit_hash(key, seed) < fraction;
}

}  // namespace mfd::fraud
