// fraudctl eval and eval-accounts as a user runs them: the figures at deployment prevalences
// with bootstrap intervals in the JSON, every row's scores in --scores-out, and the temporal
// split holding out the accounts that come latest.
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/sim_process.hpp"
#include "tests/support/child_process.hpp"

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

/// The rows of an ablation table by name.
std::map<std::string, Json> by_name(const Json& table) {
    std::map<std::string, Json> out;
    for (const auto& row : table) out[row["name"].get<std::string>()] = row;
    return out;
}

TEST(FraudctlEval, TheAblationTableHasEveryPartOfTheMixtureOnTheSameRows) {
    ScratchDir dir;
    const auto json_path = dir.path / "eval.json";
    const auto [code, output] = fraudctl({"eval", "--data", "sim:3:200:3000:0.05", "--xgb-train",
                                          "sim:4:200:3000:0.05", "--model", kModel, "--ablations",
                                          "--bootstrap", "0", "--json", json_path.string()});
    ASSERT_EQ(code, 0) << output;
    EXPECT_NE(output.find("ablations ("), std::string::npos) << output;
    std::ifstream in(json_path);
    const Json j = Json::parse(in);
    const auto rows = by_name(j["ablations"]);
    for (const char* name : {"model", "model_dense_gate", "model_uniform_gate", "model_expert_0",
                             "dense_gate", "uniform_gate", "expert_tx", "expert_account",
                             "expert_signature", "dense_mlp", "xgboost"}) {
        ASSERT_TRUE(rows.contains(name)) << name << " missing from " << j["ablations"].dump();
        const Json& r = rows.at(name);
        EXPECT_EQ(r["origin"], std::string(name).starts_with("model") ? "model" : "trained");
        EXPECT_TRUE(r["roc_auc"].is_number()) << name;
        EXPECT_TRUE(r["at_prevalence"]["0.01"]["pr_auc"].is_number()) << name;
    }
    // The served model and XGBoost are the rows of the headline figures, on the same rows.
    EXPECT_DOUBLE_EQ(rows.at("model")["roc_auc"].get<double>(), j["moe"]["roc_auc"].get<double>());
    EXPECT_DOUBLE_EQ(rows.at("xgboost")["roc_auc"].get<double>(),
                     j["xgboost"]["roc_auc"].get<double>());
    // A top-k model is retrained with its own top-k; the dense and uniform gates use every
    // expert on every row; a single expert and the MLP have no gate, so no routing.
    const auto top_k = std::find_if(rows.begin(), rows.end(),
                                    [](const auto& e) { return e.first.starts_with("moe_top"); });
    ASSERT_NE(top_k, rows.end());
    ASSERT_TRUE(rows.contains(top_k->first + "_distilled")) << j["ablations"].dump();
    EXPECT_EQ(rows.at(top_k->first + "_distilled")["origin"], "trained");
    EXPECT_NE(rows.at(top_k->first + "_distilled")["roc_auc"], top_k->second["roc_auc"]);
    const auto experts = top_k->second["routing"].size();
    EXPECT_GT(experts, 1U);
    for (const char* name : {"dense_gate", "uniform_gate", "model_dense_gate"}) {
        const Json& routing = rows.at(name)["routing"];
        ASSERT_EQ(routing.size(), experts) << name;
        for (const auto& share : routing) EXPECT_DOUBLE_EQ(share.get<double>(), 1.0) << name;
    }
    EXPECT_TRUE(rows.at("expert_tx")["routing"].empty());
    EXPECT_TRUE(rows.at("dense_mlp")["routing"].empty());
    double shares = 0;
    for (const auto& share : rows.at("model")["routing"]) shares += share.get<double>();
    const auto k = std::stoul(top_k->first.substr(std::string("moe_top").size()));
    EXPECT_NEAR(shares, static_cast<double>(k), 1e-9) << "top-k: every row uses k experts";
}

TEST(FraudctlEval, AblationsWithoutTrainingRowsAreAUsageError) {
    const auto [code, output] =
        fraudctl({"eval", "--data", "sim:3:50:200:0.05", "--model", kModel, "--ablations"});
    EXPECT_EQ(code, 2);
    EXPECT_NE(output.find("--ablations trains on the baselines' rows"), std::string::npos)
        << output;
}

