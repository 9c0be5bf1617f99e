#pragma once
/// What the detector reads from calldata: the ERC-20 calls that move or expose tokens
/// (transfer, approve, transferFrom) with their counterparty and amount, decoded strictly with
/// core::abi. Thread-safe: pure functions.

#include <cstdint>
#include <optional>

#include "core/bytes.hpp"
#include "core/uint256.hpp"

namespace mfd::fraud {

/// The function class of calldata.
enum class CallKind : std::uint8_t {
    kNone,          ///< no calldata (a plain transfer)
    kTransfer,      ///< transfer(address to, uint256 amount)
    kApprove,       ///< approve(address spender, uint256 amount)
    kTransferFrom,  ///< transferFrom(address from, address to, uint256 amount)
    kOther,         ///< any other selector, or one of the above that does not decode
};

/// A decoded call.
struct CallInfo {
    CallKind kind = CallKind::kNone;
    /// The account the call gives tokens or an allowance to (to, spender, to).
    std::optional<core::Address> party;
    core::U256 amount;
};

/// Classifies `data`; a known selector whose arguments do not decode is kOther.
[[nodiscard]] CallInfo read_call(core::ByteView data);

}  // namespace mfd::fraud
