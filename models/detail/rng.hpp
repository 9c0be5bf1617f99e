#pragma once
/// The models' own pseudo-random generator (xoshiro256** seeded through SplitMix64): the same
/// sequence on every platform and standard library, unlike std::uniform_*_distribution.
/// Internal to models/. Not thread-safe: one instance per thread.

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace mfd::models::detail {

/// xoshiro256** (Blackman & Vigna), state filled by SplitMix64 from a 64-bit seed.
class Rng {
public:
    explicit Rng(std::uint64_t seed) noexcept {
        for (auto& s : state_) s = splitmix(seed);
    }

    /// The next 64 random bits.
    std::uint64_t next() noexcept {
        const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    /// Uniform in [0, 1) with 24 bits of precision.
    float uniform() noexcept { return static_cast<float>(next() >> 40) * 0x1.0p-24F; }

    /// Uniform in [0, n) without modulo bias; n must be > 0.
    std::uint64_t below(std::uint64_t n) noexcept {
        const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
        std::uint64_t v = next();
        while (v >= limit) v = next();
        return v % n;
    }

    /// Fisher–Yates shuffle.
    template <class T>
    void shuffle(std::vector<T>& v) noexcept {
        for (std::size_t i = v.size(); i > 1; --i) {
            const auto j = static_cast<std::size_t>(below(i));
            std::swap(v[i - 1], v[j]);
        }
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) noexcept {
        return (x << k) | (x >> (64 - k));
    }
    static std::uint64_t splitmix(std::uint64_t& x) noexcept {
        std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    std::uint64_t state_[4];
};

}  // namespace mfd::models::detail
