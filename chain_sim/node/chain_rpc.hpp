#pragma once
/// The chain's JSON-RPC methods (eth_*, net_*, web3_*, chain_getValidators) over one node, with
/// Ethereum's conventions so that wallets and libraries (ethers.js, viem, cast) work against
/// the simulated chain. Handlers run on the JSON-RPC server's threads; everything that reads
/// the node runs on the node's driving thread through a TaskQueue, so a handler waits for the
/// driver (up to the call's deadline, then -32010). docs/rpc.md lists the methods.

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "chain_sim/node/eth_json.hpp"
#include "chain_sim/node/node.hpp"
#include "chain_sim/node/task_queue.hpp"
#include "plugin/rpc/dispatcher.hpp"
#include "plugin/rpc/eth_params.hpp"

namespace mfd::chain::node {

/// A decoded transaction with its sender, as the RPC methods show it.
struct CheckedTxView {
    core::Transaction tx;
    core::Address from;
};

/// The version string web3_clientVersion answers.
inline constexpr const char* kClientVersion = "mfd-chain-sim/0.1.0";

class ChainRpc {
public:
    /// Admission of a raw transaction sent by a client (eth_sendRawTransaction); runs on the
    /// driving thread, which also relays an accepted transaction to the other validators.
    using Submit = std::function<Admission(core::ByteView raw)>;
    /// A fraud_* method of the node's plugin: its result, or nothing (no plugin, an error).
    using PluginQuery =
        std::function<std::optional<nlohmann::json>(std::string_view method,
                                                     const nlohmann::json& params)>;

    /// Methods over `node`, run through `queue`; both must outlive the dispatcher's use.
    /// `plugin` answers fraud_getTransactionStatus's questions to the detector (may be empty).
    ChainRpc(TaskQueue& queue, const Node& node, Submit submit, PluginQuery plugin = {});

    /// Registers every method on `dispatcher`. Fails with Dispatcher::add's error (a name
    /// already taken). The handlers keep a pointer to this object: it must outlive them.
    [[nodiscard]] core::Result<void> add_methods(rpc::Dispatcher& dispatcher);

private:
    using Json = nlohmann::json;

    template <class F>
    rpc::MethodResult on_driver(const rpc::CallContext& ctx, F&& f);
    [[nodiscard]] core::Result<std::uint64_t> resolve(const rpc::BlockTag& tag) const;
    [[nodiscard]] core::Result<void> require_latest(const Json& tag, std::string_view what) const;
    [[nodiscard]] core::Result<std::uint64_t> first_log_index(const core::Block& block,
                                                              std::uint32_t index) const;
    [[nodiscard]] core::Result<CheckedTxView> checked(core::ByteView raw) const;

    rpc::MethodResult block_by_number(const Json& params, const rpc::CallContext& ctx);
    rpc::MethodResult block_by_hash(const Json& params, const rpc::CallContext& ctx);
    rpc::MethodResult block_object(const core::Block& block, bool full) const;
    rpc::MethodResult tx_by_hash(const Json& params, const rpc::CallContext& ctx);
    rpc::MethodResult receipt(const Json& params, const rpc::CallContext& ctx);
    rpc::MethodResult balance(const Json& params, const rpc::CallContext& ctx);
    rpc::MethodResult tx_count(const Json& params, const rpc::CallContext& ctx);
    rpc::MethodResult code(const Json& params, const rpc::CallContext& ctx);
    rpc::MethodResult call(const Json& params, const rpc::CallContext& ctx, bool estimate);
    rpc::MethodResult send_raw(const Json& params, const rpc::CallContext& ctx);
    rpc::MethodResult validators(const rpc::CallContext& ctx);
    rpc::MethodResult tx_status(const Json& params, const rpc::CallContext& ctx);

    TaskQueue& queue_;
    const Node& node_;
    Submit submit_;
    PluginQuery plugin_;
};

}  // namespace mfd::chain::node
