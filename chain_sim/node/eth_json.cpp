#include "chain_sim/node/eth_json.hpp"

#include "chain_sim/tx_checks.hpp"
#include "plugin/rpc/eth_params.hpp"

namespace mfd::chain::node {
namespace {

using json = nlohmann::json;
using rpc::to_checksum_address;
using rpc::to_data;
using rpc::to_quantity;

/// Keccak-256 of the RLP of an empty list: the ommers hash of every post-merge block.
constexpr const char* kEmptyOmmersHash =
    "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";

json access_list_json(const core::AccessList& list) {
    json out = json::array();
    for (const auto& e : list) {
        json keys = json::array();
        for (const auto& k : e.storage_keys) keys.push_back(k.hex());
        out.push_back({{"address", to_checksum_address(e.address)}, {"storageKeys", keys}});
    }
    return out;
}

void mined_fields(json& out, const std::optional<MinedAt>& at) {
    out["blockHash"] = at ? json(at->block_hash.hex()) : json(nullptr);
    out["blockNumber"] = at ? json(to_quantity(at->block_number)) : json(nullptr);
    out["transactionIndex"] = at ? json(to_quantity(std::uint64_t{at->index})) : json(nullptr);
}

void fee_fields(json& out, const core::Transaction& tx, const std::optional<core::U256>& base) {
    if (tx.type == core::TxType::kDynamicFee) {
        out["maxFeePerGas"] = to_quantity(tx.max_fee_per_gas);
        out["maxPriorityFeePerGas"] = to_quantity(tx.max_priority_fee_per_gas);
        out["gasPrice"] = to_quantity(base ? effective_gas_price(tx, *base) : tx.max_fee_per_gas);
    } else {
        out["gasPrice"] = to_quantity(tx.gas_price);
    }
}

json logs_json(const core::Receipt& r, const core::Hash& hash, const MinedAt& at,
               std::uint64_t first) {
    json out = json::array();
    for (std::size_t i = 0; i < r.logs.size(); ++i) {
        const core::Log& log = r.logs[i];
        json topics = json::array();
        for (const auto& t : log.topics) topics.push_back(t.hex());
        out.push_back({{"address", to_checksum_address(log.address)},
                       {"topics", topics},
                       {"data", to_data(log.data)},
                       {"blockHash", at.block_hash.hex()},
                       {"blockNumber", to_quantity(at.block_number)},
                       {"transactionHash", hash.hex()},
                       {"transactionIndex", to_quantity(std::uint64_t{at.index})},
                       {"logIndex", to_quantity(first + i)},
                       {"removed", false}});
    }
    return out;
}

}  // namespace

json tx_json(const core::Transaction& tx, const core::Hash& hash, const core::Address& from,
             const std::optional<MinedAt>& at, const std::optional<core::U256>& base_fee) {
    json out;
    out["hash"] = hash.hex();
    out["type"] = to_quantity(static_cast<std::uint64_t>(tx.type));
    out["from"] = to_checksum_address(from);
    out["to"] = tx.to ? json(to_checksum_address(*tx.to)) : json(nullptr);
    out["nonce"] = to_quantity(tx.nonce);
    out["gas"] = to_quantity(tx.gas_limit);
    out["value"] = to_quantity(tx.value);
    out["input"] = to_data(tx.data);
    fee_fields(out, tx, base_fee);
    if (tx.type != core::TxType::kLegacy) out["accessList"] = access_list_json(tx.access_list);
    if (tx.chain_id) out["chainId"] = to_quantity(*tx.chain_id);
    out["v"] = to_quantity(tx.v);
    out["r"] = to_quantity(tx.r);
    out["s"] = to_quantity(tx.s);
    if (tx.type != core::TxType::kLegacy) out["yParity"] = to_quantity(std::uint64_t{tx.y_parity});
    mined_fields(out, at);
    return out;
}

json receipt_json(const core::Receipt& r, const core::Transaction& tx, const core::Hash& hash,
                  const core::Address& from, const MinedAt& at, std::uint64_t first_log_index) {
    json out;
    out["transactionHash"] = hash.hex();
    mined_fields(out, at);
    out["from"] = to_checksum_address(from);
    out["to"] = tx.to ? json(to_checksum_address(*tx.to)) : json(nullptr);
    out["contractAddress"] =
        r.contract_address ? json(to_checksum_address(*r.contract_address)) : json(nullptr);
    out["cumulativeGasUsed"] = to_quantity(r.cumulative_gas_used);
    out["gasUsed"] = to_quantity(r.gas_used);
    out["effectiveGasPrice"] = to_quantity(r.effective_gas_price);
    out["logs"] = logs_json(r, hash, at, first_log_index);
    out["logsBloom"] = to_data(r.logs_bloom.view());
    out["type"] = to_quantity(static_cast<std::uint64_t>(tx.type));
    out["status"] = r.success ? "0x1" : "0x0";
    if (!r.success) out["revertReason"] = r.message;
    return out;
}

json block_json(const core::Block& block, const core::Hash& hash,
                std::span<const core::Hash> tx_hashes, const core::Bloom& bloom, std::size_t size,
                std::optional<json> full_txs) {
    const core::BlockHeader& h = block.header;
    json out;
    out["number"] = to_quantity(h.number);
    out["hash"] = hash.hex();
    out["parentHash"] = h.parent_hash.hex();
    out["nonce"] = "0x0000000000000000";
    out["mixHash"] = core::Hash{}.hex();
    out["sha3Uncles"] = kEmptyOmmersHash;
    out["logsBloom"] = to_data(bloom.view());
    out["transactionsRoot"] = h.transactions_root.hex();
    out["stateRoot"] = h.state_root.hex();
    out["receiptsRoot"] = h.receipts_root.hex();
    out["miner"] = to_checksum_address(h.proposer);
    out["difficulty"] = "0x0";
    out["totalDifficulty"] = "0x0";
    out["extraData"] = "0x";
    out["size"] = to_quantity(std::uint64_t{size});
    out["gasLimit"] = to_quantity(h.gas_limit);
    out["gasUsed"] = to_quantity(h.gas_used);
    out["timestamp"] = to_quantity(h.timestamp_ms / 1000);
    out["baseFeePerGas"] = to_quantity(h.base_fee);
    out["uncles"] = json::array();
    if (full_txs) {
        out["transactions"] = std::move(*full_txs);
    } else {
        json hashes = json::array();
        for (const auto& t : tx_hashes) hashes.push_back(t.hex());
        out["transactions"] = hashes;
    }
    return out;
}

}  // namespace mfd::chain::node
