#pragma once
/// Block headers and blocks of the simulated chain, with canonical RLP encodings. The block hash
/// is Keccak-256 of the encoded header; the header commits to the body through
/// `transactions_root` and `consensus_root`. Thread-safe: values and pure functions.

#include <cstdint>
#include <span>
#include <vector>

#include "core/bytes.hpp"
#include "core/uint256.hpp"

namespace mfd::core {

/// What a block commits to.
struct BlockHeader {
    Hash parent_hash;
    std::uint64_t number = 0;
    std::uint64_t timestamp_ms = 0;  ///< simulated time in milliseconds
    Address proposer;
    Hash state_root;
    Hash transactions_root;  ///< transactions_root(transactions)
    Hash receipts_root;      ///< receipts_root(receipts), see receipt.hpp
    Hash consensus_root;     ///< consensus_root(consensus_payload)
    std::uint64_t gas_limit = 0;
    std::uint64_t gas_used = 0;
    U256 base_fee;
    friend bool operator==(const BlockHeader&, const BlockHeader&) = default;
};

/// A header with its body.
struct Block {
    BlockHeader header;
    /// Canonical raw transactions (as decode_transaction accepts them), in block order.
    std::vector<Bytes> transactions;
    /// Opaque bytes of the consensus layer (extended commit, evidence).
    Bytes consensus_payload;
    friend bool operator==(const Block&, const Block&) = default;
};

/// RLP list of the header's fields in declaration order.
[[nodiscard]] Bytes encode_block_header(const BlockHeader& header);

/// Decodes untrusted bytes: canonical RLP (RLP reasons), 11 fields (kRlpWrongFieldCount), 32-byte
/// hashes and a 20-byte proposer (kCorruption), 64-bit numbers and a 256-bit base fee
/// (kOutOfRange). Re-encoding gives the input back.
[[nodiscard]] Result<BlockHeader> decode_block_header(ByteView encoded);

/// Keccak-256 of the encoded header.
[[nodiscard]] Hash block_hash(const BlockHeader& header);

/// The transactions root: Keccak-256 of the RLP list of each raw transaction's hash (this
/// project's scheme, not Ethereum's Merkle-Patricia trie). The empty list has a root too.
[[nodiscard]] Hash transactions_root(std::span<const Bytes> raw_transactions);

/// Keccak-256 of the consensus payload.
[[nodiscard]] Hash consensus_root(ByteView consensus_payload);

/// Sets header.transactions_root and header.consensus_root from the body.
void seal_block_body(Block& block);

/// kBlockTxRootMismatch or kBlockConsensusRootMismatch when the header does not commit to the
/// body.
[[nodiscard]] Result<void> check_block_body(const Block& block);

/// RLP list [header, [raw transaction as a string, ...], consensus payload as a string].
[[nodiscard]] Bytes encode_block(const Block& block);

/// Decodes untrusted bytes: the header as decode_block_header does, every transaction as
/// decode_transaction does (its error, with its index in the message), and the body against the
/// header (check_block_body). Validity rules that need state or consensus are the chain's.
[[nodiscard]] Result<Block> decode_block(ByteView encoded);

}  // namespace mfd::core
