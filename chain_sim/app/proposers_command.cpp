#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include "chain_sim/app/commands.hpp"
#include "consensus/proposer_sequence.hpp"
#include "tools/cli/unsigned_option.hpp"

namespace mfd::chain::app {

void add_proposers_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand(
        "proposers",
        "Print CometBFT's weighted round-robin proposer sequence, one name per line (a "
        "validator's address is the bytes of its name)");
    auto powers = std::make_shared<std::string>();
    auto rounds = std::make_shared<std::size_t>(10);
    cmd->add_option("--powers", *powers, "Validators as NAME:POWER,NAME:POWER,...")->required();
    cmd->add_option("--rounds", *rounds, "How many proposers to print")
        ->default_val(10)
        ->check(cli::unsigned_in(0, 1'000'000'000));
    cmd->callback([powers, rounds, &exit_code] {
        auto validators = consensus::parse_powers(*powers);
        if (!validators) {
            std::fprintf(stderr, "chain_sim proposers: %s\n",
                         validators.error().to_string().c_str());
            exit_code = 2;
            return;
        }
        auto names = consensus::proposer_sequence(*validators, *rounds);
        if (!names) {
            std::fprintf(stderr, "chain_sim proposers: %s\n", names.error().to_string().c_str());
            exit_code = 2;
            return;
        }
        std::string out;
        for (const auto& name : *names) {
            out += name;
            out += '\n';
        }
        std::fwrite(out.data(), 1, out.size(), stdout);
    });
}

}  // namespace mfd::chain::app
