#include "tools/fraudctl/ablations.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>

#include "fraud/feature_schema.hpp"
#include "fraud/xgboost_baseline.hpp"
#include "models/scorer.hpp"
#include "models/train.hpp"

namespace mfd::tools {
namespace {

using core::fail;
using json = nlohmann::ordered_json;

/// One architecture to fit: its config and whether its gate is held uniform.
struct Variant {
    std::string name;
    std::string what;
    models::MoeConfig config;
    bool uniform_gate = false;
    bool distilled = false;  ///< trained towards the teacher's probabilities
};

std::vector<Variant> trained_variants(const models::MoeConfig& c) {
    std::vector<Variant> out;
    if (c.is_dense()) {
        out.push_back({"dense_mlp", "the evaluated dense architecture", c});
        return out;
    }
    const bool all_experts = c.active_experts() == c.total_experts();
    auto dense_gate = c;
    dense_gate.top_k = 0;
    if (!all_experts) {
        out.push_back({"moe_top" + std::to_string(c.top_k), "the MoE, top-k gate", c});
        out.push_back({"moe_top" + std::to_string(c.top_k) + "_distilled",
                       "the MoE, top-k gate, distilled from XGBoost", c, false, true});
    }
    out.push_back({"dense_gate", "every expert, weighted by the gate's softmax", dense_gate});
    out.push_back({"uniform_gate", "every expert, equal weights (gate fixed)", dense_gate, true});
    for (const auto& g : c.groups) {
        auto alone = c;
        alone.groups = {g};
        alone.groups[0].experts = 1;
        alone.top_k = 1;
        out.push_back(
            {"expert_" + g.name, "one " + g.name + " expert alone (its group + shared)", alone});
    }
    out.push_back({"dense_mlp", "one MLP over every column, equal active parameters",
                   models::dense_baseline(c)});
    return out;
}

float sigmoid(double x) {
    return static_cast<float>(1.0 / (1.0 + std::exp(-x)));
}

/// The rows of the evaluated model's own weights, from one scoring of the test rows.
std::vector<AblationScores> model_rows(const models::Model& model, const models::ScoreBatch& b) {
    std::vector<AblationScores> out;
    out.push_back({"model", "model", "the evaluated file as served", b.probability,
                   model.config().is_dense() ? std::vector<double>{} : models::utilisation(b)});
    if (model.config().is_dense()) return out;
    const auto e = b.experts;
    const std::vector<double> every(e, 1.0);
    AblationScores dense{
        "model_dense_gate", "model", "its experts, the gate's softmax weights", {}, every};
    AblationScores uniform{"model_uniform_gate", "model", "its experts, equal weights", {}, every};
    std::vector<AblationScores> alone(e);
    for (std::size_t j = 0; j < e; ++j) {
        std::vector<double> one(e, 0.0);
        one[j] = 1.0;
        alone[j] = {"model_expert_" + std::to_string(j),
                    "model",
                    "its expert " + std::to_string(j) + "'s logit alone",
                    {},
                    std::move(one)};
    }
    for (std::size_t r = 0; r < b.rows; ++r) {
        const auto logits = b.logits(r);
        const auto gate = b.gate(r);
        double mixed = 0, mean = 0;
        for (std::size_t j = 0; j < e; ++j) {
            mixed += static_cast<double>(gate[j]) * logits[j];
            mean += logits[j];
            alone[j].scores.push_back(sigmoid(logits[j]));
        }
        dense.scores.push_back(sigmoid(mixed));
        uniform.scores.push_back(sigmoid(mean / static_cast<double>(e)));
    }
    out.push_back(std::move(dense));
    out.push_back(std::move(uniform));
    for (auto& a : alone) out.push_back(std::move(a));
    return out;
}

core::Result<models::ScoreBatch> score(const models::Model& model, std::span<const float> rows) {
    auto scorer = models::Scorer::create(model, {.device = models::Device::kCpu});
    if (!scorer) return fail(scorer.error());
    return scorer->score(rows);
}

/// "0.123" or "-" for a figure that is absent or not a number.
std::string figure(const json& j) {
    if (!j.is_number()) return "-";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.4f", j.get<double>());
    return buf;
}

}  // namespace

core::Result<std::vector<AblationScores>> run_ablations(const models::Model& model,
                                                        const fraud::TrainingSet& train,
                                                        std::span<const float> test_rows,
                                                        std::span<const std::uint64_t> groups,
                                                        const AblationOptions& options) {
    auto own = score(model, test_rows);
    if (!own) return fail(own.error());
    auto out = model_rows(model, *own);
    models::TrainOptions t;
    t.seed = options.seed;
    t.max_epochs = options.epochs;
    t.patience = options.patience;
    t.threads = options.threads;
    const std::span<const float> weights = train.weights.size() == train.size()
                                               ? std::span<const float>(train.weights)
                                               : std::span<const float>();
    std::vector<float> teacher;
    for (const auto& v : trained_variants(model.config())) {
        if (v.distilled && teacher.empty()) {
            std::cerr << "ablations: the teacher's out-of-fold probabilities ("
                      << options.distill_folds << " folds)\n";
            auto p =
                fraud::out_of_fold_predictions(train.rows.values, fraud::kFeatures, train.labels,
                                               weights, groups, options.distill_folds);
            if (!p) return fail(p.error());
            teacher = std::move(*p);
        }
        std::cerr << "ablations: training " << v.name << " on " << train.size() << " rows\n";
        t.uniform_gate = v.uniform_gate;
        t.distill_weight = v.distilled ? options.distill_weight : 0.0F;
        const std::span<const float> targets =
            v.distilled ? std::span<const float>(teacher) : std::span<const float>();
        auto fit = models::train(v.config, {train.rows.values, train.labels, weights, targets}, t);
        if (!fit) return fail(fit.error());
        auto b = score(fit->model, test_rows);
        if (!b) return fail(b.error());
        out.push_back({v.name, "trained", v.what, std::move(b->probability),
                       v.config.is_dense() ? std::vector<double>{} : models::utilisation(*b)});
    }
    return out;
}

json ablation_table(const std::vector<AblationScores>& rows,
                    const std::function<json(const std::vector<float>&)>& figures_of) {
    json table = json::array();
    std::printf(
        "ablations (trained: fit here on the baseline's training rows; model: the "
        "evaluated file's weights)\n");
    std::printf("  %-20s %-8s %8s %8s %10s %10s %10s  routing\n", "name", "origin", "ROC-AUC",
                "PR-AUC", "PR-AUC@1%", "P@R0.8@1%", "R@P0.9@1%");
    for (const auto& r : rows) {
        json entry = {
            {"name", r.name}, {"origin", r.origin}, {"what", r.what}, {"routing", r.routing}};
        entry.update(figures_of(r.scores));
        const json& at = entry.contains("at_prevalence") ? entry["at_prevalence"]["0.01"] : json();
        auto at_key = [&](const char* key) { return at.is_object() ? figure(at[key]) : "-"; };
        std::string routing;
        for (double u : r.routing) {
            char buf[16];
            std::snprintf(buf, sizeof buf, " %.3f", u);
            routing += buf;
        }
        std::printf("  %-20s %-8s %8s %8s %10s %10s %10s %s\n", r.name.c_str(), r.origin.c_str(),
                    figure(entry["roc_auc"]).c_str(), figure(entry["pr_auc"]).c_str(),
                    at_key("pr_auc").c_str(), at_key("precision_at_recall_0.8").c_str(),
                    at_key("recall_at_precision_0.9").c_str(), routing.c_str());
        table.push_back(std::move(entry));
    }
    return table;
}

}  // namespace mfd::tools
