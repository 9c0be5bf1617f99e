// Storage fault injection against the real chain_sim program (issue 11), in the spirit of
// RocksDB's db_stress crash tests: damage a stopped run's stores, or kill the program at random
// points, and start it again. The one outcome never allowed is an earlier height without a word:
// a restart either goes on from the same committed state or refuses, naming the damage.
// Each test prints its table of outcomes (docs/reliability.md).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <thread>

#include "tests/integration/sim_process.hpp"

namespace mfd::test {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;
namespace fs = std::filesystem;

constexpr std::size_t kValidators = 4;

Json read_json(const fs::path& path) {
    std::ifstream in(path);
    return Json::parse(in, nullptr, false);
}

std::string exit_text(const std::optional<int>& status) {
    if (!status) return "still running after the time limit";
    if (WIFSIGNALED(*status)) return "killed by signal " + std::to_string(WTERMSIG(*status));
    return "exit " + std::to_string(WEXITSTATUS(*status));
}

/// What a refusal said: the simulator's last error line, else the first line reading as one.
std::string error_line(const std::string& output) {
    if (const auto last = output.rfind("chain_sim run: "); last != std::string::npos) {
        return output.substr(last, std::min(output.find('\n', last), output.size()) - last)
            .substr(0, 220);
    }
    std::size_t at = 0;
    while (at < output.size()) {
        const auto end = std::min(output.find('\n', at), output.size());
        const std::string line = output.substr(at, end - at);
        if (line.find("error") != std::string::npos || line.find("refus") != std::string::npos) {
            return line.substr(0, 220);
        }
        at = end + 1;
    }
    return output.substr(0, 220);
}

fs::path store(const fs::path& data, std::size_t validator, const std::string& name) {
    return data / ("validator-" + std::to_string(validator)) / name;
}

std::vector<fs::path> files_with(const fs::path& dir, const std::string& extension) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.is_regular_file() && e.path().extension() == extension) out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

fs::path largest(const std::vector<fs::path>& files) {
    fs::path best;
    std::uintmax_t size = 0;
    for (const auto& f : files) {
        if (fs::file_size(f) >= size) {
            size = fs::file_size(f);
            best = f;
        }
    }
    return best;
}

void flip_bytes(const fs::path& file, std::uintmax_t at, std::size_t count) {
    std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
    for (std::size_t i = 0; i < count; ++i) {
        io.seekg(static_cast<std::streamoff>(at + i));
        const int c = io.get();
        io.seekp(static_cast<std::streamoff>(at + i));
        io.put(static_cast<char>(c ^ 0xA5));
    }
}

/// One damage: what it does to a stopped run's directory; false when it found nothing to damage.
struct Fault {
    std::string name;
    std::function<bool(const fs::path& data)> apply;
};

bool each_chain_store(const fs::path& data,
                      const std::function<bool(const fs::path& chain)>& damage) {
    bool any = false;
    for (std::size_t i = 0; i < kValidators; ++i) any = damage(store(data, i, "chain")) || any;
    return any;
}

/// Cuts the largest `extension` file of `dir` to half; false when there is none to cut.
bool truncate_largest(const fs::path& dir, const std::string& extension) {
    const auto file = largest(files_with(dir, extension));
    if (file.empty() || fs::file_size(file) < 2) return false;
    fs::resize_file(file, fs::file_size(file) / 2);
    return true;
}

/// Flips 16 bytes of the largest `extension` file of `dir`, 1/`part` of the way in.
bool flip_in_largest(const fs::path& dir, const std::string& extension, std::uintmax_t part) {
    const auto file = largest(files_with(dir, extension));
    if (file.empty() || fs::file_size(file) < 64) return false;
    flip_bytes(file, fs::file_size(file) / part, 16);
    return true;
}

