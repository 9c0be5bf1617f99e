#pragma once
/// The names of the plugin's JSON-RPC methods: what its server serves and what a host forwards
/// to the C ABI `query` entry (plugin/loader/rpc_forward.hpp). Torch-free; constants.

#include <array>
#include <string_view>

namespace mfd::plugin {

inline constexpr std::array<std::string_view, 8> kFraudMethods = {
    "fraud_scoreRawTransaction", "fraud_getScore",       "fraud_getAccountRisk", "fraud_getFlags",
    "fraud_getModelInfo",        "fraud_getExpertStats", "fraud_getExclusions",  "fraud_getHead",
};

}  // namespace mfd::plugin
