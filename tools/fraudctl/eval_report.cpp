#include "tools/fraudctl/eval_report.hpp"

#include "tools/fraudctl/commands.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <vector>

namespace mfd::tools {

nlohmann::ordered_json report_json(const fraud::BinaryReport& r) {
    const auto& c = r.at_threshold;
    return {{"roc_auc", r.roc_auc},
            {"pr_auc", r.pr_auc},
            {"recall_at_fpr_0.001", r.recall_at_fpr_001},
            {"recall_at_fpr_0.01", r.recall_at_fpr_01},
            {"threshold", r.threshold},
            {"confusion", {{"tp", c.tp}, {"fp", c.fp}, {"tn", c.tn}, {"fn", c.fn}}}};
}

std::string report_line(const std::string& name, const fraud::BinaryReport& r) {
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "%-22s ROC-AUC %.4f  PR-AUC %.4f  recall@FPR0.1%% %.4f  "
                  "recall@FPR1%% %.4f",
                  name.c_str(), r.roc_auc, r.pr_auc, r.recall_at_fpr_001, r.recall_at_fpr_01);
    return buf;
}

namespace {

using json = nlohmann::ordered_json;

json number(double v) {
    return std::isfinite(v) ? json(v) : json(nullptr);
}

json pair(const fraud::Interval& i) {
    return json::array({number(i.low), number(i.high)});
}

double or_nan(const json& j) {
    return j.is_number() ? j.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

json deployment_json(std::span<const float> scores, std::span<const float> labels,
                     std::span<const std::uint64_t> units, const DeploymentOptions& options) {
    json out = json::object();
    std::optional<fraud::BootstrapIntervals> ci;
    if (options.resamples > 0) {
        ci = fraud::bootstrap_intervals(scores, labels, units, kPrevalences,
                                        {.resamples = options.resamples, .seed = options.seed});
        out["roc_auc_ci"] = pair(ci->roc_auc);
        out["pr_auc_ci"] = pair(ci->pr_auc);
        out["bootstrap_resamples"] = ci->resamples;
    }
    json at = json::object();
    for (std::size_t p = 0; p < std::size(kPrevalences); ++p) {
        const auto f = fraud::at_prevalence(scores, labels, kPrevalences[p]);
        json entry = {{"pr_auc", number(f.pr_auc)}};
        if (ci) entry["pr_auc_ci"] = pair(ci->pr_auc_at[p]);
        entry["precision_at_recall_0.5"] = number(f.precision_at_recall_05);
        entry["precision_at_recall_0.8"] = number(f.precision_at_recall_08);
        entry["recall_at_precision_0.9"] = number(f.recall_at_precision_09);
        at[kPrevalenceKeys[p]] = std::move(entry);
    }
    out["at_prevalence"] = std::move(at);
    return out;
}

void add_deployment_options(CLI::App& cmd, DeploymentOptions& options) {
    cmd.add_option("--bootstrap", options.resamples,
                   "bootstrap resamples for the 95 % intervals of every AUC (0: none)")
        ->capture_default_str();
    cmd.add_option("--bootstrap-seed", options.seed, "seed of the bootstrap")
        ->capture_default_str();
}

void write_json(const std::string& path, const json& figures) {
    if (path.empty()) return;
    std::ofstream out(path);
    out << figures.dump(2) << "\n";
    if (!out) {
        std::cerr << "fraudctl: cannot write " << path << "\n";
        throw CLI::RuntimeError(kExitUsage);
    }
}

std::string deployment_lines(const json& figures) {
    std::string out;
    char buf[240];
    if (figures.contains("roc_auc_ci")) {
        const auto& r = figures["roc_auc_ci"];
        const auto& a = figures["pr_auc_ci"];
        std::snprintf(buf, sizeof buf,
                      "    95 %% intervals: ROC-AUC [%.4f, %.4f]  PR-AUC [%.4f, %.4f]\n",
                      or_nan(r[0]), or_nan(r[1]), or_nan(a[0]), or_nan(a[1]));
        out += buf;
    }
    for (const auto& [key, f] : figures["at_prevalence"].items()) {
        const double ap = or_nan(f["pr_auc"]);
        std::snprintf(buf, sizeof buf, "    at prevalence %-5s PR-AUC %.4f", key.c_str(), ap);
        out += buf;
        if (f.contains("pr_auc_ci")) {
            std::snprintf(buf, sizeof buf, " [%.4f, %.4f]", or_nan(f["pr_auc_ci"][0]),
                          or_nan(f["pr_auc_ci"][1]));
            out += buf;
        }
        std::snprintf(buf, sizeof buf,
                      "  precision@recall0.5 %.4f  precision@recall0.8 %.4f  "
                      "recall@precision0.9 %.4f\n",
                      or_nan(f["precision_at_recall_0.5"]), or_nan(f["precision_at_recall_0.8"]),
                      or_nan(f["recall_at_precision_0.9"]));
        out += buf;
    }
    return out;
}

}  // namespace mfd::tools
