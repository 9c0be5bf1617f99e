// fraudctl eval: the detector on labelled simulator traffic, beside the dense baseline and
// XGBoost on the same features.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "fraud/detector.hpp"
#include "fraud/thresholds.hpp"
#include "fraud/xgboost_baseline.hpp"
#include "models/metrics.hpp"
#include "models/scorer.hpp"
#include "tools/fraudctl/ablations.hpp"
#include "tools/fraudctl/commands.hpp"
#include "tools/fraudctl/detector_commands.hpp"
#include "tools/fraudctl/eval_report.hpp"
#include "tools/fraudctl/plots.hpp"
#include "tools/fraudctl/training_rows.hpp"

namespace mfd::tools {
namespace {

using json = nlohmann::ordered_json;

struct EvalOptions {
    std::string data;
    std::vector<std::string> features;
    std::vector<std::string> hooks = {"check_tx", "extend_vote"};
    std::string model;
    std::string dense;
    std::vector<std::string> xgb_train;
    std::string json_out;
    std::string scores_out;
    DeploymentOptions deployment;
    std::string device = "cpu";
    double fpr = 0.001;
    bool no_balances = false;
    bool ablations = false;
    std::string plots;
};

[[noreturn]] void fail_usage(const std::string& message) {
    std::cerr << "fraudctl eval: " << message << "\n";
    throw CLI::RuntimeError(kExitUsage);
}

/// Scores of every event replayed through a detector for `path`, and its utilisation.
struct Replayed {
    std::vector<float> scores;
    /// The detector's decisions as scores: >= threshold exactly when it flagged the row (the
    /// probability, raised to the threshold for rows a definitive signature anomaly flags).
    std::vector<float> decisions;
    std::vector<double> share;  ///< per expert, share of routing (sums to 1)
    float threshold = 0.5F;
};

Replayed replay(const std::string& path, const LabelledEvents& data, const EvalOptions& o) {
    auto device = models::parse_device(o.device);
    if (!device) fail_usage(device.error().to_string());
    fraud::DetectorOptions options;
    options.device = *device;
    options.target_fpr = o.fpr;
    auto det = fraud::Detector::load(path, nullptr, options);
    if (!det) fail_usage(det.error().to_string());
    std::vector<fraud::Score> scores;
    if (auto r = det->replay(data.events, scores, data.observe, data.contexts); !r) {
        fail_usage(r.error().to_string());
    }
    Replayed out;
    out.threshold = det->threshold();
    for (const auto& s : scores) {
        out.scores.push_back(s.probability);
        const float below = std::nextafter(out.threshold, 0.0F);
        out.decisions.push_back(s.flagged ? std::max(s.probability, out.threshold)
                                          : std::min(s.probability, below));
    }
    const auto stats = det->stats();
    const double k = static_cast<double>(det->model().config().active_experts());
    for (double u : stats.utilisation()) out.share.push_back(u / k);
    return out;
}

/// Recall over fraud rows showing each signature anomaly, and how many honest rows show it.
json anomaly_recall(const fraud::TrainingSet& rows, const std::vector<float>& scores,
                    float threshold) {
    json out = json::object();
    for (std::size_t f = fraud::kSigInvalid; f <= fraud::kSigNotValid; ++f) {
        std::size_t fraud_rows = 0, hits = 0, honest_rows = 0, honest_flagged = 0;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (rows.rows.row(i)[f] <= 0) continue;
            const bool flagged = scores[i] >= threshold;
            if (rows.labels[i] == 1.0F) {
                ++fraud_rows;
                hits += flagged ? 1 : 0;
            } else {
                ++honest_rows;
                honest_flagged += flagged ? 1 : 0;
            }
        }
        if (fraud_rows + honest_rows == 0) continue;
        out[std::string(fraud::feature_name(f))] = {
            {"fraud_rows", fraud_rows},
            {"recall", fraud_rows ? static_cast<double>(hits) / fraud_rows : 0.0},
            {"honest_rows", honest_rows},
            {"honest_flagged", honest_flagged}};
    }
    return out;
}

/// The rows of --xgb-train (the baselines' and the ablations' training rows).
fraud::TrainingSet baseline_training_rows(const EvalOptions& o) {
    fraud::TrainingSet train;
    for (const auto& source : o.xgb_train) {
        auto data = load_simulated(source);
        if (!data) fail_usage(source + ": " + data.error().to_string());
        auto rows = replay_rows(*data);
        if (!rows) fail_usage(rows.error().to_string());
        for (std::size_t i = 0; i < rows->size(); ++i) train.append(*rows, i);
    }
    return train;
}

/// XGBoost trained on `train` (same features), its scores of `test`.
std::vector<float> xgboost_scores(const fraud::TrainingSet& train, const fraud::TrainingSet& test) {
    auto model = fraud::XgbModel::train(train.rows.values, fraud::kFeatures, train.labels, {});
    if (!model) fail_usage(model.error().to_string());
    auto p = model->predict(test.rows.values);
    if (!p) fail_usage(p.error().to_string());
    return std::move(*p);
}

/// --ablations: the table of the model's parts on `test` (ablations.hpp), the trained rows fit
/// on `train`, XGBoost's scores `xgb` as the last row.
json ablations(const EvalOptions& o, const fraud::TrainingSet& train,
               const fraud::TrainingSet& test, std::vector<float> xgb,
               std::span<const std::uint64_t> units) {
    auto model = models::Model::load(o.model, fraud::kSchemaVersion);
    if (!model) fail_usage(model.error().to_string());
    auto rows = run_ablations(*model, train, test.rows.values);
    if (!rows) fail_usage("ablations: " + rows.error().to_string());
    rows->push_back({"xgboost", "trained", "XGBoost on the same rows", std::move(xgb), {}});
    return ablation_table(*rows, [&](const std::vector<float>& scores) {
        json f = {{"roc_auc", models::roc_auc(scores, test.labels)},
                  {"pr_auc", models::average_precision(scores, test.labels)}};
        f.update(deployment_json(scores, test.labels, units, o.deployment));
        return f;
    });
}

/// The figures of one scorer: the headline ones, those at the deployment prevalences and the
/// bootstrap intervals; printed, and returned as JSON.
json scorer_figures(const std::string& name, std::span<const float> scores,
                    std::span<const float> labels, float threshold,
                    std::span<const std::uint64_t> units, const EvalOptions& o) {
    const auto r = fraud::binary_report(scores, labels, threshold);
    json out = report_json(r);
    out.update(deployment_json(scores, labels, units, o.deployment));
    std::cout << report_line(name, r) << "\n" << deployment_lines(out);
    return out;
}

/// One unit per sender (its claimed address, else the recovered one): the bootstrap resamples
/// senders, whose transactions are not independent.
std::vector<std::uint64_t> sender_units(const LabelledEvents& data) {
    std::vector<std::uint64_t> units;
    units.reserve(data.events.size());
    for (const auto& e : data.events) {
        const auto& a = e.claimed_sender ? e.claimed_sender : e.recovered_sender;
        std::uint64_t key = 0xcbf29ce484222325ULL;
        if (a) {
            for (std::uint8_t b : a->bytes) key = (key ^ b) * 0x100000001b3ULL;
        }
        units.push_back(key);
    }
    return units;
}

void print_typologies(const std::map<std::string, fraud::GroupRecall>& t, json& out) {
    std::cout << "recall per typology at the threshold:\n";
    for (const auto& [name, r] : t) {
        std::printf("  %-28s %.4f  (%zu)\n", name.c_str(), r.recall, r.count);
        out[name] = {{"recall", r.recall}, {"count", r.count}};
    }
}

/// A named column of scores for --scores-out.
struct ScoreColumn {
    std::string name;
    std::vector<float> scores;
};

/// index,label,typology[,sender_role,recipient_role,included],<one column per scorer>.
void write_scores(const std::string& path, const std::vector<float>& labels,
                  const std::vector<std::string>& typologies, const LabelledEvents* data,
                  const std::vector<ScoreColumn>& columns) {
    std::ofstream out(path);
    out << "index,label,typology";
    if (data) out << ",sender_role,recipient_role,included";
    for (const auto& c : columns) out << ',' << c.name;
    out << '\n';
    for (std::size_t i = 0; i < labels.size(); ++i) {
        out << i << ',' << labels[i] << ',' << typologies[i];
        if (data) {
            const auto& e = data->events[i];
            out << ',' << e.sender_role << ',' << e.recipient_role << ',' << int{data->observe[i]};
        }
        for (const auto& c : columns) out << ',' << c.scores[i];
        out << '\n';
    }
    if (!out) fail_usage("cannot write " + path);
}

/// --plots: the curves of every column against `labels`, `subject` in the titles.
void write_plots(const EvalOptions& o, const std::string& subject, const std::vector<float>& labels,
                 const std::vector<ScoreColumn>& columns) {
    std::vector<PlotSeries> series;
    for (const auto& c : columns) series.push_back({c.name, c.scores});
    auto written = write_curve_plots(o.plots, subject, labels, series);
    if (!written) fail_usage("--plots: " + written.error().to_string());
    for (const auto& path : *written) std::cout << "wrote " << path.string() << "\n";
}

/// The model's probabilities and decisions (threshold, or a definitive signature anomaly) on
/// served rows.
Replayed score_rows(const std::string& path, const fraud::TrainingSet& rows, const EvalOptions& o) {
    auto model = models::Model::load(path, fraud::kSchemaVersion);
    if (!model) fail_usage(model.error().to_string());
    auto points = fraud::parse_thresholds(model->info().thresholds_json);
    if (!points) fail_usage(points.error().to_string());
    auto scorer = models::Scorer::create(*model, {.device = models::Device::kCpu});
    if (!scorer) fail_usage(scorer.error().to_string());
    auto scored = scorer->score(rows.rows.values);
    if (!scored) fail_usage(scored.error().to_string());
    Replayed out;
    out.threshold = fraud::pick_threshold(*points, o.fpr);
    const float below = std::nextafter(out.threshold, 0.0F);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const float p = scored->probability[i];
        const bool flagged = fraud::flag_decision(p, out.threshold, rows.rows.row(i).data());
        out.scores.push_back(p);
        out.decisions.push_back(flagged ? std::max(p, out.threshold) : std::min(p, below));
    }
    return out;
}

