#pragma once
/// Hashing and equality for fixed-size byte values (addresses, digests) in the engine's hash
/// maps: word-wise and inlined, since every message compares several of them. Pure.

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/bytes.hpp"

namespace mfd::consensus {

/// True when the two values hold the same bytes.
template <std::size_t N>
[[nodiscard]] inline bool same_bytes(const core::FixedBytes<N>& a,
                                     const core::FixedBytes<N>& b) noexcept {
    std::uint64_t diff = 0;
    std::size_t i = 0;
    for (; i + 8 <= N; i += 8) {
        std::uint64_t x = 0;
        std::uint64_t y = 0;
        std::memcpy(&x, a.data() + i, 8);
        std::memcpy(&y, b.data() + i, 8);
        diff |= x ^ y;
    }
    for (; i < N; ++i) diff |= static_cast<std::uint64_t>(a.bytes[i] ^ b.bytes[i]);
    return diff == 0;
}

/// Hashes a uniformly distributed value (an address or a Keccak digest) by its first 8 bytes.
struct PrefixHash {
    template <std::size_t N>
    std::size_t operator()(const core::FixedBytes<N>& v) const noexcept {
        static_assert(N >= 8);
        std::uint64_t h = 0;
        std::memcpy(&h, v.data(), 8);
        return static_cast<std::size_t>(h);
    }
};

/// Equality functor for hash maps keyed by fixed-size values.
struct SameBytes {
    template <std::size_t N>
    bool operator()(const core::FixedBytes<N>& a, const core::FixedBytes<N>& b) const noexcept {
        return same_bytes(a, b);
    }
};

}  // namespace mfd::consensus
