#pragma once
/// Byte strings, fixed-size byte arrays (addresses, hashes) and hex conversion.

#include <algorithm>
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mfd::core {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

/// Views the characters of a string as bytes (no copy).
[[nodiscard]] inline ByteView as_bytes(std::string_view s) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

/// A fixed-size byte array compared lexicographically (so it can key ordered maps).
template <std::size_t N>
struct FixedBytes {
    std::array<std::uint8_t, N> bytes{};

    static constexpr std::size_t kSize = N;

    /// Copies exactly N bytes; fails with kInvalidArgument on any other length.
    [[nodiscard]] static Result<FixedBytes> from(ByteView v) {
        if (v.size() != N) {
            return fail(Errc::kInvalidArgument, "expected " + std::to_string(N) +
                                                    " bytes, got " + std::to_string(v.size()));
        }
        FixedBytes out;
        std::copy(v.begin(), v.end(), out.bytes.begin());
        return out;
    }
    /// Right-aligns up to N bytes (left-pads with zeros); longer input keeps its last N bytes.
    [[nodiscard]] static FixedBytes right_aligned(ByteView v) noexcept {
        FixedBytes out;
        const std::size_t n = std::min(v.size(), N);
        std::copy(v.end() - static_cast<std::ptrdiff_t>(n), v.end(), out.bytes.end() - n);
        return out;
    }

    [[nodiscard]] constexpr const std::uint8_t* data() const noexcept { return bytes.data(); }
    [[nodiscard]] constexpr std::uint8_t* data() noexcept { return bytes.data(); }
    [[nodiscard]] static constexpr std::size_t size() noexcept { return N; }
    [[nodiscard]] ByteView view() const noexcept { return {bytes.data(), N}; }
    [[nodiscard]] Bytes to_bytes() const { return Bytes(bytes.begin(), bytes.end()); }
    [[nodiscard]] bool is_zero() const noexcept {
        return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
    }
    /// Lower-case hex with a 0x prefix.
    [[nodiscard]] std::string hex() const;

    friend constexpr auto operator<=>(const FixedBytes&, const FixedBytes&) = default;
    friend constexpr bool operator==(const FixedBytes&, const FixedBytes&) = default;
};

using Address = FixedBytes<20>;
using Hash = FixedBytes<32>;

/// Lower-case hex of `v`, with "0x" in front when `prefix`.
[[nodiscard]] std::string to_hex(ByteView v, bool prefix = true);

/// Parses hex with an optional 0x/0X prefix. Fails with kBadHex on an odd length or a non-hex
/// character (the message names the position).
[[nodiscard]] Result<Bytes> from_hex(std::string_view s);

/// Parses hex of exactly N bytes (after an optional prefix).
template <std::size_t N>
[[nodiscard]] Result<FixedBytes<N>> fixed_from_hex(std::string_view s) {
    auto b = from_hex(s);
    if (!b) return fail(b.error());
    if (b->size() != N) {
        return fail(Errc::kBadHex, "expected " + std::to_string(N) + " bytes of hex, got " +
                                       std::to_string(b->size()));
    }
    return FixedBytes<N>::from(*b);
}

template <std::size_t N>
std::string FixedBytes<N>::hex() const {
    return to_hex(view());
}

/// Big-endian encoding of an unsigned integer without leading zero bytes (0 -> empty).
[[nodiscard]] Bytes be_trimmed(std::uint64_t v);

/// Appends `b` to `out`.
inline void append(Bytes& out, ByteView b) { out.insert(out.end(), b.begin(), b.end()); }

/// Writes `v` big-endian into 8 bytes (for sortable database keys).
inline void put_be64(std::uint8_t* out, std::uint64_t v) noexcept {
    for (int i = 7; i >= 0; --i) {
        out[i] = static_cast<std::uint8_t>(v);
        v >>= 8;
    }
}
/// Reads 8 big-endian bytes.
[[nodiscard]] inline std::uint64_t get_be64(const std::uint8_t* in) noexcept {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | in[i];
    return v;
}

}  // namespace mfd::core

template <std::size_t N>
struct std::hash<mfd::core::FixedBytes<N>> {
    std::size_t operator()(const mfd::core::FixedBytes<N>& v) const noexcept {
        // Addresses and hashes are uniformly distributed: their first 8 bytes suffice (FNV mix
        // keeps short or crafted keys from colliding trivially).
        std::uint64_t h = 1469598103934665603ULL;
        for (std::size_t i = 0; i < N; ++i) h = (h ^ v.bytes[i]) * 1099511628211ULL;
        return static_cast<std::size_t>(h);
    }
};
