// fraud_check_tx: loads the fraud plugin through the loader, as a node does, and streams raw
// transactions from a file through check_tx; prints each verdict (--verbose) and a summary.
//
//   fraud_check_tx --input txs.hex --data-dir /tmp/fraud --model models/default.safetensors
//   fraud_check_tx --input stream.jsonl.gz --config plugin.json --block-size 100 --verbose
#include <CLI/CLI.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "plugin/examples/run_summary.hpp"
#include "plugin/examples/tx_source.hpp"
#include "plugin/loader/plugin_instance.hpp"
#include "plugin/loader/plugin_path.hpp"

namespace {

using namespace mfd;
using Clock = std::chrono::steady_clock;

struct Options {
    std::string input;
    std::string plugin;
    std::string config_file;
    std::string data_dir;
    std::string model;
    std::uint64_t chain_id = 0;
    double threshold = -1;
    std::string policy;
    std::uint64_t budget_us = 0;
    std::size_t block_size = 0;
    bool verbose = false;
};

/// The config JSON: the file's text, or one built from the flags.
core::Result<std::string> config_text(const Options& o, std::optional<std::uint64_t> chain_id) {
    if (!o.config_file.empty()) {
        std::ifstream in(o.config_file);
        if (!in) return core::fail(core::Errc::kNotFound, "cannot read " + o.config_file);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
    if (o.data_dir.empty()) {
        return core::fail(core::Errc::kInvalidArgument, "give --config or --data-dir");
    }
    nlohmann::json c = {{"data_dir", o.data_dir}};
    if (!o.model.empty()) c["model"] = o.model;
    if (o.chain_id != 0 || chain_id) c["chain_id"] = o.chain_id != 0 ? o.chain_id : *chain_id;
    if (o.threshold >= 0) c["threshold"] = o.threshold;
    if (!o.policy.empty()) c["failure_policy"] = o.policy;
    if (o.budget_us != 0) c["budgets_us"] = {{"check_tx", o.budget_us}};
    return c.dump();
}

void print_verdict(const plugin::example::TxInput& in, const plugin::CheckResult& r) {
    std::cout << in.line << " " << (r.verdict == plugin::Verdict::kAccept ? "ACCEPT" : "REJECT")
              << " " << (r.reason.empty() ? "-" : r.reason) << " score " << r.score.probability
              << (r.score.flagged ? " flagged" : "") << (r.score.degraded ? " degraded" : "") << " "
              << r.score.tx_hash.hex() << "\n";
}

/// Streams every input through check_tx; finalises a block of accepted ones every block_size.
int stream(plugin::PluginInstance& instance, plugin::example::TxSource& source, const Options& o) {
    plugin::example::RunSummary summary;
    std::vector<core::Bytes> pending;
    std::uint64_t height = 0;
    const auto start = Clock::now();
    for (;;) {
        auto next = source.next();
        if (!next) {
            std::cerr << "input: " << next.error().to_string() << "\n";
            return 1;
        }
        if (!*next) break;
        const auto& in = **next;
        if (!in.error.empty()) {
            summary.add_unreadable("BAD_HEX");
            if (o.verbose) std::cout << in.line << " REJECT BAD_HEX " << in.error << "\n";
            continue;
        }
        const auto t0 = Clock::now();
        auto r = instance.check_tx(in.raw);
        const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
        if (!r) {
            std::cerr << "check_tx: " << r.error().to_string() << "\n";
            return 2;
        }
        summary.add(*r, us);
        if (o.verbose) print_verdict(in, *r);
        if (o.block_size == 0 || r->verdict != plugin::Verdict::kAccept) continue;
        pending.push_back(in.raw);
        if (pending.size() < o.block_size) continue;
        plugin::BlockInput block{++height, {}, in.time_ms, {}, {}};
        for (const auto& raw : pending) block.executed.emplace_back(raw);
        if (auto f = instance.finalize_block(block); !f) {
            std::cerr << "finalize_block: " << f.error().to_string() << "\n";
            return 2;
        }
        summary.add_block();
        pending.clear();
    }
    summary.print(std::cout, std::chrono::duration<double>(Clock::now() - start).count());
    return 0;
}

int run(const Options& o) {
    auto source = plugin::example::TxSource::open(o.input);
    if (!source) {
        std::cerr << "input: " << source.error().to_string() << "\n";
        return 1;
    }
    auto path =
        o.plugin.empty() ? plugin::locate_plugin() : core::Result<std::filesystem::path>(o.plugin);
    auto library =
        path ? plugin::PluginLibrary::open(*path)
             : core::Result<std::shared_ptr<const plugin::PluginLibrary>>(core::fail(path.error()));
    if (!library) {
        std::cerr << "plugin: " << library.error().to_string() << "\n";
        return 1;
    }
    auto config = config_text(o, source->chain_id());
    if (!config) {
        std::cerr << "config: " << config.error().to_string() << "\n";
        return 1;
    }
    auto instance = plugin::PluginInstance::create(*library, *config);
    if (!instance) {
        std::cerr << instance.error().to_string() << "\n";
        return 1;
    }
    std::cerr << "loaded " << (*library)->name() << " " << (*library)->version() << " from "
              << (*library)->path().string() << "\n";
    return stream(**instance, *source, o);
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    CLI::App app{"fraud_check_tx: streams raw transactions through the fraud plugin's check_tx"};
    app.add_option("--input", o.input, "hex lines (0x..., one per line) or a .jsonl.gz stream")
        ->required();
    app.add_option("--plugin", o.plugin,
                   "libfraud_plugin.so (default: $MFD_FRAUD_PLUGIN, "
                   "then ../lib beside this program)");
    app.add_option("--config", o.config_file, "the plugin's JSON config (docs/plugin.md)");
    app.add_option("--data-dir", o.data_dir, "without --config: the plugin's data directory");
    app.add_option("--model", o.model, "without --config: the model file");
    app.add_option("--chain-id", o.chain_id,
                   "without --config: the chain id (a stream's own "
                   "by default)");
    app.add_option("--threshold", o.threshold, "without --config: the decision threshold");
    app.add_option("--policy", o.policy, "without --config: fail-open or fail-closed");
    app.add_option("--budget-us", o.budget_us, "without --config: the check_tx budget");
    app.add_option("--block-size", o.block_size,
                   "finalise a block of the accepted transactions every N (0: never)");
    app.add_flag("--verbose", o.verbose, "print every verdict");
    CLI11_PARSE(app, argc, argv);
    return run(o);
}
