#pragma once
/// Transaction receipts: the outcome of executing one transaction, its logs and their 2048-bit
/// bloom filter (computed as Ethereum does), with a canonical RLP encoding. Thread-safe: values
/// and pure functions.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/uint256.hpp"

namespace mfd::core {

/// A 2048-bit logs bloom, big-endian as in Ethereum block headers and receipts.
using Bloom = FixedBytes<256>;

/// One event a contract emitted.
struct Log {
    Address address;
    std::vector<Hash> topics;  ///< at most kMaxLogTopics
    Bytes data;
    friend bool operator==(const Log&, const Log&) = default;
};

inline constexpr std::size_t kMaxLogTopics = 4;         ///< LOG0..LOG4
inline constexpr std::size_t kMaxReceiptMessage = 256;  ///< bytes of Receipt::message

/// What executing one transaction did.
struct Receipt {
    bool success = true;
    Errc failure = Errc::kOk;  ///< why it failed (kRevert, kOutOfGas, ...); kOk on success
    std::string message;       ///< a short explanation, at most kMaxReceiptMessage bytes
    std::uint64_t gas_used = 0;
    std::uint64_t cumulative_gas_used = 0;  ///< gas used in the block up to and with this one
    U256 effective_gas_price;
    std::optional<Address> contract_address;  ///< set when the transaction created a contract
    std::vector<Log> logs;
    Bloom logs_bloom;  ///< must equal logs_bloom(logs); make_receipt_bloom fills it
    friend bool operator==(const Receipt&, const Receipt&) = default;
};

/// Sets the three bits Ethereum's bloom uses for `item`: for each of the first three byte pairs
/// of Keccak-256(item), the low 11 bits select a bit counted from the end of the bloom.
void bloom_add(Bloom& bloom, ByteView item) noexcept;

/// True when every bit `item` would set is set (false positives possible, no false negatives).
[[nodiscard]] bool bloom_may_contain(const Bloom& bloom, ByteView item) noexcept;

/// The bloom of `logs`: every log's address and every topic.
[[nodiscard]] Bloom logs_bloom(std::span<const Log> logs) noexcept;

/// Sets `receipt.logs_bloom` from its logs.
void make_receipt_bloom(Receipt& receipt) noexcept;

/// RLP list [success, failure code, message, gas used, cumulative gas used, effective gas price,
/// contract address (empty string when none), [[address, [topics], data], ...], bloom].
[[nodiscard]] Bytes encode_receipt(const Receipt& receipt);

/// Decodes and fully checks untrusted bytes: canonical RLP (RLP reasons), field count
/// (kRlpWrongFieldCount), success 0/1 matching a known failure code (kOk exactly on success),
/// message length (kLimitExceeded), cumulative >= gas used, address and topic sizes and at most 4
/// topics (kCorruption), and a bloom equal to the logs' bloom (kReceiptBloomMismatch).
[[nodiscard]] Result<Receipt> decode_receipt(ByteView encoded);

/// The receipts root of a block: Keccak-256 of the RLP list of each receipt's Keccak-256 (this
/// project's scheme, not Ethereum's Merkle-Patricia trie).
[[nodiscard]] Hash receipts_root(std::span<const Receipt> receipts);

}  // namespace mfd::core
