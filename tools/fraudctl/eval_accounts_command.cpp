// fraudctl eval-accounts: Etherscan rows replayed in chain order through feature extraction and
// scoring (each row from the past only), one risk per labelled account, beside XGBoost.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fraud/account_risk.hpp"
#include "fraud/detector.hpp"
#include "fraud/evaluation.hpp"
#include "fraud/xgboost_baseline.hpp"
#include "models/metrics.hpp"
#include "tools/fraudctl/ablations.hpp"
#include "tools/fraudctl/commands.hpp"
#include "tools/fraudctl/detector_commands.hpp"
#include "tools/fraudctl/eval_report.hpp"
#include "tools/fraudctl/plots.hpp"
#include "tools/fraudctl/training_rows.hpp"

namespace mfd::tools {
namespace {

using json = nlohmann::ordered_json;

struct EvalAccountsOptions {
    std::string txs;
    std::string labels;
    std::string model;
    std::string dense;
    std::string json_out;
    std::string scores_out;
    std::string train_txs;
    std::string train_labels;
    std::optional<std::uint64_t> split_seed;
    std::string split = "random";
    std::uint64_t inner_seed = 0;
    double holdout_fraction = 0.3;
    std::string aggregation = "mean_logit";
    std::string device = "cpu";
    bool ablations = false;
    std::string plots;
    DeploymentOptions deployment;
};

[[noreturn]] void fail_usage(const std::string& message) {
    std::cerr << "fraudctl eval-accounts: " << message << "\n";
    throw CLI::RuntimeError(kExitUsage);
}

/// One risk per account and its label, accounts in address order.
struct AccountScores {
    std::vector<core::Address> account;
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
        out.account.push_back(account);
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

/// ROC-AUC, PR-AUC, F1 at `threshold`, and the figures at the deployment prevalences with the
/// bootstrap intervals (over accounts).
json figures(const AccountScores& s, float threshold, const EvalAccountsOptions& o) {
    json out = {{"roc_auc", models::roc_auc(s.risk, s.label)},
                {"pr_auc", models::average_precision(s.risk, s.label)},
                {"f1", fraud::confusion_at(s.risk, s.label, threshold).f1()},
                {"threshold", threshold}};
    out.update(deployment_json(s.risk, s.label, {}, o.deployment));
    return out;
}

/// The row scores of the detector with model file `path`, each row scored from the past only.
std::vector<float> detector_scores(const EvalAccountsOptions& o, const std::string& path,
                                   const LabelledEvents& data) {
    auto device = models::parse_device(o.device);
    if (!device) fail_usage(device.error().to_string());
    fraud::DetectorOptions options;
    options.device = *device;
    auto det = fraud::Detector::load(path, nullptr, options);
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

/// A split applies with --split-seed or --split temporal.
bool has_split(const EvalAccountsOptions& o) {
    return o.split_seed || o.split == "temporal";
}

AccountSplit split_of(const EvalAccountsOptions& o) {
    const auto kind = parse_split_kind(o.split);
    if (!kind) fail_usage("--split must be random or temporal, not '" + o.split + "'");
    return {*kind, o.split_seed.value_or(1), o.holdout_fraction, o.inner_seed};
}

/// Rows to evaluate: the selection part with an inner seed, else the held-out accounts with a
/// split, else all.
std::vector<std::uint8_t> evaluated_rows(const EvalAccountsOptions& o, const LabelledEvents& d) {
    if (!has_split(o)) return std::vector<std::uint8_t>(d.events.size(), 1);
    if (o.inner_seed != 0) return selection_accounts(d, split_of(o));
    return held_out_accounts(d, split_of(o));
}

struct TrainSide {
    LabelledEvents data;
    std::vector<std::uint8_t> rows;  ///< training accounts' rows
};

TrainSide train_side(const EvalAccountsOptions& o) {
    TrainSide t{load(o.train_txs, o.train_labels), {}};
    t.rows = has_split(o) ? training_accounts(t.data, split_of(o))
                          : std::vector<std::uint8_t>(t.data.events.size(), 1);
    return t;
}

/// The training accounts' rows, every account weighing the same (the baselines' and the
/// ablations' training rows).
fraud::TrainingSet training_rows(const TrainSide& train) {
    const auto train_data = select(train.data, train.rows);
    auto rows = replay_rows(train_data);
    if (!rows) fail_usage(rows.error().to_string());
    weigh_accounts(*rows, train_data.accounts, static_cast<double>(rows->size()));
    return std::move(*rows);
}

/// XGBoost trained on the training accounts' rows, per account on the evaluated rows, with its
/// best-F1 threshold on the training accounts.
struct Baseline {
    AccountScores scores;
    std::vector<float> row_scores;  ///< of every row of the evaluated data
    float threshold = 0.5F;
};

Baseline xgboost_baseline(const TrainSide& train, const fraud::TrainingSet& train_rows,
                          const LabelledEvents& eval, const fraud::TrainingSet& eval_rows_x,
                          const std::vector<std::uint8_t>& eval_rows, fraud::Aggregation rule) {
    auto model = fraud::XgbModel::train(train_rows.rows.values, fraud::kFeatures, train_rows.labels,
                                        train_rows.weights);
    if (!model) fail_usage(model.error().to_string());
    auto fit = model->predict(train_rows.rows.values);
    auto p = model->predict(eval_rows_x.rows.values);
    if (!fit || !p) fail_usage("xgboost: cannot score the rows");
    const auto train_data = select(train.data, train.rows);
    const std::vector<std::uint8_t> all(train_data.events.size(), 1);
    const float t = best_f1_threshold(per_account(train_data, *fit, all, rule));
    return {per_account(eval, *p, eval_rows, rule), std::move(*p), t};
}

/// --ablations (ablations.hpp): every row of the table per account on the evaluated accounts,
/// the trained rows fit on the training accounts' rows, XGBoost's as the last row. Routing
/// shares are over the evaluated accounts' rows.
json ablations(const EvalAccountsOptions& o, const fraud::TrainingSet& train_rows,
               const std::vector<std::uint64_t>& groups, const LabelledEvents& eval,
               const fraud::TrainingSet& eval_x, const std::vector<std::uint8_t>& eval_rows,
               fraud::Aggregation rule, std::vector<float> xgb) {
    auto model = models::Model::load(o.model, fraud::kSchemaVersion);
    if (!model) fail_usage(model.error().to_string());
    std::vector<std::size_t> index;  // evaluated row -> row of `eval`
    std::vector<float> test;
    for (std::size_t i = 0; i < eval_rows.size(); ++i) {
        if (!eval_rows[i]) continue;
        index.push_back(i);
        const auto row = eval_x.rows.row(i);
        test.insert(test.end(), row.begin(), row.end());
    }
    auto rows = run_ablations(*model, train_rows, test, groups);
    if (!rows) fail_usage("ablations: " + rows.error().to_string());
    std::vector<float> x;
    for (auto i : index) x.push_back(xgb[i]);
    rows->push_back({"xgboost", "trained", "XGBoost on the same rows", std::move(x), {}});
    return ablation_table(*rows, [&](const std::vector<float>& scores) {
        std::vector<float> full(eval_rows.size(), 0.0F);
        for (std::size_t k = 0; k < index.size(); ++k) full[index[k]] = scores[k];
        const auto s = per_account(eval, full, eval_rows, rule);
        json f = {{"roc_auc", models::roc_auc(s.risk, s.label)},
                  {"pr_auc", models::average_precision(s.risk, s.label)}};
        f.update(deployment_json(s.risk, s.label, {}, o.deployment));
        return f;
    });
}

void print(const std::string& name, const json& j) {
    std::printf("%-22s ROC-AUC %.4f  PR-AUC %.4f  F1 %.4f\n", name.c_str(),
                j["roc_auc"].get<double>(), j["pr_auc"].get<double>(), j["f1"].get<double>());
    std::cout << deployment_lines(j);
}

/// account,label,<one column per scorer> for --scores-out (accounts in address order).
void write_account_scores(const std::string& path, const AccountScores& moe,
                          const std::vector<std::pair<std::string, const AccountScores*>>& others) {
    std::ofstream out(path);
    out << "account,label,moe";
    for (const auto& [name, s] : others) out << ',' << name;
    out << '\n';
    for (std::size_t i = 0; i < moe.risk.size(); ++i) {
        out << moe.account[i].hex() << ',' << moe.label[i] << ',' << moe.risk[i];
        for (const auto& [name, s] : others) out << ',' << s->risk[i];
        out << '\n';
    }
    if (!out) fail_usage("cannot write " + path);
}

void run_eval_accounts(const EvalAccountsOptions& o) {
    const auto rule = fraud::parse_aggregation(o.aggregation);
    if (!rule) fail_usage("unknown --aggregation '" + o.aggregation + "'");
    (void)split_of(o);  // a bad --split is refused before the long replay
    const bool baseline = !o.train_txs.empty() && !o.train_labels.empty();
    if (o.ablations && !baseline) {
        fail_usage(
            "--ablations trains on the baseline's rows: give --train-txs and --train-labels");
    }
    const auto eval = load(o.txs, o.labels);
    const auto eval_rows = evaluated_rows(o, eval);
    const auto p = detector_scores(o, o.model, eval);
    std::optional<TrainSide> train;
    float threshold = 0.5F;
    if (baseline) {
        train = train_side(o);
        const auto q = train->data.events.size() == eval.events.size() && o.train_txs == o.txs
                           ? p
                           : detector_scores(o, o.model, train->data);
        threshold = best_f1_threshold(per_account(train->data, q, train->rows, *rule));
    }
    const auto moe = per_account(eval, p, eval_rows, *rule);
    json out = {{"accounts", moe.risk.size()},
                {"split", has_split(o) ? json(split_kind_name(split_of(o).kind)) : json("none")},
                {"bootstrap_unit", "account"}};
    out.update(figures(moe, threshold, o));
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
    std::vector<std::pair<std::string, AccountScores>> others;
    out["baseline"] = json::object();
    if (!o.dense.empty()) {
        const auto d = detector_scores(o, o.dense, eval);
        float t = 0.5F;
        if (train) {
            t = best_f1_threshold(per_account(train->data, detector_scores(o, o.dense, train->data),
                                              train->rows, *rule));
        }
        others.emplace_back("dense", per_account(eval, d, eval_rows, *rule));
        out["baseline"]["dense"] = figures(others.back().second, t, o);
        print("dense baseline", out["baseline"]["dense"]);
    }
    if (train) {
        const auto train_rows = training_rows(*train);
        auto eval_x = replay_rows(eval);
        if (!eval_x) fail_usage(eval_x.error().to_string());
        auto x = xgboost_baseline(*train, train_rows, eval, *eval_x, eval_rows, *rule);
        out["baseline"]["xgboost"] = figures(x.scores, x.threshold, o);
        print("xgboost", out["baseline"]["xgboost"]);
        others.emplace_back("xgboost", std::move(x.scores));
        if (o.ablations) {
            out["ablations"] =
                ablations(o, train_rows, account_keys(select(train->data, train->rows).accounts),
                          eval, *eval_x, eval_rows, *rule, std::move(x.row_scores));
        }
    } else {
        out["baseline"]["xgboost"] = nullptr;
        out["baseline"]["skipped"] = "no --train-txs/--train-labels: baseline not trained";
        std::cout << "xgboost baseline skipped (give --train-txs and --train-labels)\n";
    }
    write_json(o.json_out, out);
    if (!o.scores_out.empty()) {
        std::vector<std::pair<std::string, const AccountScores*>> columns;
        for (const auto& [name, s] : others) columns.emplace_back(name, &s);
        write_account_scores(o.scores_out, moe, columns);
    }
    if (!o.plots.empty()) {
        std::vector<PlotSeries> series{{"moe", moe.risk}};
        for (const auto& [name, s] : others) series.push_back({name, s.risk});
        const auto subject = std::to_string(moe.risk.size()) + " accounts";
        auto written = write_curve_plots(o.plots, subject, moe.label, series);
        if (!written) fail_usage("--plots: " + written.error().to_string());
        for (const auto& path : *written) std::cout << "wrote " << path.string() << "\n";
    }
}

}  // namespace

void add_eval_accounts_command(CLI::App& app) {
    auto o = std::make_shared<EvalAccountsOptions>();
    CLI::App* cmd =
        app.add_subcommand("eval-accounts",
                           "Per-account risk on Etherscan data (rows replayed in chain order, each "
                           "scored from the past only) beside an XGBoost baseline");
    cmd->add_option("--txs", o->txs, "Etherscan txlist CSV (gzip or plain)")->required();
    cmd->add_option("--labels", o->labels, "address,label CSV")->required();
    cmd->add_option("--model", o->model, "the model file")->required();
    cmd->add_option("--dense", o->dense,
                    "the dense baseline's model file (train --dense-out), scored the same way");
    cmd->add_option("--json", o->json_out, "write the figures here");
    cmd->add_option("--scores-out", o->scores_out,
                    "write account,label and each model's account risk here (CSV)");
    cmd->add_option("--train-txs", o->train_txs, "the rows the model was trained on (baseline)");
    cmd->add_option("--train-labels", o->train_labels, "their labels");
    cmd->add_option("--split-seed", o->split_seed,
                    "evaluate only the accounts this split holds out (train accounts: the rest)");
    cmd->add_option("--split", o->split,
                    "random (by --split-seed) or temporal: within each class the accounts whose "
                    "first transaction comes latest are held out (as train --split)")
        ->capture_default_str();
    cmd->add_option("--holdout-fraction", o->holdout_fraction, "share of accounts held out")
        ->capture_default_str();
    cmd->add_option("--inner-split-seed", o->inner_seed,
                    "evaluate the selection part instead (train --inner-split-seed): for "
                    "choosing the aggregation rule without the held-out accounts");
    cmd->add_option("--aggregation", o->aggregation,
                    "last, mean_logit, max, late_mean, mean or median (docs/detector.md)")
        ->capture_default_str();
    cmd->add_option("--device", o->device, "auto, cpu or cuda")->capture_default_str();
    cmd->add_option("--plots", o->plots,
                    "write ROC and PR curves (prevalence 50 % and 1 %) of every scorer here as "
                    "SVG: roc.svg, pr_50.svg, pr_1.svg");
    cmd->add_flag("--ablations", o->ablations,
                  "also the ablation table on the held-out accounts: the model's architecture "
                  "retrained on the training accounts with a top-k, dense and uniform gate, each "
                  "group's expert alone and the dense MLP, and the model's own experts alone and "
                  "mixed (docs/detector.md)");
    add_deployment_options(*cmd, o->deployment);
    cmd->callback([o] { run_eval_accounts(*o); });
}

}  // namespace mfd::tools
