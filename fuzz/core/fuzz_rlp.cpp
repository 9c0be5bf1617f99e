// rlp_decode on arbitrary bytes: it either fails with an RLP reason or accepts a canonical
// encoding, which rebuilding from its strings and lists reproduces byte for byte; its nesting
// depth is exactly what the depth limit lets through.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/rlp.hpp"

namespace {

using mfd::core::Bytes;
using mfd::core::Errc;
using mfd::core::RlpItem;

void check(bool ok) {
    if (!ok) std::abort();
}

bool is_rlp_reason(Errc code) {
    return code == Errc::kRlpEof || code == Errc::kRlpTrailingBytes ||
           code == Errc::kRlpLeadingZeros || code == Errc::kRlpNonCanonicalSize ||
           code == Errc::kRlpSingleByteString || code == Errc::kRlpTooDeep ||
           code == Errc::kRlpSizeOverflow;
}

// Re-encodes `item` from its parts and reports how deeply its lists nest.
Bytes rebuild(const RlpItem& item, std::size_t& depth) {
    depth = 0;
    if (!item.is_list) return mfd::core::rlp_encode_bytes(item.payload);
    auto children = mfd::core::rlp_list_items(item);
    check(children.has_value());
    std::vector<Bytes> parts;
    for (const RlpItem& child : *children) {
        std::size_t child_depth = 0;
        parts.push_back(rebuild(child, child_depth));
        depth = std::max(depth, child_depth);
    }
    ++depth;
    return mfd::core::rlp_encode_list(parts);
}

// A canonical string holding an integer encodes back the same through the integer encoder.
void check_integer(const RlpItem& item) {
    auto value = mfd::core::rlp_u256(item);
    if (!value) return;
    check(mfd::core::rlp_encode_uint(*value) == Bytes(item.encoded.begin(), item.encoded.end()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const mfd::core::ByteView input(data, size);
    auto item = mfd::core::rlp_decode(input);
    if (!item) {
        check(is_rlp_reason(item.error().code));
        return 0;
    }
    std::size_t depth = 0;
    check(rebuild(*item, depth) == Bytes(input.begin(), input.end()));
    check(depth <= 64);
    if (depth > 0) {
        check(mfd::core::rlp_decode(input, mfd::core::RlpLimits{depth}).has_value());
        auto shallow = mfd::core::rlp_decode(input, mfd::core::RlpLimits{depth - 1});
        check(!shallow && shallow.error().code == Errc::kRlpTooDeep);
    }
    if (!item->is_list) check_integer(*item);
    return 0;
}
