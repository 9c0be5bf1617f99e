// fraudctl: decode transactions (and, later, train, evaluate and benchmark the detector).
#include <iostream>

#include "tools/fraudctl/commands.hpp"
#ifdef MFD_FRAUDCTL_DETECTOR
#include "tools/fraudctl/detector_commands.hpp"
#endif

int main(int argc, char** argv) {
    CLI::App app{"fraudctl: tools for the mixture-of-experts fraud detector"};
    app.require_subcommand(1);
    mfd::tools::add_decode_tx_command(app);
#ifdef MFD_FRAUDCTL_DETECTOR
    mfd::tools::add_train_command(app);
    mfd::tools::add_eval_command(app);
    mfd::tools::add_eval_accounts_command(app);
    mfd::tools::add_calibrate_command(app);
    mfd::tools::add_bench_command(app);
#endif
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::RuntimeError& e) {  // a command's outcome (CLI11 derives it from
        return e.get_exit_code();           // ParseError, so it comes first)
    } catch (const CLI::ParseError& e) {
        std::cerr << "fraudctl: " << e.what() << "\n"
                  << "run 'fraudctl --help' for usage\n";
        return mfd::tools::kExitUsage;
    }
    return mfd::tools::kExitOk;
}
