#pragma once
/// Imports Etherscan `txlist` CSV files (gzip or plain) as core::TxEvent values: no signature
/// (SignatureStatus::kUnavailable), the claimed sender is `from`, and each row keeps the
/// labelled `account` it belongs to with that account's label. See docs/workload.md.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/tx_event.hpp"

namespace mfd::chain::workload {

/// How the imported events are ordered.
enum class EtherscanOrder : std::uint8_t {
    /// Account after account (in order of first appearance), each in chain order.
    kByAccount,
    /// Merged across accounts by time (ties: account order), each account still in chain order.
    kByTime,
};

/// What to import.
struct EtherscanOptions {
    std::filesystem::path txs;                    ///< the txlist CSV file, gzip or plain
    std::optional<std::filesystem::path> labels;  ///< `address,label` CSV joined on `account`
    /// The account of every row when the file has no `account` column (one account's txlist).
    std::string account;
    EtherscanOrder order = EtherscanOrder::kByTime;
    std::size_t max_reported_bad_rows = 100;  ///< bad rows listed with line numbers
};

/// A row that could not be imported.
struct BadRow {
    std::size_t line = 0;  ///< 1-based line in the file
    std::string reason;
};

/// What the events do not carry, row by row (parallel to EtherscanImport::events).
struct EtherscanRowInfo {
    std::size_t line = 0;
    std::uint64_t block_number = 0;
    std::optional<core::Address> contract_address;  ///< the contract a creation made
};

/// The imported rows and what went wrong with the others.
struct EtherscanImport {
    std::vector<core::TxEvent> events;
    std::vector<EtherscanRowInfo> rows;
    std::size_t rows_read = 0;            ///< data rows in the file (after the header)
    std::size_t bad_row_count = 0;        ///< rows skipped as bad
    std::vector<BadRow> bad_rows;         ///< the first `max_reported_bad_rows` of them
    std::size_t accounts = 0;             ///< distinct accounts among the imported rows
    std::size_t unlabelled_accounts = 0;  ///< of those, accounts absent from the labels file
};

/// Reads `options.txs`. Columns are found by header name in any order; extra columns are
/// ignored. Required: blockNumber, timeStamp, hash, nonce, from, to, value, gas, gasPrice;
/// optional: input, isError, gasUsed, contractAddress, account. Each event: a legacy
/// transaction without chain id or signature (nonce, gasPrice, gas, to — empty `to` is a
/// creation —, value, input as data), hash from `hash`, claimed sender `from`, time_ms =
/// timeStamp × 1000, failed = isError, gas_used, account (lower-case hex), label from the
/// labels file (-1 when absent), roles "account"/"counterparty"/"contract" from whether `from`
/// and `to` are the account. A row that does not parse is counted and listed as a BadRow, never
/// fatal. Fails with kCorruption when a required column is missing or the labels file is bad,
/// kNotFound/kIo when a file cannot be read, kCorruption when a gzip stream is damaged.
/// Thread-safe (no shared state).
[[nodiscard]] core::Result<EtherscanImport> import_etherscan(const EtherscanOptions& options);

}  // namespace mfd::chain::workload
