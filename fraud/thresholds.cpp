#include "fraud/thresholds.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>

#include "json/bounded_json.hpp"

namespace mfd::fraud {
namespace {

/// {"by_fpr":[{"fpr":…,"threshold":…}]} is three levels deep.
constexpr std::size_t kMaxThresholdsDepth = 8;

}  // namespace

float threshold_for_fpr(std::span<const float> scores, std::span<const float> labels, double fpr) {
    std::vector<float> negatives;
    for (std::size_t i = 0; i < scores.size() && i < labels.size(); ++i) {
        if (labels[i] == 0.0F) negatives.push_back(scores[i]);
    }
    if (negatives.empty()) return 0.0F;
    const auto allowed = static_cast<std::size_t>(
        std::floor(std::clamp(fpr, 0.0, 1.0) * static_cast<double>(negatives.size()) + 1e-9));
    if (allowed >= negatives.size()) return 0.0F;
    std::nth_element(negatives.begin(), negatives.begin() + static_cast<std::ptrdiff_t>(allowed),
                     negatives.end(), std::greater<>());
    return std::nextafter(negatives[allowed], 2.0F);
}

std::string thresholds_json(const std::vector<ThresholdPoint>& points) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : points) list.push_back({{"fpr", p.fpr}, {"threshold", p.threshold}});
    return nlohmann::json{{"by_fpr", list}}.dump();
}

core::Result<std::vector<ThresholdPoint>> parse_thresholds(std::string_view text) {
    std::vector<ThresholdPoint> out;
    auto parsed = mfd::json::parse_bounded(text, kMaxThresholdsDepth);
    if (!parsed) {
        return core::fail(core::Errc::kCorruption, "model thresholds: " + parsed.error().message);
    }
    try {
        const auto& doc = *parsed;
        if (!doc.is_object()) throw std::runtime_error("not an object");
        if (!doc.contains("by_fpr")) return out;
        for (const auto& p : doc.at("by_fpr")) {
            ThresholdPoint point{p.at("fpr").get<double>(), p.at("threshold").get<float>()};
            if (!(point.fpr >= 0 && point.fpr <= 1) || !std::isfinite(point.threshold)) {
                throw std::runtime_error("fpr outside [0, 1] or non-finite threshold");
            }
            out.push_back(point);
        }
    } catch (const std::exception& e) {
        return core::fail(core::Errc::kCorruption, std::string("model thresholds: ") + e.what());
    }
    return out;
}

float pick_threshold(const std::vector<ThresholdPoint>& points, double target_fpr) {
    if (points.empty()) return 0.5F;
    const auto distance = [&](const ThresholdPoint& p) {
        return std::fabs(std::log(std::max(p.fpr, 1e-9)) - std::log(std::max(target_fpr, 1e-9)));
    };
    return std::min_element(points.begin(), points.end(),
                            [&](const auto& a, const auto& b) { return distance(a) < distance(b); })
        ->threshold;
}

}  // namespace mfd::fraud
