// core::abi::decode on arbitrary types and data. The input is a type list, a newline, then the
// data; without a newline the first byte picks one of the contracts' own type lists. Whatever
// decodes must re-encode, decode again to the same values, and encode to the same bytes.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/abi.hpp"

namespace {

namespace abi = mfd::core::abi;

void check(bool ok) {
    if (!ok) std::abort();
}

constexpr std::array<std::string_view, 10> kKnown = {
    "address,uint256",        "address,address,uint256", "string,string,uint8,uint256",
    "address[],uint256",      "address,uint256,bytes",   "address,uint256,bytes,uint256,bool",
    "(uint8,bytes)[2],int16", "bytes32[],string[]",      "(address,(uint256,bytes[]))[]",
    "bool,int256,bytes7",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data),
                                std::min<std::size_t>(size, 256));
    const std::size_t newline = text.find('\n');
    std::string types_text;
    mfd::core::ByteView body;
    if (newline == std::string_view::npos) {
        types_text = kKnown[data[0] % kKnown.size()];
        body = mfd::core::ByteView(data + 1, size - 1);
    } else {
        types_text = text.substr(0, newline);
        body = mfd::core::ByteView(data + newline + 1, size - newline - 1);
    }
    auto tuple = abi::parse_type("(" + types_text + ")");
    if (!tuple) return 0;
    const auto& types = tuple->children;
    auto values = abi::decode(types, body);
    if (!values) return 0;
    auto encoded = abi::encode(types, *values);
    check(encoded.has_value());
    auto again = abi::decode(types, *encoded);
    check(again.has_value() && *again == *values);
    auto re_encoded = abi::encode(types, *again);
    check(re_encoded.has_value() && *re_encoded == *encoded);
    (void)abi::selector_of(body);
    return 0;
}
