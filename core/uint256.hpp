#pragma once
/// 256-bit unsigned integers for balances, values and fees (Ethereum's uint256). Arithmetic
/// operators wrap modulo 2^256 like the EVM; the checked_* functions report overflow instead.

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/bytes.hpp"

namespace mfd::core {

class U256 {
public:
    constexpr U256() noexcept = default;
    constexpr U256(std::uint64_t v) noexcept : limbs_{v, 0, 0, 0} {}  // NOLINT: implicit by design
    constexpr U256(std::uint64_t l3, std::uint64_t l2, std::uint64_t l1, std::uint64_t l0) noexcept
        : limbs_{l0, l1, l2, l3} {}

    static constexpr U256 max() noexcept { return U256(~0ULL, ~0ULL, ~0ULL, ~0ULL); }

    /// From up to 32 big-endian bytes (leading zeros allowed); longer input fails kOutOfRange.
    [[nodiscard]] static Result<U256> from_be(ByteView be);
    /// From a decimal string ("123") or a 0x-prefixed hex quantity ("0x7b").
    [[nodiscard]] static Result<U256> from_string(std::string_view s);

    /// 32 big-endian bytes.
    [[nodiscard]] Hash to_be32() const noexcept;
    /// Big-endian bytes without leading zeros (zero -> empty), as RLP encodes integers.
    [[nodiscard]] Bytes to_be_trimmed() const;
    /// Ethereum JSON-RPC quantity: "0x0", "0x1f" (no leading zeros).
    [[nodiscard]] std::string to_hex() const;
    /// Decimal digits.
    [[nodiscard]] std::string to_dec() const;

    [[nodiscard]] constexpr bool is_zero() const noexcept {
        return (limbs_[0] | limbs_[1] | limbs_[2] | limbs_[3]) == 0;
    }
    /// True when the value fits 64 bits.
    [[nodiscard]] constexpr bool fits_u64() const noexcept {
        return (limbs_[1] | limbs_[2] | limbs_[3]) == 0;
    }
    /// Low 64 bits.
    [[nodiscard]] constexpr std::uint64_t low64() const noexcept { return limbs_[0]; }
    /// Nearest double (for features and display; loses precision above 2^53).
    [[nodiscard]] double to_double() const noexcept;
    /// Number of significant bits (0 for zero).
    [[nodiscard]] unsigned bit_length() const noexcept;
    /// Limb i (0 = least significant 64 bits).
    [[nodiscard]] constexpr std::uint64_t limb(int i) const noexcept { return limbs_[i]; }

    friend U256 operator+(const U256& a, const U256& b) noexcept;
    friend U256 operator-(const U256& a, const U256& b) noexcept;
    friend U256 operator*(const U256& a, const U256& b) noexcept;
    /// Division by zero yields zero, as in the EVM.
    friend U256 operator/(const U256& a, const U256& b) noexcept;
    friend U256 operator%(const U256& a, const U256& b) noexcept;
    friend U256 operator<<(const U256& a, unsigned n) noexcept;
    friend U256 operator>>(const U256& a, unsigned n) noexcept;
    U256& operator+=(const U256& b) noexcept { return *this = *this + b; }
    U256& operator-=(const U256& b) noexcept { return *this = *this - b; }
    U256& operator*=(const U256& b) noexcept { return *this = *this * b; }
    U256& operator/=(const U256& b) noexcept { return *this = *this / b; }

    friend constexpr bool operator==(const U256&, const U256&) noexcept = default;
    friend constexpr std::strong_ordering operator<=>(const U256& a, const U256& b) noexcept {
        for (int i = 3; i >= 0; --i) {
            if (a.limbs_[i] != b.limbs_[i]) return a.limbs_[i] <=> b.limbs_[i];
        }
        return std::strong_ordering::equal;
    }

private:
    std::array<std::uint64_t, 4> limbs_{};  // little-endian limb order
};

/// a + b, or false on overflow of 256 bits (out is then unspecified).
[[nodiscard]] bool checked_add(const U256& a, const U256& b, U256& out) noexcept;
/// a - b, or false when b > a.
[[nodiscard]] bool checked_sub(const U256& a, const U256& b, U256& out) noexcept;
/// a * b, or false on overflow of 256 bits.
[[nodiscard]] bool checked_mul(const U256& a, const U256& b, U256& out) noexcept;

/// Quotient and remainder in one pass; division by zero gives {0, 0}.
struct DivMod {
    U256 quot;
    U256 rem;
};
[[nodiscard]] DivMod divmod(const U256& a, const U256& b) noexcept;

}  // namespace mfd::core
