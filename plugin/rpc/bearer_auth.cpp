#include "plugin/rpc/bearer_auth.hpp"

#include <cctype>

#include "core/sha256.hpp"

namespace mfd::rpc {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

}  // namespace

BearerAuth::BearerAuth(std::string_view token)
    : enabled_(!token.empty()), expected_(core::sha256(core::as_bytes(token))) {}

bool BearerAuth::allows(std::string_view header) const noexcept {
    if (!enabled_) return true;
    constexpr std::string_view kScheme = "bearer ";
    if (header.size() < kScheme.size() || !iequals(header.substr(0, kScheme.size()), kScheme)) {
        return false;
    }
    std::string_view token = header.substr(kScheme.size());
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    const core::Hash given = core::sha256(core::as_bytes(token));
    return constant_time_equal(given.view(), expected_.view());
}

bool constant_time_equal(core::ByteView a, core::ByteView b) noexcept {
    if (a.size() != b.size()) return false;
    volatile std::uint8_t diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff = diff | (a[i] ^ b[i]);
    return diff == 0;
}

}  // namespace mfd::rpc
