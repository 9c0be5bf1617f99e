#include "core/keccak.hpp"

#include <bit>
#include <cstring>

namespace mfd::core {
namespace {

constexpr std::size_t kRate = 136;

constexpr std::uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

// Rotation of lane (x, y) at index x + 5y, and where the pi step moves it: (y, 2x + 3y).
constexpr int kRot[25] = {0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43,
                          25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14};
constexpr int pi_target(int i) { return (i / 5) + 5 * ((2 * (i % 5) + 3 * (i / 5)) % 5); }

// The loops have constant bounds and indices, so unrolled they keep the lanes in registers.
void keccak_f1600(std::uint64_t st[25]) noexcept {
    std::uint64_t a[25], b[25], c[5], d[5];
    std::memcpy(a, st, sizeof(a));
#pragma GCC unroll 2
    for (int round = 0; round < 24; ++round) {
#pragma GCC unroll 5
        for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
#pragma GCC unroll 5
        for (int x = 0; x < 5; ++x) d[x] = c[(x + 4) % 5] ^ std::rotl(c[(x + 1) % 5], 1);
#pragma GCC unroll 25
        for (int i = 0; i < 25; ++i) b[pi_target(i)] = std::rotl(a[i] ^ d[i % 5], kRot[i]);
#pragma GCC unroll 25
        for (int i = 0; i < 25; ++i) {
            const int x = i % 5, row = i - x;
            a[i] = b[i] ^ (~b[row + (x + 1) % 5] & b[row + (x + 2) % 5]);
        }
        a[0] ^= kRoundConstants[round];
    }
    std::memcpy(st, a, sizeof(a));
}

std::uint64_t load_le64(const std::uint8_t* p) noexcept {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

}  // namespace

Keccak256::Keccak256() noexcept { std::memset(state_, 0, sizeof(state_)); }

void Keccak256::update(ByteView data) noexcept {
    std::size_t i = 0;
    while (i < data.size()) {
        const std::size_t take = std::min(kRate - buffered_, data.size() - i);
        std::memcpy(buffer_ + buffered_, data.data() + i, take);
        buffered_ += take;
        i += take;
        if (buffered_ == kRate) {
            for (std::size_t lane = 0; lane < kRate / 8; ++lane) {
                state_[lane] ^= load_le64(buffer_ + 8 * lane);
            }
            keccak_f1600(state_);
            buffered_ = 0;
        }
    }
}

Hash Keccak256::finish() noexcept {
    std::memset(buffer_ + buffered_, 0, kRate - buffered_);
    buffer_[buffered_] ^= 0x01;
    buffer_[kRate - 1] ^= 0x80;
    for (std::size_t lane = 0; lane < kRate / 8; ++lane) state_[lane] ^= load_le64(buffer_ + 8 * lane);
    keccak_f1600(state_);
    Hash out;
    for (std::size_t i = 0; i < 32; ++i) {
        out.bytes[i] = static_cast<std::uint8_t>(state_[i / 8] >> (8 * (i % 8)));
    }
    return out;
}

Hash keccak256(ByteView data) noexcept {
    Keccak256 h;
    h.update(data);
    return h.finish();
}

std::uint32_t function_selector(std::string_view signature) noexcept {
    const Hash h = keccak256(signature);
    return (std::uint32_t{h.bytes[0]} << 24) | (std::uint32_t{h.bytes[1]} << 16) |
           (std::uint32_t{h.bytes[2]} << 8) | std::uint32_t{h.bytes[3]};
}

}  // namespace mfd::core
