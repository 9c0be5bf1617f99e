#include "core/uint256.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace mfd::core {
namespace {

__extension__ using u128 = unsigned __int128;

int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Divides in place by a 64-bit divisor and returns the remainder.
std::uint64_t div_small(std::array<std::uint64_t, 4>& limbs, std::uint64_t d) noexcept {
    u128 rem = 0;
    for (int i = 3; i >= 0; --i) {
        const u128 cur = (rem << 64) | limbs[i];
        limbs[i] = static_cast<std::uint64_t>(cur / d);
        rem = cur % d;
    }
    return static_cast<std::uint64_t>(rem);
}

}  // namespace

Result<U256> U256::from_be(ByteView be) {
    std::size_t skip = 0;
    while (skip < be.size() && be[skip] == 0) ++skip;
    if (be.size() - skip > 32) {
        return fail(Errc::kOutOfRange, "integer of " + std::to_string(be.size() - skip) +
                                           " bytes does not fit 256 bits");
    }
    U256 out;
    for (std::size_t i = skip; i < be.size(); ++i) {
        const std::size_t pos = be.size() - 1 - i;  // byte index from the least significant end
        out.limbs_[pos / 8] |= std::uint64_t{be[i]} << (8 * (pos % 8));
    }
    return out;
}

Result<U256> U256::from_string(std::string_view s) {
    if (s.empty()) return fail(Errc::kBadNumber, "empty number");
    U256 out;
    if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s.remove_prefix(2);
        if (s.empty()) return fail(Errc::kBadNumber, "hex quantity without digits");
        for (char c : s) {
            const int d = hex_digit(c);
            if (d < 0) return fail(Errc::kBadNumber, "non-hex digit in quantity");
            if (out.limbs_[3] >> 60) return fail(Errc::kOutOfRange, "hex quantity exceeds 256 bits");
            out = (out << 4) + U256(static_cast<std::uint64_t>(d));
        }
        return out;
    }
    for (char c : s) {
        if (c < '0' || c > '9') return fail(Errc::kBadNumber, "non-decimal digit in number");
        U256 next;
        if (!checked_mul(out, 10, next) ||
            !checked_add(next, static_cast<std::uint64_t>(c - '0'), out)) {
            return fail(Errc::kOutOfRange, "decimal number exceeds 256 bits");
        }
    }
    return out;
}

Hash U256::to_be32() const noexcept {
    Hash out;
    for (int i = 0; i < 32; ++i) {
        out.bytes[31 - i] = static_cast<std::uint8_t>(limbs_[i / 8] >> (8 * (i % 8)));
    }
    return out;
}

Bytes U256::to_be_trimmed() const {
    const Hash full = to_be32();
    std::size_t skip = 0;
    while (skip < 32 && full.bytes[skip] == 0) ++skip;
    return Bytes(full.bytes.begin() + static_cast<std::ptrdiff_t>(skip), full.bytes.end());
}

std::string U256::to_hex() const {
    if (is_zero()) return "0x0";
    std::string digits = core::to_hex(to_be_trimmed(), false);
    if (digits[0] == '0') digits.erase(0, 1);
    return "0x" + digits;
}

std::string U256::to_dec() const {
    if (is_zero()) return "0";
    std::array<std::uint64_t, 4> work = limbs_;
    std::string out;
    auto nonzero = [&] { return (work[0] | work[1] | work[2] | work[3]) != 0; };
    while (nonzero()) {
        std::uint64_t chunk = div_small(work, 10'000'000'000'000'000'000ULL);
        for (int i = 0; i < 19; ++i) {
            out.push_back(static_cast<char>('0' + chunk % 10));
            chunk /= 10;
            if (!nonzero() && chunk == 0) break;
        }
    }
    std::reverse(out.begin(), out.end());
    return out;
}

double U256::to_double() const noexcept {
    double out = 0;
    for (int i = 3; i >= 0; --i) out = out * 18446744073709551616.0 + static_cast<double>(limbs_[i]);
    return out;
}

unsigned U256::bit_length() const noexcept {
    for (int i = 3; i >= 0; --i) {
        if (limbs_[i] != 0) return static_cast<unsigned>(64 * i + 64 - std::countl_zero(limbs_[i]));
    }
    return 0;
}

U256 operator+(const U256& a, const U256& b) noexcept {
    U256 out;
    (void)checked_add(a, b, out);
    return out;
}

