#include "tools/fraudctl/tx_json.hpp"

namespace mfd::tools {
namespace {

using json = nlohmann::ordered_json;

json access_list_json(const core::AccessList& list) {
    json out = json::array();
    for (const core::AccessListEntry& entry : list) {
        json keys = json::array();
        for (const core::Hash& key : entry.storage_keys) keys.push_back(key.hex());
        out.push_back({{"address", entry.address.hex()}, {"storageKeys", keys}});
    }
    return out;
}

void add_fees(json& out, const core::Transaction& tx) {
    if (tx.type == core::TxType::kDynamicFee) {
        out["maxPriorityFeePerGas"] = tx.max_priority_fee_per_gas.to_hex();
        out["maxFeePerGas"] = tx.max_fee_per_gas.to_hex();
    } else {
        out["gasPrice"] = tx.gas_price.to_hex();
    }
}

}  // namespace

json valid_transaction_json(const core::CheckedTransaction& checked) {
    const core::Transaction& tx = checked.tx;
    json out = {
        {"valid", true},
        {"type", static_cast<int>(tx.type)},
        {"chainId", tx.chain_id ? json(*tx.chain_id) : json(nullptr)},
        {"nonce", tx.nonce},
        {"hash", checked.hash.hex()},
        {"sender", checked.sender.hex()},
        {"to", tx.to ? json(tx.to->hex()) : json(nullptr)},
        {"value", tx.value.to_hex()},
        {"gasLimit", tx.gas_limit},
    };
    add_fees(out, tx);
    out["data"] = core::to_hex(tx.data);
    out["accessList"] = access_list_json(tx.access_list);
    out["v"] = tx.v.to_hex();
    out["r"] = tx.r.to_hex();
    out["s"] = tx.s.to_hex();
    out["yParity"] = core::U256(tx.y_parity).to_hex();
    out["signingHash"] = core::signing_hash(tx).hex();
    out["intrinsicGas"] = core::intrinsic_gas(tx);
    return out;
}

json rejected_transaction_json(const core::Error& error) {
    return {{"valid", false},
            {"error", std::string(core::reason_name(error.code))},
            {"message", error.message}};
}

}  // namespace mfd::tools
