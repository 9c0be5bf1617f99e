// The real chain_sim program: JSON-RPC over real HTTP while it runs, the report, SIGKILL and
// resume, and clear failures on bad options.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "tests/integration/sim_process.hpp"

namespace mfd::test {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

std::uint64_t block_number(const std::string& endpoint) {
    const Json r = rpc_call(endpoint, "eth_blockNumber");
    return r.contains("result") ? std::stoull(r["result"].get<std::string>(), nullptr, 16) : 0;
}

bool wait_for_height(const std::string& endpoint, std::uint64_t height) {
    const auto deadline = std::chrono::steady_clock::now() + 40s;
    while (std::chrono::steady_clock::now() < deadline) {
        if (block_number(endpoint) >= height) return true;
        std::this_thread::sleep_for(100ms);
    }
    return false;
}

Json read_json(const std::filesystem::path& path) {
    std::ifstream in(path);
    return Json::parse(in, nullptr, false);
}

/// Runs `blocks` blocks in `data` without RPC and expects success.
void run_blocks_ok(const std::filesystem::path& data, const std::string& blocks,
                   std::chrono::seconds limit = 60s) {
    ChildProcess sim(run_args(data, {"--blocks", blocks, "--rpc", "off"}));
    const auto status = sim.wait(limit);
    ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << sim.output();
}

TEST(ChainSimProcess, ServesJsonRpcWhileRunningAndWritesTheReport) {
    ScratchDir dir;
    const auto report = dir.path / "report.json";
    ChildProcess sim(run_args(dir.path / "data", {"--blocks", "12", "--rpc", "127.0.0.1:0",
                                                  "--serve", "--report", report.string()}));
    ASSERT_TRUE(sim.running());
    const auto line = sim.wait_for("rpc: listening on http://", 30s);
    ASSERT_TRUE(line) << sim.output();
    const std::string url = endpoint_of(*line);

    EXPECT_EQ(rpc_call(url, "eth_chainId")["result"], "0x539");
    ASSERT_TRUE(wait_for_height(url, 3)) << sim.output();
    const Json block = rpc_call(url, "eth_getBlockByNumber", {"latest", false})["result"];
    ASSERT_TRUE(block.is_object());
    EXPECT_EQ(block["hash"].get<std::string>().size(), 66U);
    EXPECT_EQ(rpc_call(url, "chain_getValidators")["result"]["validators"].size(), 4U);
    EXPECT_TRUE(rpc_call(url, "fraud_getModelInfo")["result"].contains("version"));
    const Json refused = rpc_call(url, "eth_sendRawTransaction", {"0x00"});
    EXPECT_EQ(refused["error"]["code"], -32003) << refused;
    const std::string metrics = run_capture("curl -s -m 10 " + url + "/metrics");
    EXPECT_NE(metrics.find("chain_consensus_height"), std::string::npos);
    EXPECT_NE(metrics.find("fraud_consensus_height"), std::string::npos);

    ASSERT_TRUE(sim.wait_for("serving on", 60s)) << sim.output();
    const Json r = read_json(report);
    ASSERT_TRUE(r.is_object());
    EXPECT_EQ(r["blocks_committed"], 12);
    EXPECT_GT(r["txs_committed"].get<int>(), 0);
    EXPECT_TRUE(r["detection"]["fraud"].contains("kept_out"));
    EXPECT_TRUE(r["finality_ms"].contains("p99"));
    EXPECT_GE(block_number(url), 12U);  // --serve: still answering after the last block

    sim.signal(SIGTERM);
    const auto status = sim.wait(20s);
    ASSERT_TRUE(status);
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << sim.output();
}

TEST(ChainSimProcess, ResumesAfterSigkill) {
    ScratchDir dir;
    std::uint64_t killed_at = 0;
    {
        ChildProcess sim(run_args(dir.path, {"--blocks", "1000", "--rpc", "127.0.0.1:0"}));
        const auto line = sim.wait_for("rpc: listening on http://", 30s);
        ASSERT_TRUE(line) << sim.output();
        ASSERT_TRUE(wait_for_height(endpoint_of(*line), 5)) << sim.output();
        sim.signal(SIGKILL);
        const auto status = sim.wait(10s);
        ASSERT_TRUE(status && WIFSIGNALED(*status));
        killed_at = 5;
    }
    ChildProcess again(run_args(dir.path, {"--blocks", "4", "--rpc", "off"}));
    const auto status = again.wait(60s);
    ASSERT_TRUE(status) << again.output();
    ASSERT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << again.output();
    const Json r = read_json(dir.path / "report.json");
    ASSERT_TRUE(r.is_object());
    const auto start = r["chain"]["start_height"].get<std::uint64_t>();
    EXPECT_GE(start, killed_at);
    EXPECT_EQ(r["chain"]["end_height"].get<std::uint64_t>(), start + 4);
    EXPECT_TRUE(r["chain"]["resumed"].get<bool>());
    EXPECT_GT(r["traffic"]["executed_earlier"].get<int>(), 0);
}

TEST(ChainSimProcess, RebuildsAPluginStoreThatNoLongerOpens) {
    ScratchDir dir;
    ASSERT_NO_FATAL_FAILURE(run_blocks_ok(dir.path, "3"));
    std::ofstream(dir.path / "validator-1/fraud/CURRENT") << "garbage\n";
    ChildProcess again(run_args(dir.path, {"--blocks", "2", "--rpc", "off"}));
    const auto status = again.wait(60s);
    ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << again.output();
    EXPECT_NE(again.output().find("validator 1: its plugin store did not open"), std::string::npos)
        << again.output();
    EXPECT_TRUE(std::filesystem::exists(dir.path / "validator-1/fraud.unreadable"));
    const Json r = read_json(dir.path / "report.json");
    EXPECT_EQ(r["chain"]["end_height"].get<std::uint64_t>(),
              r["chain"]["start_height"].get<std::uint64_t>() + 2);
}

TEST(ChainSimProcess, RefusesBadOptionsClearly) {
    ScratchDir dir;
    ChildProcess sim(run_args(dir.path, {"--byzantine", "7:silent", "--rpc", "off"}));
    const auto status = sim.wait(30s);
    ASSERT_TRUE(status);
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 2);
    EXPECT_NE(sim.output().find("validator 7 does not exist"), std::string::npos) << sim.output();
}

