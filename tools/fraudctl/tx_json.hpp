#pragma once
/// JSON views of transactions for fraudctl's output, in Ethereum JSON-RPC conventions (0x hex
/// quantities and data). Thread-safe.

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/transaction_rules.hpp"

namespace mfd::tools {

/// {"valid":true, "type", "chainId" (null without one), "nonce", "hash", "sender", "to" (null
/// for a create), "value", "gasLimit", the fee fields of its type, "data", "accessList", "v",
/// "r", "s", "yParity", "signingHash", "intrinsicGas"}.
[[nodiscard]] nlohmann::ordered_json valid_transaction_json(
    const core::CheckedTransaction& checked);

/// {"valid":false, "error": reason name, "message"}.
[[nodiscard]] nlohmann::ordered_json rejected_transaction_json(const core::Error& error);

}  // namespace mfd::tools