std::vector<Fault> faults() {
    return {
        {"truncate the WAL (every chain store, to half)",
         [](const fs::path& data) {
             return each_chain_store(
                 data, [](const fs::path& chain) { return truncate_largest(chain, ".log"); });
         }},
        {"truncate the WAL (validator 0's chain and plugin stores)",
         [](const fs::path& data) {
             const bool chain = truncate_largest(store(data, 0, "chain"), ".log");
             return truncate_largest(store(data, 0, "fraud"), ".log") || chain;
         }},
        {"flip 16 bytes in the middle of the WAL (every chain store)",
         [](const fs::path& data) {
             return each_chain_store(
                 data, [](const fs::path& chain) { return flip_in_largest(chain, ".log", 2); });
         }},
        {"truncate an SST file (every chain store, to half)",
         [](const fs::path& data) {
             return each_chain_store(
                 data, [](const fs::path& chain) { return truncate_largest(chain, ".sst"); });
         }},
        {"flip 16 bytes in an SST file (every chain store)",
         [](const fs::path& data) {
             return each_chain_store(
                 data, [](const fs::path& chain) { return flip_in_largest(chain, ".sst", 3); });
         }},
        {"delete an SST file (every chain store)",
         [](const fs::path& data) {
             return each_chain_store(data, [](const fs::path& chain) {
                 const auto sst = largest(files_with(chain, ".sst"));
                 return !sst.empty() && fs::remove(sst);
             });
         }},
        {"delete the MANIFEST (every chain store)",
         [](const fs::path& data) {
             return each_chain_store(data, [](const fs::path& chain) {
                 bool any = false;
                 for (const auto& e : fs::directory_iterator(chain)) {
                     if (e.path().filename().string().rfind("MANIFEST-", 0) == 0) {
                         any = fs::remove(e.path()) || any;
                     }
                 }
                 return any;
             });
         }},
        {"delete CURRENT (every chain store)",
         [](const fs::path& data) {
             return each_chain_store(
                 data, [](const fs::path& chain) { return fs::remove(chain / "CURRENT"); });
         }},
        {"delete CURRENT (validator 0's chain and plugin stores)",
         [](const fs::path& data) {
             const bool chain = fs::remove(store(data, 0, "chain") / "CURRENT");
             return fs::remove(store(data, 0, "fraud") / "CURRENT") && chain;
         }},
        {"remove a validator directory (validator 2)",
         [](const fs::path& data) { return fs::remove_all(data / "validator-2") > 0; }},
    };
}

/// A table of outcomes, printed as Markdown when the test ends.
struct Table {
    std::vector<std::array<std::string, 3>> rows;
    ~Table() {
        std::cout << "\n| fault | outcome | what the restart said |\n|---|---|---|\n";
        for (const auto& r : rows)
            std::cout << "| " << r[0] << " | " << r[1] << " | " << r[2] << " |\n";
        std::cout << std::endl;
    }
};

/// `chain_sim run` on `data` for `blocks` more blocks; its wait status and output.
std::pair<std::optional<int>, std::string> resume(const fs::path& data, const std::string& blocks,
                                                  std::chrono::seconds limit = 120s) {
    ChildProcess sim(run_args(data, {"--blocks", blocks, "--rpc", "off"}));
    auto status = sim.wait(limit);
    return {status, sim.output()};
}

// A stopped run of 20 + 10 blocks (the restart flushes the first 20 into SST files, the last 10
// stay in the write-ahead log), damaged in each way and started again.
TEST(FaultInjection, EveryStorageFaultKeepsTheCommittedStateOrIsRefusedByName) {
    ScratchDir base;
    for (const char* blocks : {"20", "10"}) {
        const auto [status, output] = resume(base.path, blocks);
        ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << output;
    }
    const std::uint64_t height = read_json(base.path / "report.json")["chain"]["end_height"];
    ASSERT_EQ(height, 30U);
    Table table;
    for (const auto& fault : faults()) {
        SCOPED_TRACE(fault.name);
        ScratchDir dir;
        fs::copy(base.path, dir.path, fs::copy_options::recursive);
        ASSERT_TRUE(fault.apply(dir.path)) << "nothing to damage";
        const auto [status, output] = resume(dir.path, "2");
        ASSERT_TRUE(status && WIFEXITED(*status)) << exit_text(status) << "\n" << output;
        if (WEXITSTATUS(*status) == 0) {
            const Json r = read_json(dir.path / "report.json");
            const std::uint64_t start = r["chain"]["start_height"];
            EXPECT_GE(start, height) << "an earlier height without a word\n" << output;
            const bool caught_up = output.find("catching up from them") != std::string::npos;
            table.rows.push_back(
                {fault.name,
                 start < height ? "LOST BLOCKS"
                 : caught_up    ? "caught up from its peers"
                                : "same state",
                 "resumed at " + std::to_string(start) + " of " + std::to_string(height)});
            continue;
        }
        EXPECT_EQ(WEXITSTATUS(*status), 2) << output;
        const std::string said = error_line(output);
        EXPECT_NE(said.find("validator "), std::string::npos) << "names no validator\n" << output;
        table.rows.push_back({fault.name, "refused (exit 2)", said});
    }
}

