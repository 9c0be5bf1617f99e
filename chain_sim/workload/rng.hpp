#pragma once
/// The generator's random numbers: xoshiro256** seeded through splitmix64, with distributions
/// written here (not <random>'s, whose output differs between standard libraries), so that a
/// seed gives the same stream everywhere libm agrees. One generator per thread.

#include <cstdint>
#include <vector>

namespace mfd::chain::workload {

class Rng {
public:
    /// A generator whose whole sequence is fixed by `seed`.
    explicit Rng(std::uint64_t seed) noexcept;

    /// 64 uniform bits.
    [[nodiscard]] std::uint64_t next() noexcept;
    /// Uniform in [0, n); 0 when n is 0.
    [[nodiscard]] std::uint64_t below(std::uint64_t n) noexcept;
    /// Uniform in [lo, hi] (inclusive); lo when hi < lo.
    [[nodiscard]] std::uint64_t between(std::uint64_t lo, std::uint64_t hi) noexcept;
    /// Uniform in [0, 1) with 53 bits.
    [[nodiscard]] double uniform() noexcept;
    /// Uniform in [lo, hi).
    [[nodiscard]] double uniform(double lo, double hi) noexcept {
        return lo + (hi - lo) * uniform();
    }
    /// True with probability p.
    [[nodiscard]] bool chance(double p) noexcept { return uniform() < p; }
    /// Exponential with the given mean.
    [[nodiscard]] double exponential(double mean) noexcept;
    /// Standard normal (Box-Muller).
    [[nodiscard]] double normal() noexcept;
    /// Log-normal with the given median and log-scale sigma.
    [[nodiscard]] double lognormal(double median, double sigma) noexcept;
    /// Pareto with scale `xmin` and shape `alpha` (heavy tail for small alpha).
    [[nodiscard]] double pareto(double xmin, double alpha) noexcept;
    /// An index drawn with probability proportional to `weights` (all >= 0, sum > 0).
    [[nodiscard]] std::size_t weighted(const std::vector<double>& weights) noexcept;
    /// A derived generator for an independent sub-sequence (e.g. one per account).
    [[nodiscard]] Rng fork() noexcept { return Rng(next()); }

private:
    std::uint64_t s_[4];
};

}  // namespace mfd::chain::workload
