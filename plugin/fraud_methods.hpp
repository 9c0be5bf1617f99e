#pragma once
/// The fraud_* JSON-RPC methods of a plugin instance (docs/rpc.md, "Fraud methods"), registered
/// on a dispatcher: the instance's own server and its `query` entry both use this table.

#include "core/result.hpp"
#include "plugin/fraud_method_names.hpp"
#include "plugin/fraud_service.hpp"
#include "plugin/rpc/dispatcher.hpp"

namespace mfd::plugin {

/// Registers every method of kFraudMethods on `dispatcher`, served by `service` (which must
/// outlive the dispatcher's use). Fails with Dispatcher::add's error (a name already taken).
[[nodiscard]] core::Result<void> add_fraud_methods(rpc::Dispatcher& dispatcher,
                                                   FraudService& service);

}  // namespace mfd::plugin