// Issue 11: negative and overflowing numbers were read as 2^64 - 1, an index past 2^64 as
// validator 0, two silent validators of four spun forever, and an empty --data-dir wrote into
// the working directory. Each is refused before anything runs.
TEST(ChainSimProcess, RefusesBadNumbersNoQuorumAndAnEmptyDataDir) {
    ScratchDir dir;
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--blocks", "-1"}, "--blocks"},
        {{"--blocks", "99999999999999999999"}, "out of range"},
        {{"--seed", "-1"}, "--seed"},
        {{"--seed", "18446744073709551616"}, "out of range"},
        {{"--validators", "0"}, "--validators"},
        {{"--txs", "1e3"}, "--txs"},
        {{"--byzantine", "18446744073709551616:silent"}, "18446744073709551616:silent"},
        {{"--byzantine", "0:silent,1:silent"}, "no block could ever commit"},
        {{"--data-dir", ""}, "--data-dir must not be empty"},
    };
    for (const auto& [extra, expected] : cases) {
        auto args = run_args(dir.path / "data", {"--rpc", "off"});
        const auto given = std::find(args.begin(), args.end(), extra[0]);
        if (given != args.end()) {
            given[1] = extra[1];  // an option run_args sets already: replace its value
        } else {
            args.insert(args.end(), extra.begin(), extra.end());
        }
        ChildProcess sim(args);
        const auto status = sim.wait(30s);
        ASSERT_TRUE(status) << extra[0] << " " << extra[1];
        EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 2)
            << extra[0] << " " << extra[1] << ": " << sim.output();
        EXPECT_NE(sim.output().find(expected), std::string::npos)
            << extra[0] << " " << extra[1] << ": " << sim.output();
        EXPECT_FALSE(std::filesystem::exists(dir.path / "data" / "report.json"));
    }
}

