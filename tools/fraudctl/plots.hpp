#pragma once
/// `--plots DIR` of `fraudctl eval` and `fraudctl eval-accounts`: the ROC and precision-recall
/// curves of every scorer of the evaluation, one SVG file each (axis labels, grid, a legend
/// with each scorer's AUC), for docs and for looking at more than one number.
///
///   roc.svg    true-positive rate against the false-positive rate on a log axis (the ROC does
///              not depend on the prevalence);
///   pr_50.svg  precision against recall with the honest rows reweighted to prevalence 50 %;
///   pr_1.svg   the same at prevalence 1 % (fraud_evaluation's at_prevalence).

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace mfd::tools {

/// One scorer's curve: its name in the legend and its score per evaluated unit.
struct PlotSeries {
    std::string name;
    std::span<const float> scores;
};

/// Writes the three files into `dir` (created if missing) for `series` against 0/1 `labels`
/// (every series one score per label); `subject` names the data in each title. Returns the
/// paths written. Fails with kInvalidArgument when there is no series, a size differs or a
/// class is absent, kIo naming the file that could not be written.
[[nodiscard]] core::Result<std::vector<std::filesystem::path>> write_curve_plots(
    const std::filesystem::path& dir, const std::string& subject, std::span<const float> labels,
    const std::vector<PlotSeries>& series);

}  // namespace mfd::tools
