#include "core/kv_store.hpp"

namespace mfd::core {

std::string_view column_name(Column c) noexcept {
    switch (c) {
    case Column::kBlocks: return "blocks";
    case Column::kTxs: return "txs";
    case Column::kReceipts: return "receipts";
    case Column::kAccounts: return "accounts";
    case Column::kContractCode: return "contract_code";
    case Column::kContractStorage: return "contract_storage";
    case Column::kFraudScores: return "fraud_scores";
    case Column::kAccountHistory: return "account_history";
    case Column::kValidators: return "validators";
    case Column::kEvidence: return "evidence";
    case Column::kMeta: return "meta";
    }
    return "unknown";
}

const std::array<Column, kColumnCount>& all_columns() noexcept {
    static constexpr std::array<Column, kColumnCount> kAll = {
        Column::kBlocks,          Column::kTxs,         Column::kReceipts,
        Column::kAccounts,        Column::kContractCode, Column::kContractStorage,
        Column::kFraudScores,     Column::kAccountHistory, Column::kValidators,
        Column::kEvidence,        Column::kMeta};
    return kAll;
}

}  // namespace mfd::core
