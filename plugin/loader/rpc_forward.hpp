#pragma once
/// Serving a loaded plugin's fraud_* methods on a host's own JSON-RPC server: each method is
/// forwarded through the C ABI `query` entry, so the answers (results and errors) are the
/// plugin's own, exactly as its built-in server gives them.

#include <memory>

#include "core/result.hpp"
#include "plugin/loader/plugin_instance.hpp"
#include "plugin/rpc/dispatcher.hpp"

namespace mfd::plugin {

/// Registers every name of kFraudMethods (plugin/fraud_method_names.hpp) on `dispatcher`,
/// forwarding to `instance`. A method's error comes back with the plugin's code, message and
/// data; a failure of the call itself is -32603. Fails with Dispatcher::add's error (a name
/// already taken). The handlers keep `instance` alive.
[[nodiscard]] core::Result<void> add_forwarding_methods(rpc::Dispatcher& dispatcher,
                                                        std::shared_ptr<PluginInstance> instance);

}  // namespace mfd::plugin
