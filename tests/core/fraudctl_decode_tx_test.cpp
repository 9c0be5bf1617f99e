// Runs the real fraudctl binary as a child process and checks its JSON output and exit codes.
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/transaction.hpp"
#include "tests/support/shared_data.hpp"

extern char** environ;

namespace mfd::core {
namespace {

using nlohmann::json;

struct ProcessResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Reads both pipes to their end without letting either fill up.
void drain(int out_fd, int err_fd, ProcessResult& result) {
    pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open_fds = 2;
    char buf[4096];
    while (open_fds > 0 && poll(fds, 2, -1) > 0) {
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            const ssize_t n = read(fds[i].fd, buf, sizeof(buf));
            if (n > 0) {
                sinks[i]->append(buf, static_cast<std::size_t>(n));
            } else {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
}

ProcessResult run_fraudctl(const std::vector<std::string>& args) {
    const std::string binary = MFD_BINARY_DIR "/bin/fraudctl";
    std::vector<char*> argv{const_cast<char*>(binary.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    int out[2], err[2];
    ProcessResult result;
    if (pipe(out) != 0 || pipe(err) != 0) return result;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addclose(&actions, err[0]);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    close(err[1]);
    if (spawned != 0) {
        close(out[0]);
        close(err[0]);
        result.err = "cannot start " + binary;
        return result;
    }
    drain(out[0], err[0], result);
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

// The only line fraudctl printed on stdout, parsed.
json single_json(const ProcessResult& r) {
    EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "expected one line: " << r.out;
    return json::parse(r.out, nullptr, false);
}

const std::string kEip155 =
    "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a0"
    "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb70330"
    "4b3800ccf555c9f3dc64214b297fb1966a3b6d83";

TEST(FraudctlDecodeTx, ValidLegacyTransactionPrintsItsFields) {
    const auto r = run_fraudctl({"decode-tx", kEip155});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json j = single_json(r);
    ASSERT_TRUE(j.is_object()) << r.out;
    EXPECT_EQ(j["valid"], true);
    EXPECT_EQ(j["type"], 0);
    EXPECT_EQ(j["chainId"], 1);
    EXPECT_EQ(j["nonce"], 9);
    EXPECT_EQ(j["hash"], "0x33469b22e9f636356c4160a87eb19df52b7412e8eac32a4a55ffe88ea8350788");
    EXPECT_EQ(j["sender"], "0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f");
    EXPECT_EQ(j["to"], "0x3535353535353535353535353535353535353535");
    EXPECT_EQ(j["value"], "0xde0b6b3a7640000");
    EXPECT_EQ(j["gasLimit"], 21000);
    EXPECT_EQ(j["gasPrice"], "0x4a817c800");
    EXPECT_EQ(j["data"], "0x");
    EXPECT_EQ(j["accessList"], json::array());
    EXPECT_EQ(j["v"], "0x25");
    EXPECT_EQ(j["yParity"], "0x0");
    EXPECT_EQ(j["signingHash"],
              "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    EXPECT_EQ(j["intrinsicGas"], 21000);
}

TEST(FraudctlDecodeTx, TypedTransactionsAndChainIdOption) {
    const json doc = test::load_shared_json("vectors/eth_txs.json");
    ASSERT_FALSE(HasFailure());
    std::size_t seen = 0;
    for (const auto& c : doc["supplementary_cases"]) {
        if (c["kind"] != "type2" || !c.contains("valid_only_if_chain_id")) continue;
        ++seen;
        const auto raw = c["rlp"].get<std::string>();
        const auto chain = std::to_string(c["valid_only_if_chain_id"].get<int>());
        const auto ok = run_fraudctl({"decode-tx", raw, "--chain-id", chain});
        ASSERT_EQ(ok.exit_code, 0) << ok.err;
        const json j = single_json(ok);
        EXPECT_EQ(j["type"], 2);
        EXPECT_EQ(j["hash"], c["hash"]);
        EXPECT_EQ(j["sender"], c["sender"]);
        EXPECT_EQ(j["maxFeePerGas"],
                  U256(c["fields"]["maxFeePerGas"].get<std::uint64_t>()).to_hex());
        EXPECT_FALSE(j.contains("gasPrice"));
        const auto replay = run_fraudctl({"decode-tx", raw});  // default chain id 1
        EXPECT_EQ(replay.exit_code, 1);
        EXPECT_EQ(single_json(replay)["error"], "INVALID_CHAINID");
    }
    EXPECT_EQ(seen, 1u);
}

TEST(FraudctlDecodeTx, PreEip155LegacyHasNullChainIdAndCreateHasNullTo) {
    const Transaction create = *sign_transaction(
        [] {
            Transaction tx;
            tx.gas_limit = 100000;
            tx.data = {0x60, 0x00};
            return tx;
        }(),
        PrivateKey::derive(as_bytes("deployer")), std::nullopt);
    const auto r = run_fraudctl({"decode-tx", to_hex(encode_transaction(create))});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json j = single_json(r);
    EXPECT_TRUE(j["chainId"].is_null());
    EXPECT_TRUE(j["to"].is_null());
    EXPECT_EQ(j["intrinsicGas"], 21000 + 32000 + 4 + 16 + 2);
}

TEST(FraudctlDecodeTx, RejectedTransactionPrintsReasonAndExits1) {
    const auto r = run_fraudctl({"decode-tx", "0xc9808080808080808080"});
    EXPECT_EQ(r.exit_code, 1);
    const json j = single_json(r);
    ASSERT_TRUE(j.is_object()) << r.out;
    EXPECT_EQ(j["valid"], false);
    EXPECT_EQ(j["error"], "INVALID_SIGNATURE_VRS");
    EXPECT_FALSE(j["message"].get<std::string>().empty());
    const auto truncated = run_fraudctl({"decode-tx", kEip155.substr(0, 40)});
    EXPECT_EQ(truncated.exit_code, 1);
    EXPECT_EQ(single_json(truncated)["error"], "RLP_ERROR_SIZE");
}

TEST(FraudctlDecodeTx, BadHexAndBadUsageExit2WithAMessage) {
    const std::vector<std::vector<std::string>> bad = {
        {"decode-tx", "0xzz"},
        {"decode-tx", "0x123"},
        {"decode-tx"},
        {},
        {"decode-tx", kEip155, "--chain-id", "abc"},
        {"decode-tx", kEip155, "--chain-id", "-1"},
        {"decode-tx", kEip155, "--chain-id", "18446744073709551616"},
        {"no-such-command"},
    };
    for (const auto& args : bad) {
        const auto r = run_fraudctl(args);
        EXPECT_EQ(r.exit_code, 2) << (args.empty() ? "" : args.back());
        EXPECT_TRUE(r.out.empty()) << r.out;
        EXPECT_FALSE(r.err.empty());
    }
}

}  // namespace
}  // namespace mfd::core
