#include "core/bytes.hpp"

namespace mfd::core {
namespace {

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string to_hex(ByteView v, bool prefix) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(v.size() * 2 + 2);
    if (prefix) out = "0x";
    for (std::uint8_t b : v) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0xf]);
    }
    return out;
}

Result<Bytes> from_hex(std::string_view s) {
    if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
    if (s.size() % 2 != 0) {
        return fail(Errc::kBadHex, "odd number of hex digits (" + std::to_string(s.size()) + ")");
    }
    Bytes out(s.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = hex_value(s[2 * i]);
        const int lo = hex_value(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return fail(Errc::kBadHex, "non-hex character at digit " +
                                           std::to_string(2 * i + (hi < 0 ? 0 : 1)));
        }
        out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
    }
    return out;
}

Bytes be_trimmed(std::uint64_t v) {
    Bytes out;
    while (v != 0) {
        out.insert(out.begin(), static_cast<std::uint8_t>(v));
        v >>= 8;
    }
    return out;
}

}  // namespace mfd::core
