#pragma once
/// Synthetic labelled rows for the model tests: three feature groups of four columns
/// [available, a, b, c]. Each row belongs to one region r; only group r is "available" (its
/// first column is 1, the others' 0) and the label depends on group r's columns alone
/// (a_r + 0.5·b_r - 0.3·c_r > 0). A model routes well when region r's rows go to group r's
/// experts, since the other experts cannot see what decides the label.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "models/config.hpp"

namespace mfd::models::test {

inline constexpr std::size_t kGroupWidth = 4;
inline constexpr std::size_t kGroups = 3;
inline constexpr std::size_t kFeatures = kGroups * kGroupWidth;

/// Rows, labels and the region of each row.
struct Synthetic {
    std::vector<float> rows;
    std::vector<float> labels;
    std::vector<std::size_t> region;
    [[nodiscard]] std::size_t size() const { return labels.size(); }
};

/// Standard normal draws from mt19937_64 by Box–Muller (same numbers on every platform).
class Normal {
public:
    explicit Normal(std::uint64_t seed) : engine_(seed) {}
    float operator()() {
        const double u1 = (static_cast<double>(engine_() >> 11) + 1.0) * 0x1.0p-53;
        const double u2 = static_cast<double>(engine_() >> 11) * 0x1.0p-53;
        return static_cast<float>(std::sqrt(-2.0 * std::log(u1)) *
                                  std::cos(6.283185307179586 * u2));
    }
    std::uint64_t below(std::uint64_t n) { return engine_() % n; }

private:
    std::mt19937_64 engine_;
};

/// `n` rows as described above; `skew` > 0 puts that share of rows in region 0, `flip` is the
/// share of labels flipped at random (label noise), `threshold` moves the decision boundary
/// (1.0 makes about a quarter of the rows positive).
inline Synthetic make_synthetic(std::size_t n, std::uint64_t seed, double skew = 0.0,
                                double flip = 0.0, float threshold = 0.0F) {
    Normal rnd(seed);
    Synthetic s;
    for (std::size_t i = 0; i < n; ++i) {
        const bool skewed = skew > 0 && static_cast<double>(rnd.below(1000)) < skew * 1000.0;
        const std::size_t r = skewed ? 0 : static_cast<std::size_t>(rnd.below(kGroups));
        float score = 0;
        for (std::size_t g = 0; g < kGroups; ++g) {
            const float a = rnd(), b = rnd(), c = rnd();
            s.rows.insert(s.rows.end(), {g == r ? 1.0F : 0.0F, a, b, c});
            if (g == r) score = a + 0.5F * b - 0.3F * c;
        }
        const bool flipped = flip > 0 && static_cast<double>(rnd.below(1000)) < flip * 1000.0;
        s.labels.push_back((score > threshold) != flipped ? 1.0F : 0.0F);
        s.region.push_back(r);
    }
    return s;
}

/// The synthetic layout with `experts` experts per group.
inline MoeConfig synthetic_config(std::size_t experts, std::size_t top_k) {
    MoeConfig c;
    c.n_features = kFeatures;
    c.groups = {{"tx", 0, kGroupWidth, experts},
                {"account", kGroupWidth, kGroupWidth, experts},
                {"signature", 2 * kGroupWidth, kGroupWidth, experts}};
    c.hidden = {16};
    c.top_k = top_k;
    return c;
}

}  // namespace mfd::models::test
