#pragma once
/// SHA-256 through OpenSSL. Thread-safe.

#include "core/bytes.hpp"

namespace mfd::core {

/// SHA-256 of `data`.
[[nodiscard]] Hash sha256(ByteView data) noexcept;

/// Fills `out` with cryptographically secure random bytes (OpenSSL's RAND_bytes); fails with
/// kUnavailable when the generator cannot be seeded.
[[nodiscard]] Result<void> secure_random(std::span<std::uint8_t> out);

}  // namespace mfd::core
