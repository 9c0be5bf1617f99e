#pragma once
/// An account of the chain's state and its record in the `accounts` column. Thread-safe: values
/// and pure functions.

#include <cstdint>

#include "core/bytes.hpp"
#include "core/uint256.hpp"

namespace mfd::chain {

/// Balance, nonce and whether a built-in contract lives at the address.
struct AccountState {
    core::U256 balance;
    std::uint64_t nonce = 0;
    bool is_contract = false;

    /// True for an account that is not stored (zero balance and nonce, no contract).
    [[nodiscard]] bool empty() const noexcept {
        return balance.is_zero() && nonce == 0 && !is_contract;
    }
    friend bool operator==(const AccountState&, const AccountState&) = default;
};

/// Bytes of an account record: nonce (8 BE) || balance (32 BE) || flags (1; bit 0 = contract).
inline constexpr std::size_t kAccountRecordSize = 41;

/// The stored record of `account`.
[[nodiscard]] core::Bytes encode_account(const AccountState& account);

/// Decodes a stored record; kCorruption when it is not 41 bytes or has unknown flag bits.
[[nodiscard]] core::Result<AccountState> decode_account(core::ByteView record);

}  // namespace mfd::chain
