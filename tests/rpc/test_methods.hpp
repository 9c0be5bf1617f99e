#pragma once
/// The methods the JSON-RPC examples assume (jsonrpc.json's server_methods_assumed_by_examples)
/// plus a few that fail in each way a handler can, shared by the dispatcher and server tests.

#include <atomic>

#include "plugin/rpc/dispatcher.hpp"

namespace mfd::rpc::test {

/// What the registered methods let a test observe.
struct MethodLog {
    std::atomic<int> notifications{0};  ///< calls of update / notify_hello / notify_sum
    std::atomic<int> slow_started{0};   ///< "sleep" calls that began
    std::atomic<int> slow_finished{0};  ///< "sleep" calls that ran to their end
};

/// Registers subtract (positional or named), sum, get_data, update, notify_hello, notify_sum,
/// and: echo (returns its params), fail_params (-32602 via core::fail), throw_rpc (throws an
/// RpcError with code 7 and data), throw_std (throws std::runtime_error), throw_int (throws an
/// int), sleep ([ms]: blocks that long, ignoring the deadline), until_deadline (polls
/// CallContext::expired() and returns -32010). `log` must outlive the dispatcher.
void register_test_methods(Dispatcher& dispatcher, MethodLog& log);

}  // namespace mfd::rpc::test
