#include "tools/fraudctl/eval_report.hpp"

#include <cstdio>

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
    std::snprintf(buf, sizeof buf, "%-22s ROC-AUC %.4f  PR-AUC %.4f  recall@FPR0.1%% %.4f  "
                  "recall@FPR1%% %.4f", name.c_str(), r.roc_auc, r.pr_auc, r.recall_at_fpr_001,
                  r.recall_at_fpr_01);
    return buf;
}

}  // namespace mfd::tools