TEST(ChainSimProcess, AnInterruptedRunExitsNonZeroWithItsReport) {
    ScratchDir dir;
    ChildProcess sim(run_args(dir.path, {"--blocks", "100000", "--rpc", "127.0.0.1:0"}));
    const auto line = sim.wait_for("rpc: listening on http://", 30s);
    ASSERT_TRUE(line) << sim.output();
    ASSERT_TRUE(wait_for_height(endpoint_of(*line), 2)) << sim.output();
    sim.signal(SIGINT);
    const auto status = sim.wait(60s);
    ASSERT_TRUE(status);
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 130) << sim.output();
    EXPECT_NE(sim.output().find("interrupted at height"), std::string::npos) << sim.output();
    const Json r = read_json(dir.path / "report.json");
    ASSERT_TRUE(r.is_object());
    EXPECT_EQ(r["interrupted"], true);
    EXPECT_LT(r["chain"]["end_height"].get<std::uint64_t>(), 100000U);
}

/// Halves the largest write-ahead log of every validator's chain store (issue 11's reproduction).
void halve_chain_logs(const std::filesystem::path& data, std::size_t validators) {
    for (std::size_t i = 0; i < validators; ++i) {
        std::filesystem::path largest;
        std::uintmax_t size = 0;
        for (const auto& e : std::filesystem::directory_iterator(
                 data / ("validator-" + std::to_string(i)) / "chain")) {
            if (e.path().extension() == ".log" && e.file_size() > size) {
                size = e.file_size();
                largest = e.path();
            }
        }
        ASSERT_FALSE(largest.empty()) << "validator " << i << " has no write-ahead log";
        std::filesystem::resize_file(largest, size / 2);
    }
}

// Issue 11: a truncated write-ahead log rolled 187 committed blocks back without a word. Now the
// restart is refused naming the damage, and --rebuild-plugin-stores goes on from what is left.
TEST(ChainSimProcess, AChainStoreThatLostBlocksIsRefusedThenRebuiltOnRequest) {
    ScratchDir dir;
    ASSERT_NO_FATAL_FAILURE(run_blocks_ok(dir.path, "30", 120s));
    ASSERT_NO_FATAL_FAILURE(halve_chain_logs(dir.path, 4));
    {
        ChildProcess again(run_args(dir.path, {"--blocks", "1", "--rpc", "off"}));
        const auto status = again.wait(60s);
        ASSERT_TRUE(status && WIFEXITED(*status)) << again.output();
        EXPECT_EQ(WEXITSTATUS(*status), 2) << again.output();
        EXPECT_NE(again.output().find("committed blocks are missing from the chain store"),
                  std::string::npos)
            << again.output();
    }
    ChildProcess rebuilt(
        run_args(dir.path, {"--blocks", "1", "--rpc", "off", "--rebuild-plugin-stores"}));
    const auto status = rebuilt.wait(120s);
    ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << rebuilt.output();
    EXPECT_NE(rebuilt.output().find("rebuilding it from the chain"), std::string::npos)
        << rebuilt.output();
    const Json r = read_json(dir.path / "report.json");
    EXPECT_LT(r["chain"]["start_height"].get<std::uint64_t>(), 30U);
    EXPECT_TRUE(std::filesystem::exists(dir.path / "validator-0/fraud.replaced"));
}

TEST(ChainSimProcess, AMissingValidatorDirectoryIsReported) {
    ScratchDir dir;
    ASSERT_NO_FATAL_FAILURE(run_blocks_ok(dir.path, "2"));
    std::filesystem::remove_all(dir.path / "validator-1");
    ChildProcess again(run_args(dir.path, {"--blocks", "2", "--rpc", "off"}));
    const auto status = again.wait(60s);
    ASSERT_TRUE(status && WIFEXITED(*status)) << again.output();
    EXPECT_EQ(WEXITSTATUS(*status), 2) << again.output();
    EXPECT_NE(again.output().find("validator-1/chain"), std::string::npos) << again.output();
    EXPECT_FALSE(std::filesystem::exists(dir.path / "validator-1"));
}

TEST(ChainSimProcess, RefusesToMixRunsInOneDataDirectory) {
    ScratchDir dir;
    ASSERT_NO_FATAL_FAILURE(run_blocks_ok(dir.path, "2"));
    auto args = run_args(dir.path, {"--blocks", "2", "--rpc", "off"});
    args[std::find(args.begin(), args.end(), "--seed") - args.begin() + 1] = "2";
    ChildProcess second(args);
    const auto status = second.wait(60s);
    ASSERT_TRUE(status && WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 2);
    EXPECT_NE(second.output().find("holds a run with seed"), std::string::npos) << second.output();
}

}  // namespace
}  // namespace mfd::test
