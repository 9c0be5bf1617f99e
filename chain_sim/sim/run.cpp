#include "chain_sim/sim/run.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <fstream>
#include <thread>

#include "chain_sim/sim/driver.hpp"
#include "chain_sim/sim/outcomes.hpp"
#include "chain_sim/sim/progress.hpp"
#include "chain_sim/sim/report.hpp"
#include "chain_sim/sim/rpc_host.hpp"
#include "chain_sim/sim/run_state.hpp"
#include "chain_sim/sim/traffic.hpp"
#include "chain_sim/sim/validators.hpp"
#include "plugin/loader/plugin_path.hpp"
#include "plugin/rpc/eth_params.hpp"
#include "storage/chain_records.hpp"

namespace mfd::chain::sim {
namespace {

using SteadyClock = std::chrono::steady_clock;

/// Simulated delay between a transaction's sending and its arrival at each validator.
constexpr std::int64_t kTxGossipUs = 20'000;
/// A wallet whose transaction was refused for a reason that may pass later (its funding or
/// its previous nonce not executed yet, a full pool) sends it again after this delay, at most
/// kMaxResends times per validator.
constexpr std::int64_t kResendUs = 300'000;
constexpr std::uint8_t kMaxResends = 20;

bool may_pass_later(core::Errc code) {
    return code == core::Errc::kTxInsufficientFunds || code == core::Errc::kTxNonceTooHigh ||
           code == core::Errc::kLimitExceeded;
}

double seconds_since(SteadyClock::time_point start) {
    return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

/// The chain of a run: one-second blocks (CometBFT's timeout_commit) that hold a second of
/// traffic, with room in the vote extensions for every flagged candidate.
consensus::ConsensusParams simulation_params() {
    consensus::ConsensusParams p;
    p.timeouts.commit_us = 1'000'000;
    p.timeouts.propose_us = 1'000'000;
    p.max_candidates = 4096;
    p.max_extension_flags = 512;
    p.max_payload_bytes = 4 << 20;
    return p;
}

/// Gas per block: room for a second of traffic at the generator's gas limits (its budget per
/// contract call is up to 600,000).
constexpr std::uint64_t kBlockGasLimit = 300'000'000;

bool stopping(const RunOptions& o) {
    return o.stop != nullptr && o.stop->load();
}

/// Everything one run holds, in destruction order (the server before the nodes).
struct RunContext {
    RunOptions options;
    std::FILE* out = nullptr;
    Traffic traffic;
    std::unique_ptr<Validators> validators;
    std::unique_ptr<OutcomeTracker> tracker;
    std::unique_ptr<Driver> driver;
    node::TaskQueue queue;
    std::deque<core::Bytes> rpc_raws;   ///< bytes of transactions sent over RPC (events view them)
    std::vector<std::uint8_t> resends;  ///< per validator and traffic transaction
    std::unique_ptr<RpcHost> rpc;
    net::Rng rng{1};
    RunFigures figures;
};

core::Result<void> open_validators(RunContext& c) {
    const RunOptions& o = c.options;
    ValidatorsConfig vc;
    vc.count = o.validators;
    vc.data_dir = o.data_dir;
    vc.chain = chain_config_of(c.traffic.header);
    auto spec = parse_byzantine(o.byzantine, o.validators);
    if (!spec) return core::fail(spec.error());
    vc.byzantine = *spec;
    vc.params = simulation_params();
    vc.model = o.model;
    vc.device = o.device;
    if (o.plugin) {
        vc.plugin = *o.plugin;
    } else {
        auto found = plugin::locate_plugin();
        if (!found) return core::fail(found.error());
        vc.plugin = *found;
    }
    c.figures.plugin = vc.plugin->string();
    auto v = Validators::open(vc);
    if (!v) return core::fail(v.error());
    c.validators = std::move(*v);
    return {};
}

// Recovers every sender once, on two threads, before the serial work; marks what an earlier
// run of this directory executed; schedules the rest to reach every validator.
void schedule_traffic(RunContext& c) {
    std::vector<core::ByteView> raws;
    raws.reserve(c.traffic.txs.size());
    for (const auto& tx : c.traffic.txs) raws.push_back(tx.raw);
    (void)c.validators->cache().check_all(raws);
    const core::KvStore& store = c.validators->node(0).store();
    std::optional<std::int64_t> shift;
    for (std::size_t i = 0; i < c.traffic.txs.size(); ++i) {
        const TrafficTx& tx = c.traffic.txs[i];
        if (c.figures.start_height > 0) {
            auto stored = storage::get_transaction(store, tx.hash);
            if (stored && *stored) {
                c.tracker->mark_earlier(i);
                ++c.figures.traffic_earlier;
                continue;
            }
        }
        if (!shift) shift = tx.at_ms;
        const std::int64_t at_us =
            (tx.at_ms - *shift) * 1000 / static_cast<std::int64_t>(c.options.time_scale);
        for (std::size_t v = 0; v < c.validators->size(); ++v) {
            c.driver->send_tx(v, tx.raw, i, at_us + c.rng.uniform(0, kTxGossipUs));
        }
    }
}

void observe_blocks(RunContext& c) {
    c.validators->node(0).set_observer([&c](const node::BlockOutcome& b) {
        c.tracker->on_block(b, c.driver->now());
        ++c.figures.blocks;
        c.figures.txs += b.included.size();
        c.figures.announced += b.announced.size();
        if (b.round > 0) ++c.figures.rounds_over_zero;
        for (const auto& m : b.slashed) {
            c.figures.slashing.push_back({b.height, "equivocation", m.validator, m.slashed});
        }
        for (const auto& a : b.jailed) c.figures.slashing.push_back({b.height, "downtime", a, 0});
    });
    c.driver->set_admission_observer(
        [&c](std::size_t node, std::size_t tag, const node::Admission& a) {
            if (tag >= c.traffic.txs.size()) return;
            auto& resends = c.resends[node * c.traffic.txs.size() + tag];
            if (!a.accepted && may_pass_later(a.code) && resends < kMaxResends) {
                ++resends;
                c.driver->send_tx(node, c.traffic.txs[tag].raw, tag, c.driver->now() + kResendUs);
            }
            if (node != 0) return;
            c.tracker->on_sent(tag, c.driver->now());
            c.tracker->on_admission(a);
        });
}

// eth_sendRawTransaction: validator 0 admits it now; the others receive it over gossip.
node::Admission submit_over_rpc(RunContext& c, core::ByteView raw) {
    node::Admission a = c.validators->node(0).admit(raw);
    if (!a.accepted) return a;
    c.rpc_raws.emplace_back(raw.begin(), raw.end());
    for (std::size_t v = 1; v < c.validators->size(); ++v) {
        c.driver->send_tx(v, c.rpc_raws.back(), static_cast<std::size_t>(-1),
                          c.driver->now() + c.rng.uniform(1, kTxGossipUs));
    }
    return a;
}

core::Result<void> start_rpc(RunContext& c) {
    if (c.options.rpc.empty() || c.options.rpc == "off") return {};
    auto endpoint = RpcHost::parse_endpoint(c.options.rpc);
    if (!endpoint) return core::fail(endpoint.error());
    auto host = RpcHost::start(*endpoint, c.queue, c.validators->node(0), c.validators->plugin(0),
                               [&c](core::ByteView raw) { return submit_over_rpc(c, raw); });
    if (!host) return core::fail(host.error());
    c.rpc = std::move(*host);
    c.figures.rpc = c.rpc->endpoint();
    const core::PrivateKey dev = dev_key();
    std::fprintf(c.out, "dev account: %s key %s (funded at genesis; simulator only)\n",
                 rpc::to_checksum_address(dev.address()).c_str(), dev.secret().hex().c_str());
    std::fprintf(c.out, "rpc: listening on http://%s\n", c.figures.rpc.c_str());
    std::fflush(c.out);
    return {};
}

std::uint64_t lowest_height(RunContext& c) {
    std::uint64_t low = UINT64_MAX;
    for (std::size_t i = 0; i < c.validators->size(); ++i) {
        if ((c.validators->behaviours(i) & net::kSilent) != 0) continue;
        low = std::min(low, c.validators->node(i).chain().head().number);
    }
    return low == UINT64_MAX ? c.validators->node(0).chain().head().number : low;
}

core::Result<void> run_blocks(RunContext& c) {
    const std::uint64_t target = c.figures.start_height + c.options.blocks;
    Progress progress(c.options.blocks, c.options.progress);
    std::uint64_t steps = 0;
    while (!stopping(c.options) && lowest_height(c) < target) {
        if (c.queue.has_pending()) c.queue.run_pending();
        if (!c.driver->step()) break;
        if (auto& failed = c.validators->node(0).failure()) return core::fail(*failed);
        if ((++steps & 255) == 0) {
            progress.update(c.figures.blocks, c.figures.txs);
            if (c.rpc) c.rpc->refresh_metrics(c.validators->node(0));
        }
    }
    progress.finish(c.figures.blocks, c.figures.txs);
    return {};
}

// After the last block with --serve: the chain keeps running with the simulated clock paced
// by the wall clock, so transactions sent over RPC are still executed.
void serve(RunContext& c) {
    std::fprintf(c.out, "serving on http://%s until interrupted (Ctrl-C)\n", c.figures.rpc.c_str());
    std::fflush(c.out);
    const auto wall0 = SteadyClock::now();
    const std::int64_t sim0 = c.driver->now();
    auto last_metrics = wall0;
    while (!stopping(c.options)) {
        const std::int64_t next = c.driver->next_time();
        const auto now = SteadyClock::now();
        const auto due = next == INT64_MAX ? now + std::chrono::milliseconds(50)
                                           : wall0 + std::chrono::microseconds(next - sim0);
        if (next != INT64_MAX && now >= due) {
            (void)c.driver->step();
        } else {
            const auto wait =
                std::min<SteadyClock::duration>(due - now, std::chrono::milliseconds(50));
            c.queue.wait_and_run(std::chrono::duration_cast<std::chrono::milliseconds>(wait));
        }
        if (c.queue.has_pending()) c.queue.run_pending();
        if (c.rpc && now - last_metrics > std::chrono::seconds(1)) {
            last_metrics = now;
            c.rpc->refresh_metrics(c.validators->node(0));
        }
    }
}

void collect(RunContext& c, double wall_s) {
    RunFigures& f = c.figures;
    f.validators = c.options.validators;
    f.byzantine = c.options.byzantine;
    f.seed = c.options.seed;
    f.end_height = c.validators->node(0).chain().head().number;
    f.wall_s = wall_s;
    f.simulated_s = static_cast<double>(c.driver->now()) / 1e6;
    const node::Node& v0 = c.validators->node(0);
    c.tracker->settle(
        [&v0](const core::Hash& h) { return v0.mempool().contains(h); },
        [&c](std::size_t i) { return c.resends[i] > 0 && c.resends[i] < kMaxResends; });
    f.finality_us = c.tracker->finality_us();
    f.detection = c.tracker->detection();
    f.traffic_txs = c.traffic.txs.size();
    f.node0 = c.validators->node(0).stats();
    const auto cache = c.validators->cache().stats();
    f.cache_hits = cache.hits;
    f.cache_misses = cache.misses;
    f.driver = c.driver->counters();
    if (const auto& p = c.validators->plugin(0)) {
        auto q = p->query("fraud_getExpertStats", "");
        if (q && q->ok) f.experts = nlohmann::json::parse(q->json, nullptr, false);
    }
}

core::Result<nlohmann::json> finish(RunContext& c) {
    nlohmann::json report = report_json(c.figures);
    const auto path = c.options.report.value_or(c.options.data_dir / "report.json");
    std::ofstream file(path);
    file << report.dump(2) << "\n";
    if (!file) return core::fail(core::Errc::kIo, "cannot write the report to " + path.string());
    if (!c.options.quiet) {
        std::fputs(summary_text(c.figures).c_str(), c.out);
        std::fprintf(c.out, "report: %s\n", path.string().c_str());
        std::fflush(c.out);
    }
    return report;
}

}  // namespace

core::Result<nlohmann::json> run_simulation(const RunOptions& options, std::FILE* out) {
    if (options.time_scale == 0) {
        return core::fail(core::Errc::kInvalidArgument, "--time-scale must be at least 1");
    }
    if (options.validators == 0 || options.validators > 100) {
        return core::fail(core::Errc::kInvalidArgument, "--validators must be in 1..100");
    }
    if (auto ok = parse_byzantine(options.byzantine, options.validators); !ok) {
        return core::fail(ok.error());
    }
    if (auto ok = check_run_state(options.data_dir, run_identity(options)); !ok) {
        return core::fail(ok.error());
    }
    auto c = std::make_unique<RunContext>();
    c->options = options;
    c->out = out;
    c->rng = net::Rng(options.seed ^ 0x7478'6172'7269'7665ULL);
    const auto t0 = SteadyClock::now();
    auto traffic =
        load_traffic({options.traffic,
                      options.seed,
                      {options.accounts, options.txs, options.fraud_rate, options.tx_interval_ms},
                      1337,
                      kBlockGasLimit});
    if (!traffic) return core::fail(traffic.error());
    c->traffic = std::move(*traffic);
    c->figures.traffic_s = seconds_since(t0);
    if (auto ok = open_validators(*c); !ok) return core::fail(ok.error());
    c->figures.start_height = c->validators->node(0).chain().head().number;
    c->tracker = std::make_unique<OutcomeTracker>(c->traffic);
    std::vector<node::Node*> nodes;
    for (std::size_t i = 0; i < c->validators->size(); ++i)
        nodes.push_back(&c->validators->node(i));
    c->driver = std::make_unique<Driver>(nodes, c->validators->take_transports(options.seed),
                                         net::NetworkConfig{}, options.seed);
    c->driver->set_clock(c->validators->node(0).chain().head().timestamp_ms + 1,
                         options.time_scale);
    c->resends.assign(c->validators->size() * c->traffic.txs.size(), 0);
    observe_blocks(*c);
    if (auto ok = start_rpc(*c); !ok) return core::fail(ok.error());
    const auto t1 = SteadyClock::now();
    schedule_traffic(*c);
    if (auto ok = c->driver->start(); !ok) return core::fail(ok.error());
    if (auto ok = run_blocks(*c); !ok) return core::fail(ok.error());
    collect(*c, seconds_since(t1));
    auto report = finish(*c);
    if (report && options.serve && c->rpc) serve(*c);
    c->queue.close();
    if (c->rpc) c->rpc->stop();
    return report;
}

}  // namespace mfd::chain::sim
