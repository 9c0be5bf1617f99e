#pragma once
/// Bearer-token checks (RFC 6750) whose timing does not depend on where the tokens differ.

#include <string>
#include <string_view>

#include "core/bytes.hpp"

namespace mfd::rpc {

/// Holds the SHA-256 of the expected token and checks Authorization header values against it.
/// Immutable after construction, so thread-safe.
class BearerAuth {
public:
    /// An empty token disables the check (every request passes).
    explicit BearerAuth(std::string_view token);

    /// True when the check is on.
    [[nodiscard]] bool enabled() const noexcept { return enabled_; }
    /// True when authorization is off or `header` is "Bearer <token>" (scheme in any case)
    /// with the expected token. Both tokens are hashed first, so the comparison takes the same
    /// time whatever their lengths and contents.
    [[nodiscard]] bool allows(std::string_view header) const noexcept;

private:
    bool enabled_;
    core::Hash expected_;
};

/// Compares two equal-size byte ranges in time independent of their contents.
[[nodiscard]] bool constant_time_equal(core::ByteView a, core::ByteView b) noexcept;

}  // namespace mfd::rpc