U256 operator-(const U256& a, const U256& b) noexcept {
    U256 out;
    std::uint64_t borrow = 0;
    for (int i = 0; i < 4; ++i) {
        const u128 diff = u128{a.limbs_[i]} - b.limbs_[i] - borrow;
        out.limbs_[i] = static_cast<std::uint64_t>(diff);
        borrow = static_cast<std::uint64_t>(diff >> 127);  // 1 when the subtraction wrapped
    }
    return out;
}

U256 operator*(const U256& a, const U256& b) noexcept {
    U256 out;
    (void)checked_mul(a, b, out);
    return out;
}

U256 operator<<(const U256& a, unsigned n) noexcept {
    if (n >= 256) return {};
    U256 out;
    const unsigned limb_shift = n / 64;
    const unsigned bit_shift = n % 64;
    for (int i = 3; i >= static_cast<int>(limb_shift); --i) {
        std::uint64_t v = a.limbs_[i - limb_shift] << bit_shift;
        if (bit_shift != 0 && i - static_cast<int>(limb_shift) - 1 >= 0) {
            v |= a.limbs_[i - limb_shift - 1] >> (64 - bit_shift);
        }
        out.limbs_[i] = v;
    }
    return out;
}

U256 operator>>(const U256& a, unsigned n) noexcept {
    if (n >= 256) return {};
    U256 out;
    const unsigned limb_shift = n / 64;
    const unsigned bit_shift = n % 64;
    for (unsigned i = 0; i + limb_shift < 4; ++i) {
        std::uint64_t v = a.limbs_[i + limb_shift] >> bit_shift;
        if (bit_shift != 0 && i + limb_shift + 1 < 4) {
            v |= a.limbs_[i + limb_shift + 1] << (64 - bit_shift);
        }
        out.limbs_[i] = v;
    }
    return out;
}

U256 operator/(const U256& a, const U256& b) noexcept { return divmod(a, b).quot; }
U256 operator%(const U256& a, const U256& b) noexcept { return divmod(a, b).rem; }

bool checked_add(const U256& a, const U256& b, U256& out) noexcept {
    std::uint64_t r[4];
    std::uint64_t carry = 0;
    for (int i = 0; i < 4; ++i) {
        const u128 sum = u128{a.limb(i)} + b.limb(i) + carry;
        r[i] = static_cast<std::uint64_t>(sum);
        carry = static_cast<std::uint64_t>(sum >> 64);
    }
    out = U256(r[3], r[2], r[1], r[0]);
    return carry == 0;
}

bool checked_sub(const U256& a, const U256& b, U256& out) noexcept {
    if (b > a) return false;
    out = a - b;
    return true;
}

bool checked_mul(const U256& a, const U256& b, U256& out) noexcept {
    std::uint64_t r[8] = {};
    for (int i = 0; i < 4; ++i) {
        std::uint64_t carry = 0;
        if (a.limb(i) == 0) continue;
        for (int j = 0; j < 4; ++j) {
            const u128 cur = u128{a.limb(i)} * b.limb(j) + r[i + j] + carry;
            r[i + j] = static_cast<std::uint64_t>(cur);
            carry = static_cast<std::uint64_t>(cur >> 64);
        }
        r[i + 4] = carry;
    }
    out = U256(r[3], r[2], r[1], r[0]);
    return (r[4] | r[5] | r[6] | r[7]) == 0;
}

DivMod divmod(const U256& a, const U256& b) noexcept {
    if (b.is_zero()) return {};
    if (a < b) return {U256{}, a};
    if (b.fits_u64()) {
        std::array<std::uint64_t, 4> limbs{a.limb(0), a.limb(1), a.limb(2), a.limb(3)};
        const std::uint64_t rem = div_small(limbs, b.low64());
        return {U256(limbs[3], limbs[2], limbs[1], limbs[0]), U256(rem)};
    }
    // Shift-subtract long division: the divisor has more than 64 bits, so the quotient has at
    // most 192 significant bits and the loop runs from the quotient's top bit only.
    U256 quot;
    U256 rem;
    const unsigned shift = a.bit_length() - b.bit_length();
    U256 d = b << shift;
    rem = a;
    for (int i = static_cast<int>(shift); i >= 0; --i) {
        if (rem >= d) {
            rem = rem - d;
            quot = quot + (U256(1) << static_cast<unsigned>(i));
        }
        d = d >> 1;
    }
    return {quot, rem};
}

}  // namespace mfd::core
