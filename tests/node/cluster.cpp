#include "tests/node/cluster.hpp"

#include <map>

#include "storage/chain_records.hpp"

namespace mfd::chain::test {

const sim::Traffic& small_traffic(std::size_t txs) {
    static std::map<std::size_t, sim::Traffic> cache;
    auto it = cache.find(txs);
    if (it == cache.end()) {
        sim::TrafficOptions o;
        o.seed = 1;
        o.params.accounts = 40;
        o.params.txs = txs;
        o.params.fraud_rate = 0.1;
        o.params.tx_interval_ms = 5;
        auto t = sim::load_traffic(o);
        if (!t) throw std::runtime_error(t.error().to_string());
        it = cache.emplace(txs, std::move(*t)).first;
    }
    return it->second;
}

Cluster::Cluster(const std::filesystem::path& dir, const sim::Traffic& traffic,
                 std::function<std::shared_ptr<node::FraudHooks>(std::size_t)> hooks,
                 std::uint64_t seed, sim::ByzantineSpec byzantine,
                 std::optional<std::filesystem::path> plugin) {
    sim::ValidatorsConfig vc;
    vc.count = 4;
    vc.data_dir = dir;
    vc.chain = sim::chain_config_of(traffic.header);
    vc.byzantine = std::move(byzantine);
    vc.hooks = std::move(hooks);
    vc.plugin = std::move(plugin);
    vc.model = std::filesystem::path(MFD_SOURCE_DIR) / "models/default.safetensors";
    vc.device = "cpu";
    auto v = sim::Validators::open(vc);
    if (!v) throw std::runtime_error(v.error().to_string());
    validators_ = std::move(*v);
    std::vector<node::Node*> nodes;
    for (std::size_t i = 0; i < 4; ++i) nodes.push_back(&validators_->node(i));
    driver_ = std::make_unique<sim::Driver>(nodes, validators_->take_transports(seed),
                                            net::NetworkConfig{}, seed);
    driver_->set_clock(node(0).chain().head().timestamp_ms + 1, 1);
    node(0).set_observer([this](const node::BlockOutcome& b) { blocks_.push_back(b); });
    for (std::size_t i = 0; i < traffic.txs.size(); ++i) {
        const auto& tx = traffic.txs[i];
        auto stored = storage::get_transaction(node(0).store(), tx.hash);
        if (stored && *stored) continue;
        for (std::size_t n = 0; n < 4; ++n) {
            driver_->send_tx(n, tx.raw, i, tx.at_ms * 1000 + static_cast<std::int64_t>(n) * 1000);
        }
    }
    if (auto ok = driver_->start(); !ok) throw std::runtime_error(ok.error().to_string());
}

bool Cluster::run_to(std::uint64_t height) {
    const auto reached = [&] {
        for (std::size_t i = 0; i < 4; ++i) {
            if (node(i).chain().head().number < height) return false;
        }
        return true;
    };
    while (!reached()) {
        if (!driver_->step()) return false;
        for (std::size_t i = 0; i < 4; ++i) {
            if (node(i).failure()) return false;
        }
    }
    return true;
}

}  // namespace mfd::chain::test
