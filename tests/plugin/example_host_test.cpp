// The example host (build/bin/fraud_check_tx) as a real process: it loads the plugin through the
// loader and streams a file of raw transactions through check_tx.
#include <gtest/gtest.h>

#include <stdio.h>
#include <sys/wait.h>

#include <fstream>

#include "tests/plugin/plugin_fixture.hpp"

namespace mfd::plugin::test {
namespace {

struct ProcessRun {
    int status = -1;
    std::string output;
};

/// Runs `command` through the shell and collects its standard output and error.
ProcessRun run(const std::string& command) {
    ProcessRun r;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) return r;
    char buffer[4096];
    while (std::fgets(buffer, sizeof(buffer), pipe) != nullptr) r.output += buffer;
    const int status = ::pclose(pipe);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string hex(const core::Bytes& b) {
    return "0x" + core::to_hex(b, false);
}

TEST(ExampleHost, StreamsAFileThroughCheckTxAndSummarises) {
    TempDir dir;
    const auto input = dir.path() / "txs.hex";
    {
        std::ofstream out(input);
        out << "# two honest, one unprotected, one garbage, one not hex\n"
            << hex(transfer("alice", 0, true)) << "\n\n"
            << hex(transfer("alice", 1, true)) << "\n"
            << hex(transfer("mallory", 0, false)) << "\n"
            << "0xc3\n"
            << "0xnothex\n";
    }
    const std::string command = std::string(MFD_BINARY_DIR "/bin/fraud_check_tx") + " --input " +
                                input.string() + " --data-dir " + (dir.path() / "db").string() +
                                " --model " + tiny_model().string() +
                                " --chain-id 1337 --threshold 0.5" + " --block-size 2 --verbose";
    const ProcessRun r =
        run("MFD_FRAUD_PLUGIN=" MFD_BINARY_DIR "/lib/libfraud_plugin.so " + command);
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("loaded moe-fraud 0.1.0"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("transactions 5\n"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("accepted     3\n"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("flagged      1\n"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("  BAD_HEX 1\n"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("blocks       1\n"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("latency_us   p50 "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(" ACCEPT - score "), std::string::npos) << r.output;
}

TEST(ExampleHost, ReportsAMissingPluginClearly) {
    TempDir dir;
    const auto input = dir.path() / "txs.hex";
    std::ofstream(input) << hex(transfer("alice", 0, true)) << "\n";
    const ProcessRun r = run("MFD_FRAUD_PLUGIN=" + (dir.path() / "nope.so").string() + " " +
                             MFD_BINARY_DIR "/bin/fraud_check_tx --input " + input.string() +
                             " --data-dir " + (dir.path() / "db").string());
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.output.find("nope.so"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace mfd::plugin::test