/// The number of times `needle` occurs in the file at `path`, and its text.
std::pair<std::size_t, std::string> occurrences(const std::filesystem::path& path,
                                                const std::string& needle) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    std::size_t n = 0;
    for (auto at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) ++n;
    return {n, s};
}

TEST(FraudctlEval, PlotsHaveOneCurvePerScorerWithAxesAndLegend) {
    ScratchDir dir;
    const auto plots = dir.path / "plots";
    const auto [code, output] =
        fraudctl({"eval", "--data", "sim:3:200:3000:0.05", "--xgb-train", "sim:4:200:3000:0.05",
                  "--model", kModel, "--bootstrap", "0", "--plots", plots.string()});
    ASSERT_EQ(code, 0) << output;
    const std::pair<const char*, const char*> files[] = {
        {"roc.svg", "false-positive rate (log scale)"},
        {"pr_50.svg", "precision-recall at prevalence 50 %"},
        {"pr_1.svg", "precision-recall at prevalence 1.0 %"}};
    for (const auto& [name, label] : files) {
        const auto [curves, text] = occurrences(plots / name, "<polyline");
        EXPECT_EQ(curves, 2U) << name << ": the MoE and XGBoost";
        EXPECT_TRUE(text.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")) << name;
        EXPECT_NE(text.find(label), std::string::npos) << name;
        EXPECT_NE(text.find(">moe "), std::string::npos) << name;
        EXPECT_NE(text.find(">xgboost "), std::string::npos) << name;
        EXPECT_NE(text.find("</svg>"), std::string::npos) << name;
        EXPECT_NE(output.find("wrote " + (plots / name).string()), std::string::npos) << output;
    }
    // A directory that cannot be made is a usage error naming it.
    std::ofstream(dir.path / "file") << "x";
    const auto [bad, message] =
        fraudctl({"eval", "--data", "sim:3:50:200:0.05", "--model", kModel, "--bootstrap", "0",
                  "--plots", (dir.path / "file" / "plots").string()});
    EXPECT_EQ(bad, 2);
    EXPECT_NE(message.find("--plots: "), std::string::npos) << message;
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

TEST(FraudctlEvalAccounts, TheAblationTableIsPerHeldOutAccount) {
    ScratchDir dir;
    write_etherscan(dir.path, 40);
    const auto txs = (dir.path / "txs.csv").string();
    const auto labels = (dir.path / "labels.csv").string();
    const auto json_path = dir.path / "accounts.json";
    const auto [code, output] =
        fraudctl({"eval-accounts", "--txs", txs, "--labels", labels, "--model", kModel,
                  "--split-seed", "1", "--train-txs", txs, "--train-labels", labels, "--ablations",
                  "--bootstrap", "0", "--json", json_path.string()});
    ASSERT_EQ(code, 0) << output;
    std::ifstream in(json_path);
    const Json j = Json::parse(in);
    const auto rows = by_name(j["ablations"]);
    for (const char* name : {"model", "uniform_gate", "expert_account", "dense_mlp", "xgboost"}) {
        ASSERT_TRUE(rows.contains(name)) << name << " missing from " << j["ablations"].dump();
    }
    // The same held-out accounts and aggregation as the headline figures. (The model's row is
    // not compared: these accounts' rows differ only in addresses and times, so their scores
    // tie up to rounding, which differs between batch sizes.)
    EXPECT_NEAR(rows.at("xgboost")["roc_auc"].get<double>(),
                j["baseline"]["xgboost"]["roc_auc"].get<double>(), 1e-12);
}

TEST(FraudctlEvalAccounts, AblationsWithoutTrainingAccountsAreAUsageError) {
    ScratchDir dir;
    write_etherscan(dir.path, 4);
    const auto [code, output] =
        fraudctl({"eval-accounts", "--txs", (dir.path / "txs.csv").string(), "--labels",
                  (dir.path / "labels.csv").string(), "--model", kModel, "--ablations"});
    EXPECT_EQ(code, 2);
    EXPECT_NE(output.find("--ablations trains on the baseline's rows"), std::string::npos)
        << output;
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
