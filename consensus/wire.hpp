#pragma once
/// The primitives of the consensus wire format: fixed-width big-endian integers and fixed-size
/// byte strings, so every value has exactly one encoding. Not thread-safe (one per message).

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/bytes.hpp"

namespace mfd::consensus {

/// Appends big-endian fields to a byte string.
class WireWriter {
public:
    explicit WireWriter(core::Bytes& out) noexcept : out_(out) {}
    void u8(std::uint8_t v) { out_.push_back(v); }
    void u16(std::uint16_t v) { put(v, 2); }
    void u32(std::uint32_t v) { put(v, 4); }
    void u64(std::uint64_t v) { put(v, 8); }
    void bytes(core::ByteView v) { core::append(out_, v); }

private:
    void put(std::uint64_t v, int width) {
        for (int i = width - 1; i >= 0; --i)
            out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    core::Bytes& out_;
};

/// Reads big-endian fields with bounds checks. The first failure sticks: later reads return
/// zeros and error() names the first problem, so a decoder checks once at the end.
class WireReader {
public:
    explicit WireReader(core::ByteView in) noexcept : in_(in) {}

    std::uint8_t u8() { return static_cast<std::uint8_t>(get(1, "u8")); }
    std::uint16_t u16() { return static_cast<std::uint16_t>(get(2, "u16")); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(get(4, "u32")); }
    std::uint64_t u64() { return get(8, "u64"); }
    /// Copies N bytes into a fixed-size value.
    template <std::size_t N>
    core::FixedBytes<N> fixed(const char* what) {
        core::FixedBytes<N> out;
        if (take(N, what)) std::copy_n(in_.data() + pos_ - N, N, out.bytes.begin());
        return out;
    }
    /// Copies `n` bytes.
    core::Bytes bytes(std::size_t n, const char* what) {
        if (!take(n, what)) return {};
        return core::Bytes(in_.begin() + static_cast<std::ptrdiff_t>(pos_ - n),
                           in_.begin() + static_cast<std::ptrdiff_t>(pos_));
    }
    /// Records a schema violation (the first one wins).
    void fail(std::string why) {
        if (error_.empty()) error_ = std::move(why);
        pos_ = in_.size();
    }
    [[nodiscard]] bool ok() const noexcept { return error_.empty(); }
    [[nodiscard]] const std::string& error() const noexcept { return error_; }
    [[nodiscard]] std::size_t remaining() const noexcept { return in_.size() - pos_; }
    [[nodiscard]] std::size_t position() const noexcept { return pos_; }

private:
    bool take(std::size_t n, const char* what) {
        if (!ok()) return false;
        if (remaining() < n) {
            fail(std::string("input ends inside ") + what + " at byte " + std::to_string(pos_));
            return false;
        }
        pos_ += n;
        return true;
    }
    std::uint64_t get(std::size_t n, const char* what) {
        if (!take(n, what)) return 0;
        std::uint64_t v = 0;
        for (std::size_t i = pos_ - n; i < pos_; ++i) v = (v << 8) | in_[i];
        return v;
    }

    core::ByteView in_;
    std::size_t pos_ = 0;
    std::string error_;
};

}  // namespace mfd::consensus
