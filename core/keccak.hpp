#pragma once
/// Keccak-256 as Ethereum uses it: the original Keccak submission (padding byte 0x01, rate 136),
/// not FIPS-202 SHA3-256 (padding 0x06). Thread-safe: no shared state.

#include <cstdint>

#include "core/bytes.hpp"

namespace mfd::core {

/// Incremental Keccak-256: update() any number of times, then finish() once.
class Keccak256 {
public:
    Keccak256() noexcept;
    void update(ByteView data) noexcept;
    /// Pads, squeezes and returns the digest; the hasher must not be used afterwards.
    [[nodiscard]] Hash finish() noexcept;

private:
    std::uint64_t state_[25];
    std::uint8_t buffer_[136];
    std::size_t buffered_ = 0;
};

/// Keccak-256 of `data`.
[[nodiscard]] Hash keccak256(ByteView data) noexcept;

/// Keccak-256 of the characters of `s` (e.g. a Solidity signature "transfer(address,uint256)").
[[nodiscard]] inline Hash keccak256(std::string_view s) noexcept { return keccak256(as_bytes(s)); }

/// The 4-byte Solidity function selector of a signature such as "transfer(address,uint256)".
[[nodiscard]] std::uint32_t function_selector(std::string_view signature) noexcept;

}  // namespace mfd::core