// The rows a running chain served (feature logs), scored as they were: no replay.
void run_eval_features(const EvalOptions& o) {
    std::vector<std::string> typologies;
    auto rows = feature_log_rows(o.features, o.hooks, &typologies);
    if (!rows) fail_usage(rows.error().to_string());
    const auto moe = score_rows(o.model, *rows, o);
    std::cout << rows->size() << " served rows, "
              << std::count(rows->labels.begin(), rows->labels.end(), 1.0F) << " fraud\n";
    json out = {{"rows", rows->size()},
                {"moe", scorer_figures("mixture of experts", moe.scores, rows->labels,
                                       moe.threshold, {}, o)}};
    std::vector<ScoreColumn> columns = {{"moe", moe.scores}};
    const auto c = fraud::confusion_at(moe.decisions, rows->labels, moe.threshold);
    out["moe"]["confusion"] = {{"tp", c.tp}, {"fp", c.fp}, {"tn", c.tn}, {"fn", c.fn}};
    std::printf(
        "decisions at threshold %.4f (with the signature rule): tp %zu fp %zu tn %zu "
        "fn %zu (fpr %.5f)\n",
        moe.threshold, c.tp, c.fp, c.tn, c.fn, c.fpr());
    json typ = json::object();
    print_typologies(fraud::recall_by_key(moe.decisions, rows->labels, typologies, moe.threshold),
                     typ);
    out["moe"]["typology_recall"] = typ;
    if (!o.dense.empty()) {
        const auto dense = score_rows(o.dense, *rows, o);
        out["dense"] =
            scorer_figures("dense baseline", dense.scores, rows->labels, dense.threshold, {}, o);
        columns.push_back({"dense", dense.scores});
    }
    if (!o.xgb_train.empty()) {
        const auto train = baseline_training_rows(o);
        auto p = xgboost_scores(train, *rows);
        out["xgboost"] = scorer_figures("xgboost", p, rows->labels, 0.5F, {}, o);
        columns.push_back({"xgboost", p});
        if (o.ablations) out["ablations"] = ablations(o, train, *rows, std::move(p), {});
    }
    write_json(o.json_out, out);
    if (!o.scores_out.empty())
        write_scores(o.scores_out, rows->labels, typologies, nullptr, columns);
    if (!o.plots.empty()) write_plots(o, "served rows", rows->labels, columns);
}

