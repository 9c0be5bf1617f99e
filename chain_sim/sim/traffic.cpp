#include "chain_sim/sim/traffic.hpp"

#include <algorithm>

#include "chain_sim/workload/generator.hpp"
#include "chain_sim/workload/stream_reader.hpp"

namespace mfd::chain::sim {
namespace {

Traffic from_stream(workload::Stream stream) {
    Traffic out;
    out.header = std::move(stream.header);
    out.txs.reserve(stream.records.size());
    const std::int64_t t0 = stream.records.empty() ? 0 : stream.records.front().event.time_ms;
    for (auto& r : stream.records) {
        TrafficTx tx;
        tx.raw = std::move(r.event.raw);
        tx.hash = r.event.hash;
        tx.at_ms = r.event.time_ms - t0;
        tx.label = r.event.label > 0 ? 1 : 0;
        tx.typology = std::move(r.event.typology);
        tx.sender_role = std::move(r.event.sender_role);
        tx.expected = r.expected;
        tx.tx = std::move(r.event.tx);
        tx.signer = r.event.sender();
        tx.after = std::move(r.after);
        tx.key = std::move(r.signer);
        out.txs.push_back(std::move(tx));
    }
    return out;
}

}  // namespace

core::Result<Traffic> load_traffic(const TrafficOptions& options) {
    if (options.file) {
        auto stream = workload::read_stream(*options.file, 2);
        if (!stream) return core::fail(stream.error());
        return from_stream(std::move(*stream));
    }
    workload::GeneratorConfig config;
    config.seed = options.seed;
    config.params = options.params;
    config.chain.chain_id = options.chain_id;
    config.chain.block_gas_limit = options.block_gas_limit;
    auto stream = workload::generate_stream(config);
    if (!stream) return core::fail(stream.error());
    return from_stream(std::move(*stream));
}

ChainConfig chain_config_of(const workload::StreamHeader& header) {
    ChainConfig c;
    c.chain_id = header.chain.chain_id;
    c.block_gas_limit = header.chain.block_gas_limit;
    c.initial_base_fee = header.chain.initial_base_fee;
    c.min_base_fee = header.chain.initial_base_fee;
    c.allow_unprotected = true;
    c.allocations.reserve(header.genesis.size());
    for (const auto& g : header.genesis) c.allocations.push_back({g.address, g.balance});
    const core::Address dev = dev_key().address();
    const bool taken = std::any_of(c.allocations.begin(), c.allocations.end(),
                                   [&](const GenesisAllocation& a) { return a.address == dev; });
    if (!taken) c.allocations.push_back({dev, dev_balance()});
    return c;
}

core::PrivateKey dev_key() {
    return core::PrivateKey::derive(core::as_bytes("mfd-chain-sim-dev-account"));
}

core::U256 dev_balance() {
    return core::U256(1'000) * core::U256(1'000'000'000'000'000'000ULL);
}

}  // namespace mfd::chain::sim
