#pragma once
/// The ablation table of `fraudctl eval --ablations` and `fraudctl eval-accounts --ablations`:
/// what each part of the mixture contributes, every row scored on the same test rows.
///
/// Rows trained here, on the baseline's training rows with one set of options and seed (so they
/// differ only in the part named):
///   moe_top{k}     the evaluated model's architecture and regularisers, its top-k gate;
///   moe_top{k}_distilled  the same trained towards (1 - λ)·label + λ·teacher, the teacher
///                  being XGBoost's out-of-fold probability of each training row;
///   dense_gate     the same with every expert mixed by the gate's softmax (top-k 0);
///   uniform_gate   every expert mixed with equal weights, the gate held at zero;
///   expert_{group} one expert of that group alone: its group's columns and the shared ones
///                  (experts of one group read the same columns, so one per group);
///   dense_mlp      one MLP over every column with the MoE's active parameter count.
/// Rows of the evaluated file's own weights (no training):
///   model                   as served;
///   model_dense_gate        every expert, the gate's softmax weights;
///   model_uniform_gate      every expert, equal weights (the mean of their logits);
///   model_expert_{e}        expert e's logit alone.
/// XGBoost is added by the caller, which trains it on the same rows already.

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "fraud/training_set.hpp"
#include "models/model.hpp"

namespace mfd::tools {

/// One row of the table before its figures are computed.
struct AblationScores {
    std::string name;
    std::string origin;           ///< "trained" (fit here) or "model" (the evaluated file)
    std::string what;             ///< one line for people
    std::vector<float> scores;    ///< fraud probability per test row
    std::vector<double> routing;  ///< per expert, share of test rows that used it; empty: dense
};

/// How the trained rows are fit (fraudctl train's defaults).
struct AblationOptions {
    std::uint64_t seed = 1;
    std::size_t epochs = 40;
    std::size_t patience = 6;
    int threads = 2;
    float distill_weight = 0.5F;    ///< λ of the distilled row
    std::size_t distill_folds = 5;  ///< folds of the teacher's out-of-fold probabilities
};

/// Every row of the table for `model` on `test_rows` (row-major, kFeatures columns), the trained
/// ones fit on `train` (its weights used when it has one per row). `groups` keys the training
/// rows for the teacher's folds (an account's rows together; empty: by row). One line of
/// progress per trained row on stderr. Fails with the error of a training or scoring that
/// failed.
[[nodiscard]] core::Result<std::vector<AblationScores>> run_ablations(
    const models::Model& model, const fraud::TrainingSet& train, std::span<const float> test_rows,
    std::span<const std::uint64_t> groups = {}, const AblationOptions& options = {});

/// Prints the table (name, origin, ROC-AUC, PR-AUC, and at 1 % prevalence PR-AUC, precision at
/// recall 0.8 and recall at precision 0.9; routing shares) and returns it as a JSON array of
/// {"name", "origin", "what", "routing", then the figures}. `figures_of` turns a row's scores
/// into its figures: an object with "roc_auc", "pr_auc" and deployment_json's keys.
[[nodiscard]] nlohmann::ordered_json ablation_table(
    const std::vector<AblationScores>& rows,
    const std::function<nlohmann::ordered_json(const std::vector<float>&)>& figures_of);

}  // namespace mfd::tools