void run_eval(const EvalOptions& o) {
    if (o.ablations && o.xgb_train.empty()) {
        fail_usage("--ablations trains on the baselines' rows: give --xgb-train");
    }
    if (!o.features.empty()) {
        run_eval_features(o);
        return;
    }
    if (o.data.empty()) fail_usage("give --data or --features");
    auto data = load_simulated(o.data);
    if (!data) fail_usage(data.error().to_string());
    if (o.no_balances) data->contexts.clear();
    const auto moe = replay(o.model, *data, o);
    const auto units = sender_units(*data);
    std::cout << data->events.size() << " transactions, "
              << std::count(data->labels.begin(), data->labels.end(), 1.0F) << " fraud\n";
    json out = {{"transactions", data->events.size()},
                {"bootstrap_unit", "sender"},
                {"moe", scorer_figures("mixture of experts", moe.scores, data->labels,
                                       moe.threshold, units, o)}};
    std::vector<ScoreColumn> columns = {{"moe", moe.scores}};
    const auto c = fraud::confusion_at(moe.decisions, data->labels, moe.threshold);
    out["moe"]["confusion"] = {{"tp", c.tp}, {"fp", c.fp}, {"tn", c.tn}, {"fn", c.fn}};
    std::printf("confusion at threshold %.4f: tp %zu fp %zu tn %zu fn %zu (fpr %.5f)\n",
                moe.threshold, c.tp, c.fp, c.tn, c.fn, c.fpr());
    std::cout << "expert routing share:";
    for (double s : moe.share) std::printf(" %.3f", s);
    std::cout << "\n";
    out["moe"]["routing_share"] = moe.share;
    json typ = json::object();
    print_typologies(
        fraud::recall_by_key(moe.decisions, data->labels, data->typologies, moe.threshold), typ);
    out["moe"]["typology_recall"] = typ;
    auto rows = replay_rows(*data);
    if (!rows) fail_usage(rows.error().to_string());
    out["moe"]["anomaly_recall"] = anomaly_recall(*rows, moe.decisions, moe.threshold);
    std::cout << "signature anomalies: " << out["moe"]["anomaly_recall"].dump() << "\n";
    if (!o.dense.empty()) {
        const auto dense = replay(o.dense, *data, o);
        out["dense"] =
            scorer_figures("dense baseline", dense.scores, data->labels, dense.threshold, units, o);
        columns.push_back({"dense", dense.scores});
    }
    if (!o.xgb_train.empty()) {
        const auto train = baseline_training_rows(o);
        auto p = xgboost_scores(train, *rows);
        out["xgboost"] = scorer_figures("xgboost", p, data->labels, 0.5F, units, o);
        columns.push_back({"xgboost", p});
        if (o.ablations) out["ablations"] = ablations(o, train, *rows, std::move(p), units);
    }
    write_json(o.json_out, out);
    if (!o.scores_out.empty()) {
        write_scores(o.scores_out, data->labels, data->typologies, &*data, columns);
    }
    if (!o.plots.empty()) write_plots(o, o.data, data->labels, columns);
}

}  // namespace

