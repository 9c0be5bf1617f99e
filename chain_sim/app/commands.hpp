#pragma once
/// The subcommands of the `chain_sim` program. Each `add_*` registers one subcommand on `app`;
/// when it runs it stores the process exit status in `exit_code`.

namespace CLI {
class App;
}

namespace mfd::chain::app {

/// `chain_sim proposers --powers NAME:POWER,... --rounds N`: CometBFT's proposer sequence.
void add_proposers_command(CLI::App& app, int& exit_code);
void add_generate_command(CLI::App& app, int& exit_code);  ///< `generate`: a labelled stream
/// `run`: the multi-validator simulation with fraud detection (docs/simulator.md).
void add_run_command(CLI::App& app, int& exit_code);

}  // namespace mfd::chain::app
