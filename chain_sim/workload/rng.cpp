#include "chain_sim/workload/rng.hpp"

#include <cmath>

namespace mfd::chain::workload {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) noexcept {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << k) | (x >> (64 - k));
}

constexpr double kTwoPi = 6.283185307179586476925286766559;

}  // namespace

Rng::Rng(std::uint64_t seed) noexcept {
    for (auto& s : s_) s = splitmix64(seed);
}

std::uint64_t Rng::next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

std::uint64_t Rng::below(std::uint64_t n) noexcept {
    if (n == 0) return 0;
    const std::uint64_t limit = ~0ULL - (~0ULL % n);  // reject the biased top
    for (;;) {
        const std::uint64_t x = next();
        if (x < limit) return x % n;
    }
}

std::uint64_t Rng::between(std::uint64_t lo, std::uint64_t hi) noexcept {
    if (hi < lo) return lo;
    if (hi - lo == ~0ULL) return next();
    return lo + below(hi - lo + 1);
}

double Rng::uniform() noexcept {
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

double Rng::exponential(double mean) noexcept {
    return -mean * std::log1p(-uniform());
}

double Rng::normal() noexcept {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

double Rng::lognormal(double median, double sigma) noexcept {
    return median * std::exp(sigma * normal());
}

double Rng::pareto(double xmin, double alpha) noexcept {
    return xmin / std::pow(1.0 - uniform(), 1.0 / alpha);
}

std::size_t Rng::weighted(const std::vector<double>& weights) noexcept {
    double total = 0;
    for (double w : weights) total += w;
    double x = uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (x < weights[i]) return i;
        x -= weights[i];
    }
    return weights.empty() ? 0 : weights.size() - 1;
}

}  // namespace mfd::chain::workload
