#include "fraud/calldata.hpp"

#include <vector>

#include "core/abi.hpp"

namespace mfd::fraud {
namespace {

constexpr std::uint32_t kTransfer = 0xa9059cbb;
constexpr std::uint32_t kApprove = 0x095ea7b3;
constexpr std::uint32_t kTransferFrom = 0x23b872dd;

const std::vector<core::abi::Type>& types(std::size_t addresses) {
    static const auto make = [](std::size_t n) {
        std::vector<core::abi::Type> t(n, *core::abi::parse_type("address"));
        t.push_back(*core::abi::parse_type("uint256"));
        return t;
    };
    static const std::vector<core::abi::Type> one = make(1);
    static const std::vector<core::abi::Type> two = make(2);
    return addresses == 1 ? one : two;
}

CallInfo decode_args(CallKind kind, core::ByteView args) {
    const std::size_t addresses = kind == CallKind::kTransferFrom ? 2 : 1;
    auto values = core::abi::decode(types(addresses), args);
    if (!values) return {CallKind::kOther, std::nullopt, {}};
    const auto& v = *values;
    return {kind, v[addresses - 1].as_address(), *v[addresses].as_uint()};
}

}  // namespace

CallInfo read_call(core::ByteView data) {
    if (data.empty()) return {};
    auto selector = core::abi::selector_of(data);
    if (!selector) return {CallKind::kOther, std::nullopt, {}};
    const auto args = data.subspan(4);
    switch (*selector) {
    case kTransfer: return decode_args(CallKind::kTransfer, args);
    case kApprove: return decode_args(CallKind::kApprove, args);
    case kTransferFrom: return decode_args(CallKind::kTransferFrom, args);
    default: return {CallKind::kOther, std::nullopt, {}};
    }
}

}  // namespace mfd::fraud
