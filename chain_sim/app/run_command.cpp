// `chain_sim run`: the multi-validator simulation (docs/simulator.md).
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>

#include "chain_sim/app/commands.hpp"
#include "chain_sim/sim/byzantine.hpp"
#include "chain_sim/sim/run.hpp"
#include "tools/cli/unsigned_option.hpp"

namespace mfd::chain::app {
namespace {

/// Bounds of the size options: far above any run that finishes, low enough that no count
/// derived from them overflows.
constexpr std::uint64_t kMaxBlocks = 1'000'000'000;
constexpr std::uint64_t kMaxTxs = 1'000'000'000;
constexpr std::uint64_t kMaxAccounts = 100'000'000;

/// The exit status of a run interrupted (SIGINT, SIGTERM) before its blocks were committed:
/// 128 + SIGINT, as shells report an interrupted program. The report covers what ran.
constexpr int kExitInterrupted = 130;

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) {
    g_stop.store(true);
}

struct RunCli {
    sim::RunOptions options;
    std::string report;
    std::string plugin;
    std::string traffic;
    std::string feature_log;
    std::string outcomes_csv;
    double threshold = -1;
    double target_fpr = -1;
    bool no_progress = false;
    bool no_drain = false;
};

void run_run(RunCli& cli, int& exit_code) {
    sim::RunOptions o = cli.options;
    if (!cli.report.empty()) o.report = cli.report;
    if (!cli.plugin.empty()) o.plugin = cli.plugin;
    if (!cli.traffic.empty()) o.traffic = cli.traffic;
    if (!cli.feature_log.empty()) o.feature_log = cli.feature_log;
    if (cli.threshold >= 0) o.threshold = cli.threshold;
    if (cli.target_fpr >= 0) o.target_fpr = cli.target_fpr;
    if (!cli.outcomes_csv.empty()) o.outcomes_csv = cli.outcomes_csv;
    o.progress = !cli.no_progress;
    o.drain = !cli.no_drain;
    o.stop = &g_stop;
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    auto report = sim::run_simulation(o, stdout);
    if (!report) {
        std::fprintf(stderr, "chain_sim run: %s\n", report.error().to_string().c_str());
        exit_code = 2;
    } else if (report->value("interrupted", false)) {
        std::fprintf(stderr,
                     "chain_sim run: interrupted at height %llu, before the %llu blocks asked "
                     "for; the report covers what ran\n",
                     static_cast<unsigned long long>(
                         (*report)["chain"].value("end_height", std::uint64_t{0})),
                     static_cast<unsigned long long>(o.blocks));
        exit_code = kExitInterrupted;
    }
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand(
        "run",
        "Run a network of validators (own RocksDB, mempool, consensus engine and fraud plugin "
        "each) on generated traffic with fraud; serve JSON-RPC while it runs; end with a summary "
        "and a JSON report. Restarting on the same --data-dir resumes (docs/simulator.md)");
    auto cli = std::make_shared<RunCli>();
    auto& o = cli->options;
    cmd->add_option("--validators", o.validators, "Validators (1..100)")
        ->default_val(4)
        ->check(cli::unsigned_in(1, 100));
    cmd->add_option("--blocks", o.blocks, "Blocks to commit in this run")
        ->default_val(o.blocks)
        ->check(cli::unsigned_in(0, kMaxBlocks));
    cmd->add_flag("--no-drain", cli->no_drain,
                  "Stop after --blocks even when some of the traffic is undecided (by default "
                  "up to as many blocks again are committed to drain it)");
    cmd->add_option("--seed", o.seed, "Seed of the traffic and the network")
        ->default_val(1)
        ->check(cli::unsigned_in());
    cmd->add_option("--fraud-rate", o.fraud_rate, "Share of fraudulent transactions (0..0.5)")
        ->default_val(o.fraud_rate);
    cmd->add_option("--byzantine", o.byzantine,
                    "Byzantine validators, INDEX:BEHAVIOUR[+BEHAVIOUR],... e.g. "
                    "\"2:equivocate,3:silent\"; behaviours: " +
                        sim::byzantine_names());
    cmd->add_option("--flag-rule", o.flag_rule,
                    "Which flagged transactions consensus leaves out: stake:NUM/DEN (flagged by "
                    "at least that share of the stake) or mean:BP (a stake-weighted score of at "
                    "least BP basis points, non-flaggers counting 0)")
        ->default_val(o.flag_rule);
    cmd->add_option("--device", o.device, "Scoring device of the plugins: auto, cpu or cuda")
        ->default_val("auto")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    cmd->add_option("--data-dir", o.data_dir, "Where the validators keep their RocksDB stores")
        ->default_val("data");
    cmd->add_option("--rpc", o.rpc, "JSON-RPC HOST:PORT (port 0: a free one; \"off\": none)")
        ->default_val(o.rpc);
    cmd->add_flag("--serve", o.serve,
                  "After the last block keep the chain running in real time and keep serving "
                  "JSON-RPC until interrupted");
    cmd->add_option("--report", cli->report, "JSON report file (default <data-dir>/report.json)");
    cmd->add_option("--plugin", cli->plugin,
                    "The plugin library (default $MFD_FRAUD_PLUGIN, else ../lib beside the "
                    "program)");
    cmd->add_option("--model", o.model, "Model file the plugins load")->default_val(o.model);
    cmd->add_option("--traffic", cli->traffic,
                    "Read the traffic from a stream file (chain_sim generate) instead of "
                    "generating it");
    cmd->add_option("--threshold", cli->threshold,
                    "Flag at this probability instead of the model's threshold (0..1; 1 flags "
                    "only definitive signature anomalies)")
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--target-fpr", cli->target_fpr,
                    "Use the model's threshold chosen for the false-positive rate closest to this "
                    "(the plugins' default is 0.0015)")
        ->check(CLI::Range(1e-6, 1.0));
    cmd->add_option("--outcomes-csv", cli->outcomes_csv,
                    "Write each traffic transaction's fate and cause to this CSV file");
    cmd->add_option("--feature-log", cli->feature_log,
                    "Write every row validator 0's plugin scored, labelled with the traffic's "
                    "ground truth, to this file (for fraudctl train --features)");
    cmd->add_option("--txs", o.txs, "Transactions of the generated traffic")
        ->default_val(o.txs)
        ->check(cli::unsigned_in(0, kMaxTxs));
    cmd->add_option("--accounts", o.accounts, "Genesis accounts of the generated traffic")
        ->default_val(o.accounts)
        ->check(cli::unsigned_in(0, kMaxAccounts));
    cmd->add_option("--tx-interval-ms", o.tx_interval_ms,
                    "Mean time between honest transactions, on the chain's clock")
        ->default_val(o.tx_interval_ms)
        ->check(cli::unsigned_in(0, 86'400'000));
    cmd->add_option("--time-scale", o.time_scale,
                    "The chain's clock runs this many times faster than the network's")
        ->default_val(o.time_scale)
        ->check(cli::unsigned_in(1, 1'000'000));
    cmd->add_flag("--rebuild-plugin-stores", o.rebuild_plugin_stores,
                  "Move every validator's plugin store aside (fraud.replaced) and rebuild it "
                  "from the validator's chain; for a chain store that lost blocks (the start-up "
                  "check refuses it otherwise)");
    cmd->add_flag("--no-progress", cli->no_progress, "No progress bar on stderr");
    cmd->add_flag("--quiet", o.quiet, "No summary on stdout");
    cmd->callback([cli, &exit_code] { run_run(*cli, exit_code); });
}

}  // namespace mfd::chain::app
