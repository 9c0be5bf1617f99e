#pragma once
/// Ethereum transactions: legacy (before and with EIP-155), EIP-2930 (type 1) and EIP-1559
/// (type 2). Decoding, validation and sender recovery are separate steps, so that the detector
/// can look at transactions the chain would reject (high-S twins, replays on another chain, bad
/// signatures): `decode_transaction` checks structure and field widths only,
/// `validate_transaction` (transaction_rules.hpp) applies the stateless Shanghai rules, and
/// `recover_sender` recovers the signer. Every function here is thread-safe.

#include <cstdint>
#include <optional>
#include <vector>

#include "core/bytes.hpp"
#include "core/secp256k1.hpp"
#include "core/uint256.hpp"

namespace mfd::core {

/// The EIP-2718 envelope type.
enum class TxType : std::uint8_t {
    kLegacy = 0,      ///< RLP list, v carries the parity and (EIP-155) the chain id
    kAccessList = 1,  ///< EIP-2930
    kDynamicFee = 2,  ///< EIP-1559
};

/// One EIP-2930 access-list entry: an address and the storage keys it will touch.
struct AccessListEntry {
    Address address;
    std::vector<Hash> storage_keys;
    friend bool operator==(const AccessListEntry&, const AccessListEntry&) = default;
};

using AccessList = std::vector<AccessListEntry>;

/// A transaction of any supported type. Fields a type does not have stay at their defaults.
struct Transaction {
    TxType type = TxType::kLegacy;
    /// Typed: the chainId field (a typed transaction without one encodes chain id 0). Legacy:
    /// the chain id EIP-155 puts into v, std::nullopt for v = 27/28 or a malformed v.
    std::optional<std::uint64_t> chain_id;
    std::uint64_t nonce = 0;
    U256 gas_price;                 ///< legacy and type 1
    U256 max_priority_fee_per_gas;  ///< type 2
    U256 max_fee_per_gas;           ///< type 2
    std::uint64_t gas_limit = 0;
    std::optional<Address> to;  ///< std::nullopt creates a contract
    U256 value;
    Bytes data;
    AccessList access_list;  ///< types 1 and 2
    /// Legacy: v exactly as encoded (27/28, or 35 + 2 * chain id + parity, or anything a
    /// malformed transaction carries). Typed: equal to y_parity.
    U256 v;
    U256 r;
    U256 s;
    /// The signature's recovery id (0 or 1). Typed: the yParity field, which is what encoding
    /// writes. Legacy: derived from v when v is well-formed, else 0.
    std::uint8_t y_parity = 0;

    /// The most the sender pays per gas: gas_price, or max_fee_per_gas for type 2.
    [[nodiscard]] const U256& fee_cap() const noexcept {
        return type == TxType::kDynamicFee ? max_fee_per_gas : gas_price;
    }
    /// The most the proposer gets per gas: gas_price, or max_priority_fee_per_gas for type 2.
    [[nodiscard]] const U256& tip_cap() const noexcept {
        return type == TxType::kDynamicFee ? max_priority_fee_per_gas : gas_price;
    }
    [[nodiscard]] bool is_create() const noexcept { return !to.has_value(); }

    friend bool operator==(const Transaction&, const Transaction&) = default;
};

/// Decodes raw transaction bytes (a legacy RLP list, or a type byte followed by an RLP list):
/// RLP rules, field count, `to` and access-list shapes, 64-bit nonce/gas limit/chain id, 256-bit
/// fees, value, v, r, s, typed yParity 0 or 1. Signature values, chain id and fee rules are left
/// to `validate_transaction`. Errors are ethereum/tests reasons where one exists (e.g.
/// kTxLeadingZerosNonce, kTxGasLimitOverflow, kTxAddressTooShort, kTxTypeNotSupported,
/// kTxRlpTooFewElements), else the RLP reason (kRlpSizeOverflow also when the list's size is
/// not the envelope's, as ethereum/tests has it; kRlpEof, kRlpNonCanonicalSize, ...).
/// Re-encoding what this accepts gives back `raw` exactly.
[[nodiscard]] Result<Transaction> decode_transaction(ByteView raw);

/// The canonical raw bytes: the RLP list for legacy, type byte || RLP list for typed.
[[nodiscard]] Bytes encode_transaction(const Transaction& tx);

/// The transaction hash: Keccak-256 of the canonical raw bytes.
[[nodiscard]] Hash transaction_hash(const Transaction& tx);

/// The digest the sender signs: legacy without chain id (pre-EIP-155) or with [chain id, 0, 0]
/// appended (EIP-155); typed: Keccak-256 of type || RLP of the fields before the signature.
[[nodiscard]] Hash signing_hash(const Transaction& tx);

/// The sender's address. Fails with kTxInvalidSignature when v/yParity is malformed or does not
/// match the chain id, when r or s is outside [1, n-1]; kTxRecoveryFailed when no key recovers.
/// Accepts high s (EIP-2 is `validate_transaction`'s business) and any chain id.
[[nodiscard]] Result<Address> recover_sender(const Transaction& tx);

/// The legacy v for a recovery id: 27 + y_parity without a chain id, 35 + 2 * chain id +
/// y_parity with one (EIP-155).
[[nodiscard]] U256 legacy_v(std::optional<std::uint64_t> chain_id, std::uint8_t y_parity);

/// Signs `tx` with `key` for `chain_id` (std::nullopt: a legacy transaction without replay
/// protection) and returns it with chain_id, v, r, s and y_parity set; s is low. Fails with
/// kInvalidArgument for a typed transaction without chain id.
[[nodiscard]] Result<Transaction> sign_transaction(Transaction tx, const PrivateKey& key,
                                                   std::optional<std::uint64_t> chain_id);

}  // namespace mfd::core
