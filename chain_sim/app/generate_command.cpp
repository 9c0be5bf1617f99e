// `chain_sim generate`: writes a labelled stream of signed transactions (docs/workload.md).
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "chain_sim/app/commands.hpp"
#include "chain_sim/workload/generator.hpp"
#include "tools/cli/unsigned_option.hpp"

namespace mfd::chain::app {
namespace {

struct GenerateOptions {
    workload::GeneratorConfig config;
    std::string out;
    int gzip_level = 6;
};

void run_generate(const GenerateOptions& options, int& exit_code) {
    const auto start = std::chrono::steady_clock::now();
    auto summary = workload::generate_file(options.config, options.out, options.gzip_level);
    if (!summary) {
        std::fprintf(stderr, "chain_sim generate: %s\n", summary.error().to_string().c_str());
        exit_code = 2;
        return;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf(
        "wrote %llu transactions (%llu labelled fraud, %.4f; %llu to be rejected; %llu "
        "fresh addresses) to %s in %.2f s: %.0f signed tx/s\n",
        static_cast<unsigned long long>(summary->txs),
        static_cast<unsigned long long>(summary->fraud_txs),
        static_cast<double>(summary->fraud_txs) / static_cast<double>(summary->txs),
        static_cast<unsigned long long>(summary->rejected_txs),
        static_cast<unsigned long long>(summary->fresh_accounts), options.out.c_str(), seconds,
        static_cast<double>(summary->txs) / seconds);
    for (const auto& [typology, count] : summary->by_typology) {
        std::printf("  %-28s %llu\n", typology.c_str(), static_cast<unsigned long long>(count));
    }
}

}  // namespace

void add_generate_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand(
        "generate",
        "Write signed transactions valid on the chain, in order, with fraud typologies and "
        "ground truth per transaction, as a gzipped JSON-lines stream (docs/workload.md)");
    auto options = std::make_shared<GenerateOptions>();
    auto& c = options->config;
    cmd->add_option("--seed", c.seed, "Seed: the same seed gives byte-identical output")
        ->default_val(1)
        ->check(cli::unsigned_in());
    cmd->add_option("--accounts", c.params.accounts, "Genesis accounts (40..10^7)")
        ->default_val(1000)
        ->check(cli::unsigned_in());
    cmd->add_option("--txs", c.params.txs, "Transactions to write")
        ->default_val(10000)
        ->check(cli::unsigned_in(0, 1'000'000'000));
    cmd->add_option("--fraud-rate", c.params.fraud_rate,
                    "Target fraction of transactions labelled fraud (0..0.5)")
        ->default_val(0.05);
    cmd->add_option("--chain-id", c.chain.chain_id, "Chain id (EIP-155)")
        ->default_val(1337)
        ->check(cli::unsigned_in(1));
    cmd->add_option("--tx-interval-ms", c.params.tx_interval_ms,
                    "Mean time between honest transactions")
        ->default_val(100)
        ->check(cli::unsigned_in(0, 86'400'000));
    cmd->add_option("--gzip-level", options->gzip_level, "1 (fast) .. 9 (small)")->default_val(6);
    cmd->add_option("--out", options->out, "Output file (gzip)")->required();
    cmd->callback([options, &exit_code] { run_generate(*options, exit_code); });
}

}  // namespace mfd::chain::app
