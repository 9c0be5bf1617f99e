// chain_sim: the chain simulator's command-line program.
#include <malloc.h>

#include <CLI/CLI.hpp>

#include "chain_sim/app/commands.hpp"

int main(int argc, char** argv) {
    // glibc gives each thread that allocates (RPC workers included) an arena of its own, and
    // freed memory stays in them: after four concurrent 16 MiB answers the process kept
    // 120-170 MiB more than a run without them. Two arenas keep it at the unloaded run's size
    // (docs/reliability.md); the simulation is mostly one thread, so they are not contended.
    ::mallopt(M_ARENA_MAX, 2);
    CLI::App app{"chain_sim: a proof-of-stake chain whose validators score transactions for fraud"};
    app.require_subcommand(1);
    int exit_code = 0;
    mfd::chain::app::add_proposers_command(app, exit_code);
    mfd::chain::app::add_generate_command(app, exit_code);
    mfd::chain::app::add_run_command(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help prints and exits 0; every other parse error is a bad option: exit status 2, as
        // for the errors the commands report themselves (docs/simulator.md).
        return app.exit(e) == 0 ? 0 : 2;
    }
    return exit_code;
}
