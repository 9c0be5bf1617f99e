#pragma once
/// The subcommands of fraudctl. Each lives in its own file and registers itself on the app with
/// an add_*_command function that main.cpp calls. A command reports its outcome by returning
/// normally (exit 0) or throwing CLI::RuntimeError with one of the exit codes below.

#include <CLI/CLI.hpp>

namespace mfd::tools {

inline constexpr int kExitOk = 0;        ///< the command did what was asked
inline constexpr int kExitRejected = 1;  ///< the input was understood and found invalid
inline constexpr int kExitUsage = 2;     ///< bad usage or unreadable input (message on stderr)

/// `decode-tx <hex> [--chain-id N]`: decodes, validates and recovers a raw transaction and
/// prints one JSON object on stdout.
void add_decode_tx_command(CLI::App& app);

}  // namespace mfd::tools
