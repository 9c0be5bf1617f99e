#pragma once
/// The transactions of the simulation's test application: transfers with a known ground-truth
/// fraud label, and bonding/unbonding of validators. A tiny strict codec of their own. Pure;
/// thread-safe.

#include <cstdint>

#include "consensus/types.hpp"
#include "core/result.hpp"

namespace mfd::chain::net {

enum class TxKind : std::uint8_t {
    kTransfer = 1,  ///< an honest payment
    kFraud = 2,     ///< a fraudulent payment (ground truth: honest validators flag it)
    kBond = 3,      ///< makes `key` a validator with `power` (or changes its power)
    kUnbond = 4,    ///< removes `key` from the validator set
};

struct SimTx {
    TxKind kind = TxKind::kTransfer;
    std::uint64_t id = 0;    ///< makes transactions distinct
    core::PublicKey key;     ///< bond/unbond only
    std::int64_t power = 0;  ///< bond only (> 0)
};

/// kind(1) id(8) [key(64) power(8) for bond/unbond].
[[nodiscard]] core::Bytes encode_tx(const SimTx& tx);
/// Fails with kInvalidArgument on an unknown kind, a wrong length, or a bond without power.
[[nodiscard]] core::Result<SimTx> decode_tx(core::ByteView bytes);
/// Keccak-256 of the encoding.
[[nodiscard]] core::Hash tx_hash(core::ByteView bytes);

}  // namespace mfd::chain::net
