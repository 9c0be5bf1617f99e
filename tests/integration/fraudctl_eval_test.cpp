// fraudctl eval and eval-accounts as a user runs them: the figures at deployment prevalences
// with bootstrap intervals in the JSON, every row's scores in --scores-out, and the temporal
// split holding out the accounts that come latest.
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/child_process.hpp"
#include "tests/integration/sim_process.hpp"

namespace mfd::test {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

const std::string kFraudctl = std::string(MFD_BINARY_DIR) + "/bin/fraudctl";
const std::string kModel = std::string(MFD_SOURCE_DIR) + "/models/default.safetensors";

/// Runs fraudctl with `args`; its exit status (-1 when it did not exit) and output.
std::pair<int, std::string> fraudctl(std::vector<std::string> args) {
    args.insert(args.begin(), kFraudctl);
    ChildProcess p(args);
    const auto status = p.wait(300s);
    const int code = status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
    return {code, p.output()};
}

std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& path) {
    std::vector<std::vector<std::string>> rows;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> cells;
        std::stringstream s(line);
        for (std::string cell; std::getline(s, cell, ',');) cells.push_back(cell);
        rows.push_back(std::move(cells));
    }
    return rows;
}

void expect_deployment_figures(const Json& scorer) {
    const double roc = scorer["roc_auc"];
    EXPECT_LE(scorer["roc_auc_ci"][0].get<double>(), roc);
    EXPECT_GE(scorer["roc_auc_ci"][1].get<double>(), roc);
    const Json& at = scorer["at_prevalence"];
    ASSERT_TRUE(at.contains("0.01") && at.contains("0.003")) << at.dump();
    for (const char* key : {"pr_auc", "precision_at_recall_0.5", "precision_at_recall_0.8",
                            "recall_at_precision_0.9"}) {
        EXPECT_TRUE(at["0.01"][key].is_number()) << key;
    }
    const double ap = at["0.01"]["pr_auc"];
    EXPECT_LE(at["0.01"]["pr_auc_ci"][0].get<double>(), ap);
    EXPECT_GE(at["0.01"]["pr_auc_ci"][1].get<double>(), ap);
    // Fewer fraudulent rows among as many honest ones: precision, and so PR-AUC, can only fall.
    EXPECT_LE(at["0.003"]["pr_auc"].get<double>(), ap);
    EXPECT_LE(ap, scorer["pr_auc"].get<double>());
}

TEST(FraudctlEval, ReportsFiguresAtDeploymentPrevalenceAndEveryRowsScore) {
    ScratchDir dir;
    const auto json_path = dir.path / "eval.json";
    const auto scores = dir.path / "scores.csv";
    const auto [code, output] =
        fraudctl({"eval", "--data", "sim:3:200:3000:0.05", "--model", kModel, "--json",
                  json_path.string(), "--scores-out", scores.string(), "--bootstrap", "200"});
    ASSERT_EQ(code, 0) << output;
    EXPECT_NE(output.find("at prevalence 0.01"), std::string::npos) << output;
    std::ifstream in(json_path);
    const Json j = Json::parse(in);
    EXPECT_EQ(j["bootstrap_unit"], "sender");
    EXPECT_EQ(j["moe"]["bootstrap_resamples"], 200);
    expect_deployment_figures(j["moe"]);
    const auto rows = read_csv(scores);
    ASSERT_EQ(rows.size(), 3001U);
    EXPECT_EQ(rows[0], (std::vector<std::string>{"index", "label", "typology", "sender_role",
                                                 "recipient_role", "included", "moe"}));
    std::size_t fraud = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) fraud += rows[i][1] == "1" ? 1 : 0;
    EXPECT_NE(output.find("3000 transactions, " + std::to_string(fraud) + " fraud"),
              std::string::npos)
        << output;
}

/// An Etherscan export of `accounts` accounts (even ones fraudulent), two transactions each
/// into the account; account k's first comes at time 1000 + 100 k.
void write_etherscan(const std::filesystem::path& dir, int accounts) {
    std::ofstream txs(dir / "txs.csv");
    std::ofstream labels(dir / "labels.csv");
    txs << "account,blockNumber,timeStamp,hash,nonce,from,to,value,gas,gasPrice,isError,"
           "txreceipt_status,input,contractAddress,gasUsed,methodId,functionName\n";
    labels << "address,label\n";
    const auto address = [](int tag, int k) {
        char buf[43];
        std::snprintf(buf, sizeof buf, "0x%02x%038d", tag, k);
        return std::string(buf);
    };
    for (int k = 0; k < accounts; ++k) {
        labels << address(0xaa, k) << ',' << (k % 2 == 0 ? 1 : 0) << '\n';
        for (int t = 0; t < 2; ++t) {
            char hash[67];
            std::snprintf(hash, sizeof hash, "0x%064d", k * 10 + t + 1);
            txs << address(0xaa, k) << ',' << 100 + k << ',' << 1000 + 100 * k + 5000 * t << ','
                << hash << ',' << t << ',' << address(0xbb, k) << ',' << address(0xaa, k)
                << ",1000000000000000000,21000,20000000000,0,1,0x,,21000,0x,\n";
        }
    }
}

TEST(FraudctlEvalAccounts, TheTemporalSplitHoldsOutEachClassesLatestAccounts) {
    ScratchDir dir;
    write_etherscan(dir.path, 20);
    const auto scores = dir.path / "accounts.csv";
    const auto json_path = dir.path / "accounts.json";
    const auto [code, output] = fraudctl(
        {"eval-accounts", "--txs", (dir.path / "txs.csv").string(), "--labels",
         (dir.path / "labels.csv").string(), "--model", kModel, "--split", "temporal", "--json",
         json_path.string(), "--scores-out", scores.string(), "--bootstrap", "100"});
    ASSERT_EQ(code, 0) << output;
    std::ifstream in(json_path);
    const Json j = Json::parse(in);
    EXPECT_EQ(j["split"], "temporal");
    EXPECT_EQ(j["accounts"], 6);
    expect_deployment_figures(j);
    // Ten accounts per class, 30 % held out: the three latest of each, 14, 16, 18 and 15, 17, 19.
    std::set<std::string> held;
    for (const auto& row : read_csv(scores)) {
        if (row[0] != "account") held.insert(row[0]);
    }
    std::set<std::string> expected;
    for (int k : {14, 15, 16, 17, 18, 19}) {
        char buf[43];
        std::snprintf(buf, sizeof buf, "0xaa%038d", k);
        expected.insert(buf);
    }
    EXPECT_EQ(held, expected);
}

TEST(FraudctlEvalAccounts, AnUnknownSplitIsAUsageError) {
    ScratchDir dir;
    write_etherscan(dir.path, 4);
    const auto [code, output] =
        fraudctl({"eval-accounts", "--txs", (dir.path / "txs.csv").string(), "--labels",
                  (dir.path / "labels.csv").string(), "--model", kModel, "--split", "weekly"});
    EXPECT_EQ(code, 2);
    EXPECT_NE(output.find("--split must be random or temporal"), std::string::npos) << output;
}

}  // namespace
}  // namespace mfd::test
