// ethers.js (tests/js) against the running program: a real wallet library reads the chain,
// signs and sends a transaction with the dev key, waits for its receipt and calls an ERC20.
// Needs `npm ci` in tests/js: skipped with a message without it, failed when CI=true.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>

#include "tests/integration/sim_process.hpp"

namespace mfd::test {
namespace {

using namespace std::chrono_literals;

bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && std::string(ci) == "true";
}

TEST(EthersJs, AWalletSendsATransactionAndReadsAnErc20) {
    const auto js = std::filesystem::path(MFD_SOURCE_DIR) / "tests/js";
    const bool ready = std::filesystem::exists(js / "node_modules/ethers/package.json") &&
                       !run_capture("command -v node").empty();
    if (!ready) {
        const char* why = "ethers.js is not installed: run `npm ci` in tests/js (needs node)";
        if (in_ci()) FAIL() << why;
        GTEST_SKIP() << why;
    }
    ScratchDir dir;
    ChildProcess sim(run_args(dir.path, {"--blocks", "8", "--rpc", "127.0.0.1:0", "--serve"}));
    const auto key_line = sim.wait_for("dev account:", 30s);
    ASSERT_TRUE(key_line) << sim.output();
    const auto key_at = key_line->find(" key ");
    ASSERT_NE(key_at, std::string::npos);
    const std::string key = key_line->substr(key_at + 5, 66);
    const auto line = sim.wait_for("rpc: listening on http://", 30s);
    ASSERT_TRUE(line) << sim.output();
    ASSERT_TRUE(sim.wait_for("serving on", 60s)) << sim.output();

    ChildProcess node(
        {run_capture("command -v node").substr(0, run_capture("command -v node").find('\n')),
         (js / "ethers_test.mjs").string(), endpoint_of(*line), key});
    const auto status = node.wait(60s);
    ASSERT_TRUE(status) << node.output();
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << node.output();
    EXPECT_NE(node.output().find("\"chainId\":\"1337\""), std::string::npos) << node.output();
    sim.signal(SIGTERM);
    EXPECT_TRUE(sim.wait(20s));
}

}  // namespace
}  // namespace mfd::test
