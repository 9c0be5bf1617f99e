#pragma once
/// The chain_sim program as the integration tests start it, and JSON-RPC calls to it with curl.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"

namespace mfd::test {

/// A fresh directory, removed on destruction.
struct ScratchDir {
    ScratchDir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() /
               ("mfd-integration-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::filesystem::path path;
};

/// `chain_sim run` on a small traffic (40 accounts, seed 1) with `extra` options, committing
/// exactly --blocks blocks (no draining).
inline std::vector<std::string> run_args(const std::filesystem::path& data,
                                         std::vector<std::string> extra) {
    std::vector<std::string> args = {std::string(MFD_BINARY_DIR) + "/bin/chain_sim",
                                     "run",
                                     "--data-dir",
                                     data.string(),
                                     "--accounts",
                                     "40",
                                     "--txs",
                                     "800",
                                     "--seed",
                                     "1",
                                     "--no-progress",
                                     "--no-drain",
                                     "--model",
                                     std::string(MFD_SOURCE_DIR) + "/models/default.safetensors"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

/// "http://127.0.0.1:PORT" from the program's "rpc: listening on http://..." line.
inline std::string endpoint_of(const std::string& line) {
    const auto at = line.find("http://");
    return at == std::string::npos ? std::string() : line.substr(at);
}

/// One JSON-RPC call with curl; null when curl gets no JSON back.
inline nlohmann::json rpc_call(const std::string& endpoint, const std::string& method,
                               const nlohmann::json& params = nlohmann::json::array()) {
    const nlohmann::json body = {
        {"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
    const std::string out = run_capture("curl -s -m 10 -H 'Content-Type: application/json' " +
                                        endpoint + "/ --data '" + body.dump() + "'");
    return nlohmann::json::parse(out, nullptr, false);
}

}  // namespace mfd::test