// The disk fills while a run writes (RLIMIT_FSIZE, with SIGXFSZ ignored so writes fail with
// EFBIG as on a full disk): the run stops with an error naming the write, and the next run on a
// disk with room goes on from every block the first one committed.
TEST(FaultInjection, AFullDiskStopsTheRunWithAnErrorAndLosesNothing) {
    ScratchDir dir;
    {
        const auto [status, output] = resume(dir.path, "5");
        ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << output;
    }
    auto args = run_args(dir.path, {"--blocks", "100000", "--rpc", "off"});
    args.insert(args.begin(), {"/bin/bash", "-c", "trap '' XFSZ; ulimit -f 256; exec \"$@\"", "-"});
    ChildProcess full(args);
    const auto status = full.wait(300s);
    ASSERT_TRUE(status && WIFEXITED(*status)) << exit_text(status) << "\n" << full.output();
    EXPECT_EQ(WEXITSTATUS(*status), 2) << full.output();
    const std::string said = error_line(full.output());
    EXPECT_NE(said.find("validator "), std::string::npos) << full.output();
    const std::string last = full.output().substr(full.output().rfind("chain_sim run: "));
    EXPECT_NE(last.find("File too large"), std::string::npos) << full.output();
    const auto [again, output] = resume(dir.path, "2");
    ASSERT_TRUE(again && WIFEXITED(*again) && WEXITSTATUS(*again) == 0) << output;
    const std::uint64_t start = read_json(dir.path / "report.json")["chain"]["start_height"];
    EXPECT_GE(start, 5U);
    Table table;
    table.rows.push_back(
        {"disk full while writing (RLIMIT_FSIZE 256 KiB)",
         "stopped (" + exit_text(status) + "), then resumed at " + std::to_string(start), said});
}

std::uint64_t quantity(const Json& v) {
    return v.is_string() ? std::stoull(v.get<std::string>(), nullptr, 16) : 0;
}

/// The hash of block `number` as the running program serves it; empty when it has none.
std::string block_hash(const std::string& endpoint, std::uint64_t number) {
    std::ostringstream hex;
    hex << "0x" << std::hex << number;
    const Json r = rpc_call(endpoint, "eth_getBlockByNumber", Json::array({hex.str(), false}));
    return r.contains("result") && r["result"].is_object() ? r["result"].value("hash", "") : "";
}

// SIGKILL at random points of a run (during start-up and recovery too), 100 times on one data
// directory. Every block the killed program served over JSON-RPC must be there, with the same
// hash, when it runs again; the last run finishes cleanly.
TEST(FaultInjection, SigkillAtRandomPointsLosesNoServedBlock) {
    const int rounds = [] {
        const char* env = std::getenv("MFD_FAULT_KILL_ROUNDS");
        return env != nullptr ? std::max(1, std::atoi(env)) : 100;
    }();
    ScratchDir dir;
    std::mt19937_64 rng(20261202);
    std::uint64_t seen = 0;  // the highest block a killed run served
    std::string seen_hash;
    int checked = 0;
    int before_rpc = 0;
    for (int round = 0; round < rounds; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const auto kill_after = std::chrono::milliseconds(rng() % 2500);
        const auto deadline = std::chrono::steady_clock::now() + kill_after;
        ChildProcess sim(run_args(dir.path, {"--blocks", "100000", "--rpc", "127.0.0.1:0"}));
        const auto line = sim.wait_for("rpc: listening on http://", kill_after);
        if (line) {
            const std::string endpoint = endpoint_of(*line);
            if (!seen_hash.empty()) {
                EXPECT_EQ(block_hash(endpoint, seen), seen_hash)
                    << "block " << seen << " served before the kill\n"
                    << sim.output();
                ++checked;
            }
            while (std::chrono::steady_clock::now() < deadline) {
                const Json r = rpc_call(endpoint, "eth_blockNumber");
                const std::uint64_t h = r.contains("result") ? quantity(r["result"]) : 0;
                if (h > seen) {
                    const std::string hash = block_hash(endpoint, h);
                    if (!hash.empty()) {
                        seen = h;
                        seen_hash = hash;
                    }
                }
                std::this_thread::sleep_for(20ms);
            }
        } else {
            ++before_rpc;
        }
        sim.signal(SIGKILL);
        const auto status = sim.wait(10s);
        ASSERT_TRUE(status) << sim.output();
        if (!WIFSIGNALED(*status)) {
            ASSERT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
                << exit_text(status) << "\n"
                << sim.output();
        }
    }
    const auto [status, output] = resume(dir.path, "2");
    ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << output;
    const std::uint64_t start = read_json(dir.path / "report.json")["chain"]["start_height"];
    EXPECT_GE(start, seen);
    Table table;
    table.rows.push_back({"SIGKILL at a random point, " + std::to_string(rounds) + " rounds (" +
                              std::to_string(before_rpc) + " before the RPC was up)",
                          start >= seen ? "same state" : "LOST BLOCKS",
                          "highest served block " + std::to_string(seen) + " kept in " +
                              std::to_string(checked) + " checks; final run resumed at " +
                              std::to_string(start)});
}

}  // namespace
}  // namespace mfd::test
