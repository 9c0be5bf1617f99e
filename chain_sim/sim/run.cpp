#include "chain_sim/sim/run.hpp"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <deque>
#include <fstream>
#include <thread>

#include "chain_sim/sim/driver.hpp"
#include "chain_sim/sim/feature_labels.hpp"
#include "chain_sim/sim/outcomes.hpp"
#include "chain_sim/sim/progress.hpp"
#include "chain_sim/sim/report.hpp"
#include "chain_sim/sim/rpc_host.hpp"
#include "chain_sim/sim/run_state.hpp"
#include "chain_sim/sim/traffic.hpp"
#include "chain_sim/sim/validators.hpp"
#include "chain_sim/sim/wallets.hpp"
#include "plugin/loader/plugin_path.hpp"
#include "plugin/rpc/eth_params.hpp"
#include "storage/chain_records.hpp"

namespace mfd::chain::sim {
namespace {

using SteadyClock = std::chrono::steady_clock;

/// Simulated delay between a transaction's sending and its arrival at each validator.
constexpr std::int64_t kTxGossipUs = 20'000;
/// How long a wallet takes to notice that what it waits for executed (it polls its node).
constexpr std::int64_t kWalletReactionUs = 100'000;
/// A wallet whose transaction was refused for a reason that may pass later (its funding or
/// its previous nonce not executed yet, a full pool) sends it again after this delay, at most
/// kMaxResends times per validator.
constexpr std::int64_t kResendUs = 300'000;
constexpr std::uint8_t kMaxResends = 20;
/// How long (simulated) a validator behind its peers at start may take to catch up.
constexpr std::int64_t kCatchUpLimitUs = 120'000'000;

bool may_pass_later(core::Errc code) {
    return code == core::Errc::kTxInsufficientFunds || code == core::Errc::kTxNonceTooHigh ||
           code == core::Errc::kLimitExceeded;
}

double seconds_since(SteadyClock::time_point start) {
    return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

/// A whole unsigned number of at most `max`, or nothing.
std::optional<std::uint64_t> whole(std::string_view text, std::uint64_t max) {
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || v > max) {
        return std::nullopt;
    }
    return v;
}

}  // namespace

core::Result<consensus::FlagRule> parse_flag_rule(std::string_view spec) {
    const auto bad = [&] {
        return core::fail(core::Errc::kInvalidArgument,
                          "--flag-rule takes stake:NUM/DEN (a share in (0, 1]) or mean:BP (a "
                          "stake-weighted score of 1..10000 basis points), not '" +
                              std::string(spec) + "'");
    };
    consensus::FlagRule rule;
    if (spec.starts_with("stake:")) {
        const auto rest = spec.substr(6);
        const auto slash = rest.find('/');
        if (slash == std::string_view::npos) return bad();
        const auto num = whole(rest.substr(0, slash), 1'000'000);
        const auto den = whole(rest.substr(slash + 1), 1'000'000);
        if (!num || !den || *num == 0 || *num > *den) return bad();
        rule.kind = consensus::FlagRule::Kind::kFlaggedStake;
        rule.share = {static_cast<std::uint32_t>(*num), static_cast<std::uint32_t>(*den)};
        return rule;
    }
    if (spec.starts_with("mean:")) {
        const auto bp = whole(spec.substr(5), 10'000);
        if (!bp || *bp == 0) return bad();
        rule.kind = consensus::FlagRule::Kind::kMeanScore;
        rule.min_mean_score = static_cast<std::uint16_t>(*bp);
        return rule;
    }
    return bad();
}

namespace {

/// The chain of a run: one-second blocks (CometBFT's timeout_commit) that hold a second of
/// traffic, with room in the vote extensions for every flagged candidate.
consensus::ConsensusParams simulation_params(const consensus::FlagRule& rule) {
    consensus::ConsensusParams p;
    p.flag_rule = rule;
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
    std::unique_ptr<Wallets> wallets;
    std::unique_ptr<Driver> driver;
    node::TaskQueue queue;
    std::deque<core::Bytes> rpc_raws;   ///< bytes of transactions sent over RPC (events view them)
    std::vector<std::uint8_t> resends;  ///< per validator and traffic transaction
    std::unique_ptr<RpcHost> rpc;
    net::Rng rng{1};
    RunFigures figures;
};

std::filesystem::path raw_feature_log(const RunOptions& o) {
    return o.data_dir / "validator-0" / "features.unlabelled.jsonl";
}

// After the plugins are closed (their logs complete): validator 0's rows, labelled.
core::Result<void> write_feature_log(RunContext& c) {
    if (!c.options.feature_log) return {};
    const Wallets* wallets = c.wallets.get();
    auto counts = label_feature_log(
        raw_feature_log(c.options), *c.options.feature_log, c.traffic,
        [wallets](const core::Hash& h) { return wallets != nullptr && wallets->is_cancel(h); });
    if (!counts) return core::fail(counts.error());
    if (!c.options.quiet) {
        std::fprintf(c.out, "feature log: %s (%llu rows: %llu fraud, %llu honest, %llu unknown)\n",
                     c.options.feature_log->string().c_str(),
                     static_cast<unsigned long long>(counts->rows),
                     static_cast<unsigned long long>(counts->fraud),
                     static_cast<unsigned long long>(counts->honest),
                     static_cast<unsigned long long>(counts->unknown));
    }
    return {};
}

core::Result<void> open_validators(RunContext& c) {
    const RunOptions& o = c.options;
    ValidatorsConfig vc;
    vc.count = o.validators;
    vc.data_dir = o.data_dir;
    vc.chain = chain_config_of(c.traffic.header);
    auto spec = parse_byzantine(o.byzantine, o.validators);
    if (!spec) return core::fail(spec.error());
    vc.byzantine = *spec;
    auto rule = parse_flag_rule(o.flag_rule);
    if (!rule) return core::fail(rule.error());
    vc.params = simulation_params(*rule);
    vc.model = o.model;
    vc.device = o.device;
    if (o.feature_log) vc.feature_log = raw_feature_log(o);
    vc.threshold = o.threshold;
    vc.target_fpr = o.target_fpr;
    vc.rebuild_plugin_stores = o.rebuild_plugin_stores;
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
// run of this directory executed; gives the rest to the wallets, due on the simulated clock.
void schedule_traffic(RunContext& c) {
    std::vector<core::ByteView> raws;
    raws.reserve(c.traffic.txs.size());
    for (const auto& tx : c.traffic.txs) raws.push_back(tx.raw);
    (void)c.validators->cache().check_all(raws);
    const core::KvStore& store = c.validators->node(0).store();
    std::optional<std::int64_t> shift;
    std::vector<std::int64_t> at_us(c.traffic.txs.size(), 0);
    std::vector<bool> earlier(c.traffic.txs.size(), false);
    for (std::size_t i = 0; i < c.traffic.txs.size(); ++i) {
        const TrafficTx& tx = c.traffic.txs[i];
        if (c.figures.start_height > 0) {
            auto stored = storage::get_transaction(store, tx.hash);
            if (stored && *stored) {
                c.tracker->mark_earlier(i);
                earlier[i] = true;
                ++c.figures.traffic_earlier;
                continue;
            }
        }
        if (!shift) shift = tx.at_ms;
        at_us[i] = c.driver->now() +
                   (tx.at_ms - *shift) * 1000 / static_cast<std::int64_t>(c.options.time_scale);
    }
    c.wallets = std::make_unique<Wallets>(c.traffic, std::move(at_us), earlier, kWalletReactionUs);
}

// What the wallets have due before the next event reaches every validator within the gossip
// delay.
void release_traffic(RunContext& c) {
    c.wallets->release(c.driver->next_time(), [&c](const WalletSend& w) {
        for (std::size_t v = 0; v < c.validators->size(); ++v) {
            c.driver->send_tx(v, w.raw, w.tag, w.at_us + c.rng.uniform(0, kTxGossipUs));
        }
    });
}

bool pooled_at_node0(RunContext& c, const core::Hash& h) {
    return c.validators->node(0).mempool().contains(h);
}

void observe_blocks(RunContext& c) {
    c.validators->node(0).set_observer([&c](const node::BlockOutcome& b) {
        const std::int64_t now = c.driver->now();
        c.tracker->on_block(b, now);
        for (const auto& h : b.included) c.wallets->on_executed(h, now);
        for (const auto& f : b.flags) {
            if (f.excluded) c.wallets->on_kept_out(f.tx, now);
        }
        for (const auto& skipped : b.skipped) {
            if (!pooled_at_node0(c, skipped.hash)) c.wallets->on_kept_out(skipped.hash, now);
        }
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
            const std::int64_t now = c.driver->now();
            if (tag >= c.traffic.txs.size()) {
                if (node == 0 && tag == kWalletTag) {
                    c.wallets->on_admission(a.hash, a.accepted, !a.accepted, now);
                }
                return;
            }
            auto& resends = c.resends[node * c.traffic.txs.size() + tag];
            const bool again = !a.accepted && may_pass_later(a.code) && resends < kMaxResends;
            if (again) {
                ++resends;
                c.driver->send_tx(node, c.traffic.txs[tag].raw, tag, now + kResendUs);
            }
            if (node != 0) return;
            c.tracker->on_sent(tag, now);
            c.tracker->on_admission(a);
            c.wallets->on_admission(a.hash, a.accepted, !a.accepted && !again, now);
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

/// The first validator whose store failed while committing, named: the run stops there.
core::Result<void> store_failure(RunContext& c) {
    for (std::size_t i = 0; i < c.validators->size(); ++i) {
        if (const auto& failed = c.validators->node(i).failure()) {
            return core::fail(failed->code,
                              "validator " + std::to_string(i) + ": " + failed->message);
        }
    }
    return {};
}

/// The highest committed head among the validators.
const core::BlockHeader& highest_head(RunContext& c) {
    const core::BlockHeader* best = &c.validators->node(0).chain().head();
    for (std::size_t i = 1; i < c.validators->size(); ++i) {
        const auto& h = c.validators->node(i).chain().head();
        if (h.number > best->number) best = &h;
    }
    return *best;
}

// A validator whose chain store ends below its peers' (its write-ahead log lost its tail, or
// the process died between two validators' commits) catches up from them, with the decisions
// they send it, before any traffic starts; the run then goes on from the network's height.
// Said on stderr per validator; a validator that cannot catch up is refused by name.
core::Result<void> catch_up(RunContext& c) {
    const std::uint64_t height = highest_head(c).number;
    std::vector<std::size_t> behind;
    for (std::size_t i = 0; i < c.validators->size(); ++i) {
        const std::uint64_t own = c.validators->node(i).chain().head().number;
        if ((c.validators->behaviours(i) & net::kSilent) != 0 || own >= height) continue;
        behind.push_back(i);
        std::fprintf(stderr,
                     "validator %zu: its chain store ends at block %llu, its peers' at %llu; "
                     "catching up from them\n",
                     i, static_cast<unsigned long long>(own),
                     static_cast<unsigned long long>(height));
    }
    if (behind.empty()) return {};
    while (lowest_height(c) < height && !stopping(c.options) && c.driver->now() < kCatchUpLimitUs &&
           c.driver->step()) {
        if (auto ok = store_failure(c); !ok) return ok;
    }
    for (const std::size_t i : behind) {
        const std::uint64_t own = c.validators->node(i).chain().head().number;
        if (own < height) {
            return core::fail(core::Errc::kUnavailable,
                              "validator " + std::to_string(i) +
                                  ": its chain store ends at block " + std::to_string(own) +
                                  " and its peers' at " + std::to_string(height) +
                                  "; it did not catch up from them (restore its directory, or "
                                  "start afresh in another --data-dir)");
        }
        std::fprintf(stderr, "validator %zu: caught up to block %llu\n", i,
                     static_cast<unsigned long long>(own));
    }
    return {};
}

/// True while some of the traffic is due and undecided (sent and pending, or waiting to be sent).
bool traffic_left(RunContext& c) {
    const std::int64_t now = c.driver->now();
    if (c.tracker->pending() > 0) return true;
    for (std::size_t i = 0; i < c.traffic.txs.size(); ++i) {
        if (c.wallets->waiting(i, now)) return true;
    }
    return c.wallets->next_due() != INT64_MAX;
}

// The requested blocks, then (unless --no-drain) up to as many more while the traffic is not
// all decided.
core::Result<void> run_blocks(RunContext& c) {
    const std::uint64_t target = c.figures.start_height + c.options.blocks;
    const std::uint64_t limit = target + (c.options.drain ? c.options.blocks : 0);
    Progress progress(c.options.blocks, c.options.progress);
    std::uint64_t steps = 0;
    std::uint64_t checked_at = 0;
    bool left = true;
    while (!stopping(c.options)) {
        const std::uint64_t height = lowest_height(c);
        if (height >= limit) break;
        if (height >= target) {
            if (height != checked_at) {
                checked_at = height;
                left = traffic_left(c);
            }
            if (!left) break;
        }
        if (c.queue.has_pending()) c.queue.run_pending();
        release_traffic(c);
        if (!c.driver->step()) break;
        if (auto ok = store_failure(c); !ok) return ok;
        if ((++steps & 255) == 0) {
            progress.update(c.figures.blocks, c.figures.txs);
            if (c.rpc) c.rpc->refresh_metrics(c.validators->node(0));
        }
    }
    progress.finish(c.figures.blocks, c.figures.txs);
    c.figures.interrupted = stopping(c.options) && lowest_height(c) < target;
    c.figures.drain_blocks = lowest_height(c) > target ? lowest_height(c) - target : 0;
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
            release_traffic(c);
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
    const Wallets& w = *c.wallets;
    c.tracker->settle(
        [&v0](const core::Hash& h) { return v0.mempool().contains(h); },
        [&c](std::size_t i) { return c.resends[i] > 0 && c.resends[i] < kMaxResends; },
        [&w](std::size_t i) { return w.gave_up_on(i); });
    f.finality_us = c.tracker->finality_us();
    const std::int64_t now = c.driver->now();
    const Wallets& wallets = *c.wallets;
    const CauseContext causes{[&wallets](std::size_t i) { return wallets.blocked_by_gap(i); },
                              [&wallets, now](std::size_t i) { return wallets.waiting(i, now); }};
    f.detection = c.tracker->detection(causes);
    if (c.options.outcomes_csv)
        std::ofstream(*c.options.outcomes_csv) << c.tracker->outcomes_csv(causes);
    f.wallets = wallets.counters();
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
    if (options.data_dir.empty()) {
        return core::fail(core::Errc::kInvalidArgument, "--data-dir must not be empty");
    }
    const auto byzantine = parse_byzantine(options.byzantine, options.validators);
    if (!byzantine) return core::fail(byzantine.error());
    if (auto ok = check_quorum(*byzantine, options.validators); !ok) return core::fail(ok.error());
    if (auto ok = parse_flag_rule(options.flag_rule); !ok) return core::fail(ok.error());
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
    if (auto ok = mark_run_started(options.data_dir, run_identity(options)); !ok) {
        return core::fail(ok.error());
    }
    c->tracker = std::make_unique<OutcomeTracker>(c->traffic);
    std::vector<node::Node*> nodes;
    for (std::size_t i = 0; i < c->validators->size(); ++i)
        nodes.push_back(&c->validators->node(i));
    c->driver = std::make_unique<Driver>(nodes, c->validators->take_transports(options.seed),
                                         net::NetworkConfig{}, options.seed);
    c->driver->set_clock(highest_head(*c).timestamp_ms + 1, options.time_scale);
    c->resends.assign(c->validators->size() * c->traffic.txs.size(), 0);
    if (auto ok = c->driver->start(); !ok) return core::fail(ok.error());
    if (auto ok = catch_up(*c); !ok) return core::fail(ok.error());
    c->figures.start_height = c->validators->node(0).chain().head().number;
    observe_blocks(*c);
    if (auto ok = start_rpc(*c); !ok) return core::fail(ok.error());
    const auto t1 = SteadyClock::now();
    schedule_traffic(*c);
    if (auto ok = run_blocks(*c); !ok) return core::fail(ok.error());
    collect(*c, seconds_since(t1));
    auto report = finish(*c);
    if (report && options.serve && c->rpc) serve(*c);
    c->queue.close();
    if (c->rpc) c->rpc->stop();
    c->rpc.reset();
    c->driver.reset();
    c->validators.reset();
    if (auto ok = write_feature_log(*c); report && !ok) return core::fail(ok.error());
    return report;
}

}  // namespace mfd::chain::sim
