#pragma once
/// The JSON-RPC server of a simulated run: the chain methods over validator 0 (node::ChainRpc)
/// and the fraud_* methods of validator 0's plugin (forwarded through the C ABI `query`), with
/// GET /metrics carrying the consensus height, the node's counters and the plugin's metrics.
/// Handlers run on the server's threads and reach the node through a TaskQueue that the
/// driving thread serves.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "chain_sim/node/chain_rpc.hpp"
#include "chain_sim/node/task_queue.hpp"
#include "plugin/loader/plugin_instance.hpp"
#include "plugin/rpc/dispatcher.hpp"
#include "plugin/rpc/metrics.hpp"
#include "plugin/rpc/server.hpp"

namespace mfd::chain::sim {

class RpcHost {
public:
    /// Parses "HOST:PORT" (IPv4 or [IPv6]; port 0 picks a free one). Fails with
    /// kInvalidArgument naming the text.
    [[nodiscard]] static core::Result<rpc::ServerOptions> parse_endpoint(const std::string& text);

    /// Registers the methods over `node` (read through `queue`) and `plugin` (may be null), and
    /// starts the server. Fails with Server::start's error (kIo when the port is taken).
    [[nodiscard]] static core::Result<std::unique_ptr<RpcHost>> start(
        rpc::ServerOptions options, node::TaskQueue& queue, const node::Node& node,
        std::shared_ptr<plugin::PluginInstance> plugin, node::ChainRpc::Submit submit);

    ~RpcHost();
    RpcHost(const RpcHost&) = delete;
    RpcHost& operator=(const RpcHost&) = delete;

    /// "127.0.0.1:PORT", the bound address.
    [[nodiscard]] std::string endpoint() const;
    /// Refreshes the /metrics gauges from the node and the plugin; call on the driving thread.
    void refresh_metrics(const node::Node& node);
    /// Stops serving (idempotent).
    void stop();

private:
    RpcHost() = default;
    void mirror_plugin_metrics();

    rpc::Registry registry_;
    std::unique_ptr<rpc::Dispatcher> dispatcher_;
    std::unique_ptr<node::ChainRpc> chain_rpc_;
    std::shared_ptr<plugin::PluginInstance> plugin_;
    std::unique_ptr<rpc::Server> server_;
    std::string host_;
    rpc::Gauge* height_ = nullptr;
    rpc::Gauge* mempool_ = nullptr;
    rpc::Gauge* executed_ = nullptr;
};

}  // namespace mfd::chain::sim
