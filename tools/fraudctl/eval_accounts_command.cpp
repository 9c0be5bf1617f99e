// fraudctl eval-accounts: Etherscan rows replayed in chain order through feature extraction and
// scoring (each row from the past only), one risk per labelled account, beside XGBoost.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fraud/account_risk.hpp"
#include "fraud/detector.hpp"
#include "fraud/evaluation.hpp"
#include "fraud/xgboost_baseline.hpp"
#include "models/metrics.hpp"
#include "tools/fraudctl/commands.hpp"
#include "tools/fraudctl/detector_commands.hpp"
#include "tools/fraudctl/training_rows.hpp"

namespace mfd::tools {
namespace {

using json = nlohmann::ordered_json;

struct EvalAccountsOptions {
    std::string txs;
    std::string labels;
    std::string model;
    std::string json_out;
    std::string train_txs;
    std::string train_labels;
    std::optional<std::uint64_t> split_seed;
    std::uint64_t inner_seed = 0;
    double holdout_fraction = 0.3;
    std::string aggregation = "mean_logit";
    std::string device = "cpu";
};

[[noreturn]] void fail_usage(const std::string& message) {
    std::cerr << "fraudctl eval-accounts: " << message << "\n";
    throw CLI::RuntimeError(kExitUsage);
}

/// One risk per account and its label.
struct AccountScores {
    std::vector<float> risk;
    std::vector<float> label;
};

/// Per account (of the rows `use` keeps), the row scores in chain order, aggregated.
AccountScores per_account(const LabelledEvents& data, const std::vector<float>& row_scores,
                          const std::vector<std::uint8_t>& use, fraud::Aggregation rule) {
    std::map<core::Address, std::pair<std::vector<float>, float>> rows;
    for (std::size_t i = 0; i < row_scores.size(); ++i) {
        if (!use[i]) continue;
        auto& [scores, label] = rows[data.accounts[i]];
        scores.push_back(row_scores[i]);
        label = data.labels[i];
    }
    AccountScores out;
    for (const auto& [account, entry] : rows) {
        out.risk.push_back(fraud::aggregate(entry.first, rule));
        out.label.push_back(entry.second);
    }
    return out;
}

/// The threshold with the best F1 on `s`.
float best_f1_threshold(const AccountScores& s) {
    float best = 0.5F;
    double best_f1 = -1;
    for (float t : s.risk) {
        const double f1 = fraud::confusion_at(s.risk, s.label, t).f1();
        if (f1 > best_f1) {
            best_f1 = f1;
            best = t;
        }
    }
    return best;
}

json figures(const AccountScores& s, float threshold) {
    return {{"roc_auc", models::roc_auc(s.risk, s.label)},
            {"pr_auc", models::average_precision(s.risk, s.label)},
            {"f1", fraud::confusion_at(s.risk, s.label, threshold).f1()},
            {"threshold", threshold}};
}

std::vector<float> detector_scores(const EvalAccountsOptions& o, const LabelledEvents& data) {
    auto device = models::parse_device(o.device);
    if (!device) fail_usage(device.error().to_string());
    fraud::DetectorOptions options;
    options.device = *device;
    auto det = fraud::Detector::load(o.model, nullptr, options);
    if (!det) fail_usage(det.error().to_string());
    std::vector<fraud::Score> scores;
    if (auto r = det->replay(data.events, scores, data.observe); !r) {
        fail_usage(r.error().to_string());
    }
    std::vector<float> p;
    for (const auto& s : scores) p.push_back(s.probability);
    return p;
}

LabelledEvents load(const std::string& txs, const std::string& labels) {
    auto data = load_etherscan(txs, labels);
    if (!data) fail_usage(data.error().to_string());
    return std::move(*data);
}

AccountSplit split_of(const EvalAccountsOptions& o) {
    return {*o.split_seed, o.holdout_fraction, o.inner_seed};
}

/// Rows to evaluate: the selection part with an inner seed, else the held-out accounts with a
/// split, else all.
std::vector<std::uint8_t> evaluated_rows(const EvalAccountsOptions& o, const LabelledEvents& d) {
    if (!o.split_seed) return std::vector<std::uint8_t>(d.events.size(), 1);
    if (o.inner_seed != 0) return selection_accounts(d, split_of(o));
    auto keep = training_accounts(d, split_of(o));
    for (auto& k : keep) k = k ? 0 : 1;
    return keep;
}

struct TrainSide {
    LabelledEvents data;
    std::vector<std::uint8_t> rows;  ///< training accounts' rows
};

TrainSide train_side(const EvalAccountsOptions& o) {
    TrainSide t{load(o.train_txs, o.train_labels), {}};
    t.rows = o.split_seed ? training_accounts(t.data, split_of(o))
                          : std::vector<std::uint8_t>(t.data.events.size(), 1);
    return t;
}

json xgboost_baseline(const TrainSide& train, const LabelledEvents& eval,
                      const std::vector<std::uint8_t>& eval_rows, fraud::Aggregation rule) {
    const auto train_data = select(train.data, train.rows);
    auto rows = replay_rows(train_data);
    if (!rows) fail_usage(rows.error().to_string());
    weigh_accounts(*rows, train_data.accounts, static_cast<double>(rows->size()));
    auto model = fraud::XgbModel::train(rows->rows.values, fraud::kFeatures, rows->labels,
                                        rows->weights);
    if (!model) fail_usage(model.error().to_string());
    auto fit = model->predict(rows->rows.values);
    auto test_rows = replay_rows(eval);
    if (!fit || !test_rows) fail_usage("xgboost: cannot score the rows");
    auto p = model->predict(test_rows->rows.values);
    if (!p) fail_usage(p.error().to_string());
    const std::vector<std::uint8_t> all(train_data.events.size(), 1);
    const float t = best_f1_threshold(per_account(train_data, *fit, all, rule));
    return figures(per_account(eval, *p, eval_rows, rule), t);
}

void print(const std::string& name, const json& j) {
    std::printf("%-22s ROC-AUC %.4f  PR-AUC %.4f  F1 %.4f\n", name.c_str(),
                j["roc_auc"].get<double>(), j["pr_auc"].get<double>(), j["f1"].get<double>());
}

void run_eval_accounts(const EvalAccountsOptions& o) {
    const auto rule = fraud::parse_aggregation(o.aggregation);
    if (!rule) fail_usage("unknown --aggregation '" + o.aggregation + "'");
    const bool baseline = !o.train_txs.empty() && !o.train_labels.empty();
    const auto eval = load(o.txs, o.labels);
    const auto eval_rows = evaluated_rows(o, eval);
    const auto p = detector_scores(o, eval);
    float threshold = 0.5F;
    if (baseline) {
        const auto train = train_side(o);
        const auto q = train.data.events.size() == eval.events.size() && o.train_txs == o.txs
                           ? p
                           : detector_scores(o, train.data);
        threshold = best_f1_threshold(per_account(train.data, q, train.rows, *rule));
    }
    const auto moe = per_account(eval, p, eval_rows, *rule);
    json out = {{"accounts", moe.risk.size()}};
    out.update(figures(moe, threshold));
    out["aggregation"] = o.aggregation;
    print("mixture of experts", out);
    json rules = json::object();
    for (auto r : fraud::kAggregations) {
        const auto s = per_account(eval, p, eval_rows, r);
        rules[std::string(fraud::aggregation_name(r))] = {
            {"roc_auc", models::roc_auc(s.risk, s.label)},
            {"pr_auc", models::average_precision(s.risk, s.label)}};
    }
    std::cout << "aggregation rules (MoE): " << rules.dump() << "\n";
    out["aggregations"] = rules;
    if (baseline) {
        out["baseline"] = {{"xgboost", xgboost_baseline(train_side(o), eval, eval_rows, *rule)}};
        print("xgboost", out["baseline"]["xgboost"]);
    } else {
        out["baseline"] = {{"xgboost", nullptr},
                           {"skipped", "no --train-txs/--train-labels: baseline not trained"}};
        std::cout << "xgboost baseline skipped (give --train-txs and --train-labels)\n";
    }
    if (!o.json_out.empty()) std::ofstream(o.json_out) << out.dump(2) << "\n";
}

}  // namespace

void add_eval_accounts_command(CLI::App& app) {
    auto o = std::make_shared<EvalAccountsOptions>();
    CLI::App* cmd = app.add_subcommand(
        "eval-accounts", "Per-account risk on Etherscan data (rows replayed in chain order, each "
                         "scored from the past only) beside an XGBoost baseline");
    cmd->add_option("--txs", o->txs, "Etherscan txlist CSV (gzip or plain)")->required();
    cmd->add_option("--labels", o->labels, "address,label CSV")->required();
    cmd->add_option("--model", o->model, "the model file")->required();
    cmd->add_option("--json", o->json_out, "write the figures here");
    cmd->add_option("--train-txs", o->train_txs, "the rows the model was trained on (baseline)");
    cmd->add_option("--train-labels", o->train_labels, "their labels");
    cmd->add_option("--split-seed", o->split_seed,
                    "evaluate only the accounts this split holds out (train accounts: the rest)");
    cmd->add_option("--holdout-fraction", o->holdout_fraction, "share of accounts held out")
        ->capture_default_str();
    cmd->add_option("--inner-split-seed", o->inner_seed,
                    "evaluate the selection part instead (train --inner-split-seed): for "
                    "choosing the aggregation rule without the held-out accounts");
    cmd->add_option("--aggregation", o->aggregation,
                    "last, mean_logit, max, late_mean, mean or median (docs/detector.md)")
        ->capture_default_str();
    cmd->add_option("--device", o->device, "auto, cpu or cuda")->capture_default_str();
    cmd->callback([o] { run_eval_accounts(*o); });
}

}  // namespace mfd::tools
