#include "plugin/rpc/eth_params.hpp"

#include <array>
#include <utility>

#include "core/keccak.hpp"
#include "plugin/rpc/params.hpp"

namespace mfd::rpc {
namespace {

using json = nlohmann::json;

core::Unexpected bad(std::string_view what, const json& v, std::string_view problem) {
    return core::fail(core::Errc::kInvalidArgument,
                      std::string(what) + ": " + std::string(problem) + ", got " + quote_value(v));
}

bool is_hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// The digits after a 0x/0X prefix, or nothing when `v` is not a prefixed string.
std::optional<std::string_view> hex_digits(const json& v) {
    if (!v.is_string()) return std::nullopt;
    std::string_view s = v.get_ref<const std::string&>();
    if (s.size() < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return std::nullopt;
    return s.substr(2);
}

/// Fixed-size data (addresses, hashes) with an exact digit count.
template <std::size_t N>
core::Result<core::FixedBytes<N>> read_fixed(const json& v, std::string_view what,
                                             std::string_view kind) {
    const auto digits = hex_digits(v);
    if (!digits || digits->size() != 2 * N) {
        return bad(what, v,
                   std::string(kind) + " must be 0x and " + std::to_string(2 * N) + " hex digits");
    }
    auto bytes = core::fixed_from_hex<N>(*digits);
    if (!bytes) return bad(what, v, bytes.error().message);
    return *bytes;
}

}  // namespace

core::Result<core::U256> read_quantity(const json& v, std::string_view what) {
    const auto digits = hex_digits(v);
    if (!digits) return bad(what, v, "expected a hex quantity string such as \"0x1f\"");
    if (digits->empty()) return bad(what, v, "hex quantity without digits");
    if (digits->size() > 1 && (*digits)[0] == '0')
        return bad(what, v, "hex quantity has leading zeros");
    if (digits->size() > 64) return bad(what, v, "hex quantity exceeds 256 bits");
    for (char c : *digits) {
        if (!is_hex_digit(c)) return bad(what, v, "non-hex digit in quantity");
    }
    auto value = core::U256::from_string(std::string("0x").append(*digits));
    if (!value) return bad(what, v, value.error().message);
    return *value;
}

core::Result<std::uint64_t> read_quantity_u64(const json& v, std::string_view what) {
    auto value = read_quantity(v, what);
    if (!value) return core::fail(value.error());
    if (!value->fits_u64()) return bad(what, v, "quantity exceeds 64 bits");
    return value->low64();
}

core::Result<core::Bytes> read_data(const json& v, std::string_view what, std::size_t max_bytes) {
    const auto digits = hex_digits(v);
    if (!digits) return bad(what, v, "expected hex data starting with 0x");
    if (digits->size() % 2 != 0) return bad(what, v, "hex data has an odd number of digits");
    if (digits->size() / 2 > max_bytes) {
        return core::fail(core::Errc::kInvalidArgument,
                          std::string(what) + ": data of " + std::to_string(digits->size() / 2) +
                              " bytes exceeds " + std::to_string(max_bytes));
    }
    auto bytes = core::from_hex(*digits);
    if (!bytes) return bad(what, v, bytes.error().message);
    return std::move(*bytes);
}

core::Result<core::Address> read_address(const json& v, std::string_view what) {
    auto address = read_fixed<20>(v, what, "address");
    if (!address) return address;
    const std::string_view digits = v.get_ref<const std::string&>();
    const bool has_upper = digits.find_first_of("ABCDEF", 2) != std::string_view::npos;
    const bool has_lower = digits.find_first_of("abcdef", 2) != std::string_view::npos;
    if (has_upper && has_lower && to_checksum_address(*address).substr(2) != digits.substr(2)) {
        return bad(what, v, "address has an invalid EIP-55 checksum");
    }
    return address;
}

core::Result<core::Hash> read_hash(const json& v, std::string_view what) {
    return read_fixed<32>(v, what, "hash");
}

core::Result<BlockTag> read_block_tag(const json& v, std::string_view what) {
    static constexpr std::array<std::pair<std::string_view, BlockTag::Kind>, 5> kTags{{
        {"earliest", BlockTag::Kind::kEarliest},
        {"latest", BlockTag::Kind::kLatest},
        {"pending", BlockTag::Kind::kPending},
        {"safe", BlockTag::Kind::kSafe},
        {"finalized", BlockTag::Kind::kFinalized},
    }};
    if (v.is_string()) {
        for (const auto& [name, kind] : kTags) {
            if (v.get_ref<const std::string&>() == name) return BlockTag{kind, 0};
        }
    }
    if (!hex_digits(v)) {
        return bad(what, v,
                   "expected a block number (hex quantity) or one of \"earliest\", \"latest\", "
                   "\"pending\", \"safe\", \"finalized\"");
    }
    auto number = read_quantity_u64(v, what);
    if (!number) return core::fail(number.error());
    return BlockTag{BlockTag::Kind::kNumber, *number};
}

std::string to_quantity(std::uint64_t v) {
    return core::U256(v).to_hex();
}

std::string to_quantity(const core::U256& v) {
    return v.to_hex();
}

std::string to_data(core::ByteView bytes) {
    return core::to_hex(bytes, true);
}

std::string to_checksum_address(const core::Address& address) {
    std::string hex = core::to_hex(address.view(), false);
    const core::Hash h = core::keccak256(std::string_view(hex));
    for (std::size_t i = 0; i < hex.size(); ++i) {
        const std::uint8_t nibble = (i % 2 == 0) ? (h.bytes[i / 2] >> 4) : (h.bytes[i / 2] & 0xf);
        if (hex[i] >= 'a' && nibble >= 8) hex[i] = static_cast<char>(hex[i] - 'a' + 'A');
    }
    return "0x" + hex;
}

}  // namespace mfd::rpc