void add_eval_command(CLI::App& app) {
    auto o = std::make_shared<EvalOptions>();
    CLI::App* cmd = app.add_subcommand(
        "eval",
        "Evaluate a model on labelled simulator traffic beside the dense and XGBoost "
        "baselines");
    cmd->add_option("--data", o->data, "a simulator stream or sim:SEED:ACCOUNTS:TXS:FRAUD_RATE");
    cmd->add_option("--features", o->features,
                    "labelled feature logs (chain_sim run --feature-log) instead of --data: the "
                    "rows as the running chain's plugin served them");
    cmd->add_option("--hooks", o->hooks, "which hooks' rows of the feature logs to evaluate")
        ->delimiter(',')
        ->capture_default_str();
    cmd->add_option("--model", o->model, "the model file")->required();
    cmd->add_option("--dense", o->dense, "the dense baseline's model file (train --dense-out)");
    cmd->add_option("--xgb-train", o->xgb_train,
                    "simulator data to train the XGBoost baseline on (same features)");
    cmd->add_option("--json", o->json_out, "also write the figures as JSON here");
    cmd->add_option("--scores-out,--scores-csv", o->scores_out,
                    "also write every row's label and the score of each model here (CSV)");
    add_deployment_options(*cmd, o->deployment);
    cmd->add_option("--device", o->device, "auto, cpu or cuda")->capture_default_str();
    cmd->add_flag("--no-balances", o->no_balances,
                  "score without sender/recipient balances (a caller without chain state)");
    cmd->add_option("--fpr", o->fpr, "target false-positive rate of the decision threshold")
        ->capture_default_str();
    cmd->add_option("--plots", o->plots,
                    "write ROC and PR curves (prevalence 50 % and 1 %) of every scorer here as "
                    "SVG: roc.svg, pr_50.svg, pr_1.svg");
    cmd->add_flag("--ablations", o->ablations,
                  "also the ablation table: the model's architecture retrained on --xgb-train "
                  "with a top-k, dense and uniform gate, each group's expert alone and the dense "
                  "MLP, and the model's own experts alone and mixed (docs/detector.md)");
    cmd->callback([o] { run_eval(*o); });
}

}  // namespace mfd::tools
