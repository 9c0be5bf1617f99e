#pragma once
/// Blocks, transactions and receipts in the JSON shapes of Ethereum's JSON-RPC
/// (execution-apis), as ethers.js, viem and web3 clients read them: hex quantities, 0x data,
/// checksummed addresses where clients expect them, null for what does not apply. Pure
/// functions; thread-safe.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>

#include "core/block.hpp"
#include "core/receipt.hpp"
#include "core/transaction.hpp"

namespace mfd::chain::node {

/// Where a mined transaction sits.
struct MinedAt {
    core::Hash block_hash;
    std::uint64_t block_number = 0;
    std::uint32_t index = 0;
};

/// A transaction object (eth_getTransactionByHash); `at` empty for a pending one. `base_fee`
/// of its block sets gasPrice of a mined EIP-1559 transaction (the effective price).
[[nodiscard]] nlohmann::json tx_json(const core::Transaction& tx, const core::Hash& hash,
                                     const core::Address& from, const std::optional<MinedAt>& at,
                                     const std::optional<core::U256>& base_fee);

/// A receipt object (eth_getTransactionReceipt). `first_log_index` is the number of logs of
/// the transactions before it in the block.
[[nodiscard]] nlohmann::json receipt_json(const core::Receipt& receipt, const core::Transaction& tx,
                                          const core::Hash& hash, const core::Address& from,
                                          const MinedAt& at, std::uint64_t first_log_index);

/// A block object (eth_getBlockByNumber) with transaction hashes, or with transaction objects
/// when `full_txs` holds them (built by the caller with tx_json). `bloom` is the OR of the
/// receipts' blooms; `size` the encoded block's size.
[[nodiscard]] nlohmann::json block_json(const core::Block& block, const core::Hash& hash,
                                        std::span<const core::Hash> tx_hashes,
                                        const core::Bloom& bloom, std::size_t size,
                                        std::optional<nlohmann::json> full_txs);

}  // namespace mfd::chain::node
