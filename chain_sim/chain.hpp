#pragma once
/// The chain: a state machine over a KvStore that executes blocks of Ethereum transactions,
/// dispatches built-in contract calls, and commits each block with its state changes,
/// receipts, transaction index and height in one atomic batch. It builds blocks from candidate
/// lists, checks and applies proposed blocks (rejecting one with any invalid transaction as a
/// whole), answers read-only calls and admission checks against the latest state, and resumes
/// from the last committed block when reopened. Not thread-safe: one thread drives a Chain
/// (the store itself may be read by others concurrently).

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "chain_sim/account.hpp"
#include "chain_sim/chain_config.hpp"
#include "chain_sim/executed_block.hpp"
#include "chain_sim/state_cache.hpp"
#include "core/kv_store.hpp"
#include "core/transaction_rules.hpp"

namespace mfd::chain {

/// What the proposer decides about a block it builds.
struct BlockContext {
    std::uint64_t timestamp_ms = 0;  ///< not before the parent's
    core::Address proposer;          ///< receives the priority fees
    core::Bytes consensus_payload;
};

/// A read-only call (eth_call).
struct CallRequest {
    core::Address from;               ///< the caller; the zero address by default
    std::optional<core::Address> to;  ///< std::nullopt simulates a deployment
    core::U256 value;
    core::Bytes data;
    std::optional<std::uint64_t> gas;  ///< defaults to the block gas limit
};

/// What a successful read-only call returned.
struct CallResult {
    core::Bytes output;          ///< ABI-encoded return data (a deployment: the address as a word)
    std::uint64_t gas_used = 0;  ///< including intrinsic gas
    std::vector<core::Log> logs;
};

class Chain {
public:
    /// Opens the chain in `store` (which must outlive it): commits genesis (block 0) from
    /// `config` on an empty store, otherwise resumes at the last committed block. Fails with
    /// kInvalidArgument for an invalid config or a store holding a chain of another config,
    /// kCorruption when the committed head is missing or undecodable, or the store's error.
    [[nodiscard]] static core::Result<std::unique_ptr<Chain>> open(core::KvStore& store,
                                                                   const ChainConfig& config);

    /// The configuration the chain was opened with.
    [[nodiscard]] const ChainConfig& config() const noexcept { return config_; }
    /// The last committed block's header and hash.
    [[nodiscard]] const core::BlockHeader& head() const noexcept { return head_; }
    [[nodiscard]] const core::Hash& head_hash() const noexcept { return head_hash_; }
    /// The base fee of the next block: the initial base fee for block 1, then EIP-1559's rule.
    [[nodiscard]] core::U256 next_base_fee() const noexcept;
    /// The stateless rules transactions are held to (chain id, unprotected legacy).
    [[nodiscard]] core::TxRules tx_rules() const noexcept;

    /// Builds the next block from `candidates` in their order: keeps each that applies on top
    /// of those kept before and fits the gas left, and skips the others with their reason
    /// (kTxGasLimitExceedsBlock once the block is full). Commits nothing. Fails only on a store
    /// error or a timestamp before the head's (kInvalidArgument).
    [[nodiscard]] core::Result<BuiltBlock> build_block(
        std::span<const core::CheckedTransaction> candidates, const BlockContext& context) const;

    /// Checks and executes a proposed next block whose transactions, already checked and
    /// recovered, are `txs` (the same order and hashes as the block's raw transactions).
    /// Commits nothing. Fails with kInvalidArgument when the header does not follow the head
    /// (number, parent hash, gas limit, base fee, timestamp) or does not match the execution
    /// (gas used, state root, receipts root), with the body's root error, or with the first
    /// invalid transaction's reason, the message naming the block and the transaction index.
    [[nodiscard]] core::Result<ExecutedBlock> execute_block(
        const core::Block& block, std::span<const core::CheckedTransaction> txs) const;

    /// As above, decoding and recovering each raw transaction first (its failure named).
    [[nodiscard]] core::Result<ExecutedBlock> execute_block(const core::Block& block) const;

    /// Writes an executed block atomically (WAL synced) and makes it the head. Fails with
    /// kInvalidArgument when the head moved since it was executed, or with the store's error,
    /// leaving the chain and the store as they were.
    [[nodiscard]] core::Result<void> commit(const ExecutedBlock& executed);

    /// execute_block then commit.
    [[nodiscard]] core::Result<ExecutedBlock> apply_block(
        const core::Block& block, std::span<const core::CheckedTransaction> txs);
    /// execute_block (raw transactions) then commit.
    [[nodiscard]] core::Result<ExecutedBlock> apply_block(const core::Block& block);

    /// Runs a call against the latest committed state and discards its changes. Fails with
    /// the call's failure (kRevert, kOutOfGas, kAbiDecode, kUnknownSelector, message as in a
    /// receipt), kTxIntrinsicGasTooLow when `gas` does not cover intrinsic gas, or the store's
    /// error.
    [[nodiscard]] core::Result<CallResult> call(const CallRequest& request) const;

    /// Mempool admission against the latest state and the next block: as the block rules, but
    /// a nonce above the account's is accepted and the gas limit is compared with the block gas
    /// limit (kTxNonceTooLow, kTxInsufficientFunds, kTxFeeCapBelowBaseFee,
    /// kTxGasLimitExceedsBlock, kTxSenderNotEoa, or a stateless reason).
    [[nodiscard]] core::Result<void> check_admission(const core::CheckedTransaction& tx) const;

    /// The committed account at `address` (empty when none); the store's error or kCorruption.
    [[nodiscard]] core::Result<AccountState> account(const core::Address& address) const;
    /// A committed storage slot of `contract` (zero when unset); the store's error.
    [[nodiscard]] core::Result<core::Hash> storage_at(const core::Address& contract,
                                                      const core::Hash& slot) const;

private:
    Chain(core::KvStore& store, ChainConfig config, core::BlockHeader head);
    [[nodiscard]] core::Result<void> check_header(const core::BlockHeader& header) const;
    [[nodiscard]] core::Result<void> check_body(
        const core::Block& block, std::span<const core::CheckedTransaction> txs) const;
    [[nodiscard]] core::Result<ExecutedBlock> run_block(
        const core::Block& block, std::span<const core::CheckedTransaction> txs) const;

    core::KvStore* store_;
    ChainConfig config_;
    core::BlockHeader head_;
    core::Hash head_hash_;
    StateCache cache_;
};

}  // namespace mfd::chain
