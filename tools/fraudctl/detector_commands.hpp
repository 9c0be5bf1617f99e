#pragma once
/// The fraudctl subcommands of the fraud detector (built only with LibTorch): train, eval,
/// eval-accounts and bench. Each registers itself on the app like commands.hpp's commands and
/// reports failure by throwing CLI::RuntimeError with an exit code of commands.hpp.

#include <CLI/CLI.hpp>

namespace mfd::tools {

/// `train --data … [--etherscan-txs … --etherscan-labels …] --out FILE --seed S`: trains the
/// mixture of experts (and with --dense-out its dense baseline), printing progress.
void add_train_command(CLI::App& app);

/// `eval --data … --model FILE [--dense FILE] [--xgb-train …] [--json OUT]`: detection figures
/// on labelled simulator traffic beside the baselines.
void add_eval_command(CLI::App& app);

/// `eval-accounts --txs … --labels … --model FILE --json OUT [--train-txs … --train-labels …]`:
/// per-account risk on Etherscan data beside an XGBoost baseline.
void add_eval_accounts_command(CLI::App& app);

/// `calibrate --model FILE --features LOG... --out FILE`: the thresholds chosen anew on
/// served rows, the weights unchanged.
void add_calibrate_command(CLI::App& app);

/// `bench [--model FILE]`: throughput and latency of the detector on this machine.
void add_bench_command(CLI::App& app);

}  // namespace mfd::tools
