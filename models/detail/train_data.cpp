#include "models/detail/train_data.hpp"

#include <cmath>

namespace mfd::models::detail {
namespace {

using core::Errc;
using core::fail;

core::Unexpected bad(const std::string& what) {
    return fail(Errc::kInvalidArgument, "train: " + what);
}

}  // namespace

core::Result<void> check_data(const MoeConfig& config, const TrainData& data) {
    const std::size_t f = config.n_features;
    const std::size_t n = data.labels.size();
    if (n < 2 || data.rows.size() != n * f) {
        return bad(std::to_string(data.rows.size()) + " floats for " + std::to_string(n) +
                   " labels of " + std::to_string(f) + " features (need >= 2 rows)");
    }
    if (!data.weights.empty() && data.weights.size() != n) {
        return bad(std::to_string(data.weights.size()) + " weights for " + std::to_string(n) +
                   " rows");
    }
    if (!data.teacher.empty() && data.teacher.size() != n) {
        return bad(std::to_string(data.teacher.size()) + " teacher probabilities for " +
                   std::to_string(n) + " rows");
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (!data.teacher.empty() && !(data.teacher[i] >= 0.0F && data.teacher[i] <= 1.0F)) {
            return bad("teacher probability of row " + std::to_string(i) + " is not in [0, 1]");
        }
        if (data.labels[i] != 0.0F && data.labels[i] != 1.0F) {
            return bad("label of row " + std::to_string(i) + " is not 0 or 1");
        }
        if (!data.weights.empty() && !(std::isfinite(data.weights[i]) && data.weights[i] >= 0)) {
            return bad("weight of row " + std::to_string(i) + " is negative or not finite");
        }
    }
    for (std::size_t i = 0; i < data.rows.size(); ++i) {
        if (!std::isfinite(data.rows[i])) {
            return bad("row " + std::to_string(i / f) + ", feature " + std::to_string(i % f) +
                       " is NaN or infinite");
        }
    }
    return {};
}

core::Result<void> check_options(const TrainOptions& o) {
    if (o.batch_size == 0 || o.max_epochs == 0) return bad("batch_size and max_epochs must be > 0");
    if (!(o.learning_rate > 0) || !std::isfinite(o.learning_rate)) return bad("learning_rate");
    if (!(o.weight_decay >= 0) || !std::isfinite(o.weight_decay)) return bad("weight_decay");
    if (!(o.validation_fraction >= 0 && o.validation_fraction < 1)) {
        return bad("validation_fraction must be in [0, 1)");
    }
    if (!(o.focal_gamma >= 0) || !std::isfinite(o.focal_gamma)) return bad("focal_gamma");
    if (o.threads < 0) return bad("threads must be >= 0");
    if (!(o.distill_weight >= 0 && o.distill_weight <= 1)) {
        return bad("distill_weight must be in [0, 1]");
    }
    return {};
}

Split stratified_split(std::span<const float> labels, float fraction, Rng& rng) {
    Split split;
    for (float cls : {0.0F, 1.0F}) {
        std::vector<std::size_t> rows;
        for (std::size_t i = 0; i < labels.size(); ++i) {
            if (labels[i] == cls) rows.push_back(i);
        }
        rng.shuffle(rows);
        const auto n_val = static_cast<std::size_t>(
            std::llround(static_cast<double>(fraction) * static_cast<double>(rows.size())));
        split.val.insert(split.val.end(), rows.begin(), rows.begin() + n_val);
        split.train.insert(split.train.end(), rows.begin() + n_val, rows.end());
    }
    return split;
}

Normalisation fit_normalisation(std::span<const float> rows, std::size_t n_features,
                                const std::vector<std::size_t>& indices) {
    std::vector<double> sum(n_features, 0.0);
    std::vector<double> sq(n_features, 0.0);
    for (auto i : indices) {
        for (std::size_t c = 0; c < n_features; ++c) sum[c] += rows[i * n_features + c];
    }
    const auto n = static_cast<double>(std::max<std::size_t>(indices.size(), 1));
    for (auto& s : sum) s /= n;
    for (auto i : indices) {
        for (std::size_t c = 0; c < n_features; ++c) {
            const double d = rows[i * n_features + c] - sum[c];
            sq[c] += d * d;
        }
    }
    Normalisation norm;
    for (std::size_t c = 0; c < n_features; ++c) {
        const double sd = std::sqrt(sq[c] / n);
        norm.mean.push_back(static_cast<float>(sum[c]));
        norm.std.push_back(sd > 1e-6 ? static_cast<float>(sd) : 1.0F);
    }
    return norm;
}

std::vector<float> loss_weights(const TrainData& data, const Split& split, bool class_weighting) {
    std::vector<float> w(data.labels.size(), 1.0F);
    if (!data.weights.empty()) w.assign(data.weights.begin(), data.weights.end());
    if (!class_weighting) return w;
    double class_total[2] = {0, 0};
    for (auto i : split.train) class_total[data.labels[i] == 1.0F ? 1 : 0] += w[i];
    const double total = class_total[0] + class_total[1];
    for (std::size_t i = 0; i < w.size(); ++i) {
        const double t = class_total[data.labels[i] == 1.0F ? 1 : 0];
        w[i] = t > 0 ? static_cast<float>(w[i] * total / (2.0 * t)) : w[i];
    }
    return w;
}

}  // namespace mfd::models::detail
