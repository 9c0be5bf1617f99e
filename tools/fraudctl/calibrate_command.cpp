// fraudctl calibrate: a model's thresholds chosen anew on served rows of the chain it is to
// run on (feature logs), weights unchanged.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fraud/feature_schema.hpp"
#include "tools/fraudctl/commands.hpp"
#include "tools/fraudctl/detector_commands.hpp"
#include "tools/fraudctl/training_rows.hpp"

namespace mfd::tools {
namespace {

struct CalibrateOptions {
    std::string model;
    std::vector<std::string> features;
    std::vector<std::string> hooks = {"check_tx", "extend_vote"};
    std::string out;
};

[[noreturn]] void fail_usage(const std::string& message) {
    std::cerr << "fraudctl calibrate: " << message << "\n";
    throw CLI::RuntimeError(kExitUsage);
}

void run_calibrate(const CalibrateOptions& o) {
    auto model = models::Model::load(o.model, fraud::kSchemaVersion);
    if (!model) fail_usage(model.error().to_string());
    auto rows = feature_log_rows(o.features, o.hooks);
    if (!rows) fail_usage(rows.error().to_string());
    if (std::count(rows->labels.begin(), rows->labels.end(), 0.0F) == 0) {
        fail_usage("the feature logs hold no honest rows of those hooks");
    }
    auto points = thresholds_on(*model, rows->rows.values, rows->labels);
    if (!points) fail_usage(points.error().to_string());
    models::ModelInfo info = model->info();
    info.thresholds_json = fraud::thresholds_json(*points);
    auto metrics = nlohmann::json::parse(info.metrics_json, nullptr, false);
    if (!metrics.is_object()) metrics = nlohmann::json::object();
    metrics["calibration"] = o.features;
    info.metrics_json = metrics.dump();
    model->set_info(info);
    if (auto saved = model->save(o.out); !saved) fail_usage(saved.error().to_string());
    for (const auto& p : *points) {
        std::cout << "fpr " << p.fpr << ": threshold " << p.threshold << "\n";
    }
    std::cout << "wrote " << o.out << " (" << rows->size() << " rows)\n";
}

}  // namespace

void add_calibrate_command(CLI::App& app) {
    auto o = std::make_shared<CalibrateOptions>();
    CLI::App* cmd = app.add_subcommand(
        "calibrate",
        "Choose a model's decision thresholds anew on the rows a running chain's "
        "plugin served (labelled feature logs); the weights stay");
    cmd->add_option("--model", o->model, "the model file")->required();
    cmd->add_option("--features", o->features,
                    "labelled feature logs (chain_sim run --feature-log)")
        ->required();
    cmd->add_option("--hooks", o->hooks, "which hooks' rows")
        ->delimiter(',')
        ->capture_default_str();
    cmd->add_option("--out", o->out, "the model file to write")->required();
    cmd->callback([o] { run_calibrate(*o); });
}

}  // namespace mfd::tools
