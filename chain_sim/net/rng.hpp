#pragma once
/// A small deterministic random generator (SplitMix64): the same seed gives the same stream on
/// every platform, which is what makes a simulation replayable. Not thread-safe.

#include <cstdint>

namespace mfd::chain::net {

class Rng {
public:
    explicit Rng(std::uint64_t seed) noexcept : state_(seed) {}

    /// The next 64 random bits.
    std::uint64_t next() noexcept {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [lo, hi] (lo <= hi).
    std::int64_t uniform(std::int64_t lo, std::int64_t hi) noexcept {
        const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
        return span == 0 ? static_cast<std::int64_t>(next())
                         : lo + static_cast<std::int64_t>(next() % span);
    }
    /// Uniform in [0, 1).
    double unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    /// True with probability p.
    bool chance(double p) noexcept { return unit() < p; }
    /// An independent generator derived from this one and `salt`.
    [[nodiscard]] Rng fork(std::uint64_t salt) noexcept {
        return Rng(next() ^ (salt * 0x2545f4914f6cdd1dULL));
    }

private:
    std::uint64_t state_;
};

}  // namespace mfd::chain::net
