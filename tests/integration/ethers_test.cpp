// ethers.js (tests/js) against the running program: a real wallet library reads the chain,
// signs and sends a transaction with the dev key, waits for its receipt and calls an ERC20.
// Needs `npm ci` in tests/js: skipped with a message without it, failed when CI=true.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

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

// The default run's chain (its traffic and the shipped model), then ordinary transfers from
// ethers, viem and web3 at their default fees, legacy and EIP-1559, from an old and a fresh
// account: each is mined and none is flagged (tests/js/wallets_test.mjs).
TEST(WalletLibraries, DefaultFeeTransfersOfThreeLibrariesAreMinedUnflagged) {
    const auto js = std::filesystem::path(MFD_SOURCE_DIR) / "tests/js";
    const bool ready = std::filesystem::exists(js / "node_modules/viem/package.json") &&
                       std::filesystem::exists(js / "node_modules/web3/package.json") &&
                       !run_capture("command -v node").empty();
    if (!ready) {
        const char* why = "viem and web3 are not installed: run `npm ci` in tests/js (needs node)";
        if (in_ci()) FAIL() << why;
        GTEST_SKIP() << why;
    }
    ScratchDir dir;
    ChildProcess sim({std::string(MFD_BINARY_DIR) + "/bin/chain_sim", "run", "--data-dir",
                      dir.path.string(), "--no-progress", "--rpc", "127.0.0.1:0", "--serve",
                      "--model", std::string(MFD_SOURCE_DIR) + "/models/default.safetensors"});
    const auto key_line = sim.wait_for("dev account:", 60s);
    ASSERT_TRUE(key_line) << sim.output();
    const std::string key = key_line->substr(key_line->find(" key ") + 5, 66);
    const auto line = sim.wait_for("rpc: listening on http://", 30s);
    ASSERT_TRUE(line) << sim.output();
    ASSERT_TRUE(sim.wait_for("serving on", 300s)) << sim.output();
    // The default run drains its traffic and says why anything was kept out.
    std::ifstream in(dir.path / "report.json");
    const auto report = nlohmann::json::parse(in, nullptr, false);
    ASSERT_TRUE(report.is_object());
    const auto& d = report["detection"];
    EXPECT_LE(d["pending_at_end_share_of_sent"].get<double>(), 0.01) << d.dump();
    EXPECT_EQ(d["honest_valid"]["kept_out_by_cause"]["timing"], 0) << d.dump();
    EXPECT_GT(d["honest_valid"]["sent"].get<int>(), 15'000);

    const std::string node_bin = run_capture("command -v node");
    ChildProcess node({node_bin.substr(0, node_bin.find('\n')), (js / "wallets_test.mjs").string(),
                       endpoint_of(*line), key});
    const auto status = node.wait(240s);
    ASSERT_TRUE(status) << node.output();
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << node.output();
    EXPECT_NE(node.output().find("{\"passed\":9}"), std::string::npos) << node.output();
    std::cout << node.output();
    sim.signal(SIGTERM);
    EXPECT_TRUE(sim.wait(30s));
}

}  // namespace
}  // namespace mfd::test
