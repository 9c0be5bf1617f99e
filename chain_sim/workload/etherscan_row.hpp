#pragma once
/// Internal to the workload library: one Etherscan txlist row to a TxEvent. Thread-safe.

#include <string>
#include <vector>

#include "chain_sim/workload/csv_header.hpp"
#include "chain_sim/workload/etherscan_import.hpp"

namespace mfd::chain::workload::detail {

/// The positions of the txlist columns in one file.
struct EtherscanColumns {
    std::size_t block_number, time_stamp, hash, nonce, from, to, value, gas, gas_price;
    std::optional<std::size_t> input, is_error, gas_used, contract_address, account;
};

/// Finds the columns; kCorruption when a required one is missing.
[[nodiscard]] core::Result<EtherscanColumns> etherscan_columns(const CsvRecord& header);

/// An imported row before ordering.
struct ParsedRow {
    core::TxEvent event;
    EtherscanRowInfo info;
};

/// Parses one data row; the error's message is the bad-row reason (naming the column).
/// `default_account` is used when the file has no account column.
[[nodiscard]] core::Result<ParsedRow> parse_etherscan_row(const std::vector<std::string>& fields,
                                                          const EtherscanColumns& columns,
                                                          const std::string& default_account);

}  // namespace mfd::chain::workload::detail
