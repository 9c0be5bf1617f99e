#pragma once
/// Ethereum's JSON-RPC value conventions (execution-apis): quantities "0x1f" with no leading
/// zeros ("0x0" for zero), data "0x..." with two digits per byte, 20-byte addresses (EIP-55
/// checksum enforced when mixed-case), 32-byte hashes, block tags. Readers fail with
/// core::Errc::kInvalidArgument and a message naming the parameter (`what`), which the
/// dispatcher sends as -32602. All functions are pure and thread-safe.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/uint256.hpp"

namespace mfd::rpc {

/// A quantity of up to 256 bits: "0x" (or "0X"), then hex digits of either case, no leading
/// zeros, at least one digit.
[[nodiscard]] core::Result<core::U256> read_quantity(const nlohmann::json& v,
                                                     std::string_view what);
/// A quantity that fits 64 bits (block numbers, nonces, gas).
[[nodiscard]] core::Result<std::uint64_t> read_quantity_u64(const nlohmann::json& v,
                                                            std::string_view what);
/// Unformatted data: "0x" and an even number of hex digits ("0x" alone is empty), at most
/// `max_bytes` bytes.
[[nodiscard]] core::Result<core::Bytes> read_data(const nlohmann::json& v, std::string_view what,
                                                  std::size_t max_bytes = 128 * 1024);
/// A 20-byte address; a mixed-case one must carry a valid EIP-55 checksum.
[[nodiscard]] core::Result<core::Address> read_address(const nlohmann::json& v,
                                                       std::string_view what);
/// A 32-byte hash.
[[nodiscard]] core::Result<core::Hash> read_hash(const nlohmann::json& v, std::string_view what);

/// A block named by number or by tag.
struct BlockTag {
    enum class Kind { kNumber, kEarliest, kLatest, kPending, kSafe, kFinalized };
    Kind kind = Kind::kLatest;
    std::uint64_t number = 0;  ///< only for kNumber

    friend bool operator==(const BlockTag&, const BlockTag&) = default;
};

/// "earliest", "latest", "pending", "safe", "finalized" or a 64-bit quantity.
[[nodiscard]] core::Result<BlockTag> read_block_tag(const nlohmann::json& v, std::string_view what);

/// The quantity form of `v`: "0x0", "0x1f".
[[nodiscard]] std::string to_quantity(std::uint64_t v);
/// The quantity form of a 256-bit value.
[[nodiscard]] std::string to_quantity(const core::U256& v);
/// The data form of bytes: "0x" and two lower-case digits per byte.
[[nodiscard]] std::string to_data(core::ByteView bytes);

/// The EIP-55 checksummed form of an address ("0x5aAeb6...").
[[nodiscard]] std::string to_checksum_address(const core::Address& address);

}  // namespace mfd::rpc
