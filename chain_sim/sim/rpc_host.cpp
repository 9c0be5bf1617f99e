#include "chain_sim/sim/rpc_host.hpp"

#include <charconv>
#include <set>
#include <sstream>

#include "plugin/loader/rpc_forward.hpp"

namespace mfd::chain::sim {
namespace {

struct Sample {
    std::string name;
    std::vector<std::string> label_names;
    std::vector<std::string> label_values;
    double value = 0;
};

/// One "name{a="x",b="y"} value" line of the Prometheus text format; false when malformed.
bool parse_sample(const std::string& line, Sample& out) {
    const auto brace = line.find('{');
    const auto space = line.rfind(' ');
    if (space == std::string::npos) return false;
    std::size_t name_end = brace != std::string::npos && brace < space ? brace : line.find(' ');
    out.name = line.substr(0, name_end);
    if (brace != std::string::npos && brace < space) {
        const auto close = line.rfind('}', space);
        if (close == std::string::npos) return false;
        std::string labels = line.substr(brace + 1, close - brace - 1);
        std::size_t at = 0;
        while (at < labels.size()) {
            const auto eq = labels.find("=\"", at);
            const auto end = eq == std::string::npos ? eq : labels.find('"', eq + 2);
            if (end == std::string::npos) return false;
            out.label_names.push_back(labels.substr(at, eq - at));
            out.label_values.push_back(labels.substr(eq + 2, end - eq - 2));
            at = end + 2;
        }
    }
    const std::string value = line.substr(space + 1);
    const auto parsed = std::from_chars(value.data(), value.data() + value.size(), out.value);
    return parsed.ec == std::errc{};
}

/// Handler threads of the simulator's server (see parse_endpoint).
constexpr std::size_t kWorkerThreads = 8;

}  // namespace

core::Result<rpc::ServerOptions> RpcHost::parse_endpoint(const std::string& text) {
    const auto colon = text.rfind(':');
    rpc::ServerOptions o;
    unsigned port = 0;
    const char* begin = text.data() + (colon == std::string::npos ? 0 : colon + 1);
    const auto parsed = std::from_chars(begin, text.data() + text.size(), port);
    if (colon == std::string::npos || colon == 0 || parsed.ec != std::errc{} ||
        parsed.ptr != text.data() + text.size() || port > 65535) {
        return core::fail(core::Errc::kInvalidArgument,
                          "--rpc '" + text + "': expected HOST:PORT, e.g. 127.0.0.1:8545");
    }
    o.host = text.substr(0, colon);
    if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']') {
        o.host = o.host.substr(1, o.host.size() - 2);
    }
    o.port = static_cast<std::uint16_t>(port);
    // The handlers mostly wait for the simulation thread, which runs their work in arrival
    // order: with more workers than concurrent batches, a cheap call from another client waits
    // for the calls in progress, not for a whole batch to free a worker.
    o.worker_threads = kWorkerThreads;
    return o;
}

core::Result<std::unique_ptr<RpcHost>> RpcHost::start(
    rpc::ServerOptions options, node::TaskQueue& queue, const node::Node& node,
    std::shared_ptr<plugin::PluginInstance> plugin, node::ChainRpc::Submit submit) {
    std::unique_ptr<RpcHost> h(new RpcHost());
    h->host_ = options.host;
    h->dispatcher_ = std::make_unique<rpc::Dispatcher>(rpc::DispatchLimits{}, &h->registry_);
    node::ChainRpc::PluginQuery ask;
    if (plugin) {
        ask = [plugin](std::string_view method,
                       const nlohmann::json& params) -> std::optional<nlohmann::json> {
            auto q = plugin->query(method, params.dump());
            if (!q || !q->ok) return std::nullopt;
            return nlohmann::json::parse(q->json, nullptr, false);
        };
    }
    h->chain_rpc_ =
        std::make_unique<node::ChainRpc>(queue, node, std::move(submit), std::move(ask));
    if (auto ok = h->chain_rpc_->add_methods(*h->dispatcher_); !ok) return core::fail(ok.error());
    h->plugin_ = std::move(plugin);
    if (h->plugin_) {
        if (auto ok = plugin::add_forwarding_methods(*h->dispatcher_, h->plugin_); !ok) {
            return core::fail(ok.error());
        }
    }
    auto height = h->registry_.gauge("chain_consensus_height", "Last committed height");
    auto mempool = h->registry_.gauge("chain_mempool_transactions", "Transactions pooled");
    auto executed = h->registry_.gauge("chain_transactions_executed", "Executed in this run");
    if (!height || !mempool || !executed) return core::fail(core::Errc::kInternal, "metrics");
    h->height_ = *height;
    h->mempool_ = *mempool;
    h->executed_ = *executed;
    h->refresh_metrics(node);
    h->server_ = std::make_unique<rpc::Server>(*h->dispatcher_, std::move(options), &h->registry_);
    if (auto ok = h->server_->start(); !ok) return core::fail(ok.error());
    return h;
}

RpcHost::~RpcHost() {
    stop();
}

void RpcHost::stop() {
    if (server_) server_->stop();
}

std::string RpcHost::endpoint() const {
    const bool v6 = host_.find(':') != std::string::npos;
    return (v6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(server_->port());
}

void RpcHost::refresh_metrics(const node::Node& node) {
    height_->set(static_cast<double>(node.chain().head().number));
    mempool_->set(static_cast<double>(node.mempool().size()));
    executed_->set(static_cast<double>(node.stats().txs_executed));
    mirror_plugin_metrics();
}

// The plugin's counters and gauges, copied as gauges of the same name and labels (histograms
// stay in the plugin: fraud_getExpertStats and the plugin's own server expose them).
void RpcHost::mirror_plugin_metrics() {
    if (!plugin_) return;
    auto text = plugin_->metrics_text();
    if (!text) return;
    std::istringstream in(*text);
    std::set<std::string> skip;
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("# TYPE ", 0) == 0) {
            std::istringstream t(line.substr(7));
            std::string name, type;
            t >> name >> type;
            if (type == "histogram" || type == "summary" || name.rfind("rpc_", 0) == 0) {
                skip.insert(name);
            }
            continue;
        }
        Sample s;
        if (line.empty() || line[0] == '#' || !parse_sample(line, s)) continue;
        const auto base = s.name.substr(0, s.name.find_last_of('_'));
        if (skip.contains(s.name) || skip.contains(base)) continue;
        auto family =
            registry_.gauge_family(s.name, "validator 0's plugin: " + s.name, s.label_names);
        if (!family) continue;
        if (auto g = (*family)->with(s.label_values)) (*g)->set(s.value);
    }
}

}  // namespace mfd::chain::sim
