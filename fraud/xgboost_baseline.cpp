#include "fraud/xgboost_baseline.hpp"

#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "fraud/training_set.hpp"

namespace mfd::fraud {
namespace {

core::Result<void> check(int rc, const char* what) {
    if (rc == 0) return {};
    return core::fail(core::Errc::kInternal,
                      std::string("xgboost: ") + what + ": " + XGBGetLastError());
}

/// Owns a DMatrix handle.
struct Matrix {
    DMatrixHandle h = nullptr;
    ~Matrix() {
        if (h) XGDMatrixFree(h);
    }
};

core::Result<void> make_matrix(std::span<const float> rows, std::size_t n_features, Matrix& m) {
    const auto n = static_cast<bst_ulong>(rows.size() / n_features);
    // NaN marks a missing value; our rows have none (masked groups are zeros with a bit).
    return check(XGDMatrixCreateFromMat(rows.data(), n, n_features, std::nanf(""), &m.h),
                 "cannot build the matrix");
}

}  // namespace

struct XgbModel::Impl {
    BoosterHandle booster = nullptr;
    std::size_t n_features = 0;
    ~Impl() {
        if (booster) XGBoosterFree(booster);
    }
};

XgbModel::XgbModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XgbModel::XgbModel(XgbModel&&) noexcept = default;
XgbModel& XgbModel::operator=(XgbModel&&) noexcept = default;
XgbModel::~XgbModel() = default;

core::Result<XgbModel> XgbModel::train(std::span<const float> rows, std::size_t n_features,
                                       std::span<const float> labels,
                                       std::span<const float> weights, const XgbOptions& o) {
    if (n_features == 0 || labels.empty() || rows.size() != labels.size() * n_features ||
        (!weights.empty() && weights.size() != labels.size())) {
        return core::fail(core::Errc::kInvalidArgument,
                          "xgboost: rows, labels and weights do not match (or are empty)");
    }
    Matrix m;
    if (auto r = make_matrix(rows, n_features, m); !r) return core::fail(r.error());
    const auto n = static_cast<bst_ulong>(labels.size());
    if (auto r = check(XGDMatrixSetFloatInfo(m.h, "label", labels.data(), n), "labels"); !r) {
        return core::fail(r.error());
    }
    if (!weights.empty()) {
        if (auto r = check(XGDMatrixSetFloatInfo(m.h, "weight", weights.data(), n), "weights");
            !r) {
            return core::fail(r.error());
        }
    }
    auto impl = std::make_unique<Impl>();
    impl->n_features = n_features;
    if (auto r = check(XGBoosterCreate(&m.h, 1, &impl->booster), "cannot create"); !r) {
        return core::fail(r.error());
    }
    const std::pair<const char*, std::string> params[] = {
        {"objective", "binary:logistic"},
        {"tree_method", "hist"},
        {"max_depth", std::to_string(o.max_depth)},
        {"eta", std::to_string(o.eta)},
        {"subsample", std::to_string(o.subsample)},
        {"colsample_bytree", std::to_string(o.colsample)},
        {"min_child_weight", std::to_string(o.min_child_weight)},
        {"seed", std::to_string(o.seed)},
        {"nthread", std::to_string(o.threads)},
        {"verbosity", "0"},
    };
    for (const auto& [key, value] : params) {
        if (auto r = check(XGBoosterSetParam(impl->booster, key, value.c_str()), key); !r) {
            return core::fail(r.error());
        }
    }
    for (int i = 0; i < o.rounds; ++i) {
        if (auto r = check(XGBoosterUpdateOneIter(impl->booster, i, m.h), "training"); !r) {
            return core::fail(r.error());
        }
    }
    return XgbModel(std::move(impl));
}

core::Result<std::vector<float>> XgbModel::predict(std::span<const float> rows) const {
    if (rows.size() % impl_->n_features != 0) {
        return core::fail(core::Errc::kInvalidArgument,
                          "xgboost: rows are not a whole number of feature rows");
    }
    if (rows.empty()) return std::vector<float>{};
    Matrix m;
    if (auto r = make_matrix(rows, impl_->n_features, m); !r) return core::fail(r.error());
    bst_ulong len = 0;
    const float* out = nullptr;
    if (auto r = check(XGBoosterPredict(impl_->booster, m.h, 0, 0, 0, &len, &out), "predict"); !r) {
        return core::fail(r.error());
    }
    return std::vector<float>(out, out + len);
}

core::Result<std::vector<float>> out_of_fold_predictions(
    std::span<const float> rows, std::size_t n_features, std::span<const float> labels,
    std::span<const float> weights, std::span<const std::uint64_t> groups, std::size_t folds,
    const XgbOptions& options) {
    const std::size_t n = labels.size();
    if (folds < 2 || (!groups.empty() && groups.size() != n) || n_features == 0 ||
        rows.size() != n * n_features || (!weights.empty() && weights.size() != n)) {
        return core::fail(core::Errc::kInvalidArgument,
                          "xgboost: out-of-fold needs >= 2 folds and matching rows, labels, "
                          "weights and groups");
    }
    // Groups in the order of a seeded hash, dealt to the parts in turn: balanced parts, and
    // every part non-empty when there are at least `folds` groups.
    auto key = [&](std::size_t i) { return groups.empty() ? std::uint64_t{i} : groups[i]; };
    std::vector<std::uint64_t> keys(n);
    for (std::size_t i = 0; i < n; ++i) keys[i] = key(i);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::stable_sort(keys.begin(), keys.end(), [&](std::uint64_t a, std::uint64_t b) {
        return unit_hash(a, options.seed) < unit_hash(b, options.seed);
    });
    std::unordered_map<std::uint64_t, std::size_t> part_of;
    for (std::size_t r = 0; r < keys.size(); ++r) part_of[keys[r]] = r % folds;
    std::vector<std::size_t> part(n);
    for (std::size_t i = 0; i < n; ++i) part[i] = part_of[key(i)];
    std::vector<float> out(n, 0.0F);
    for (std::size_t f = 0; f < folds; ++f) {
        std::vector<float> fit_rows, fit_labels, fit_weights, held_rows;
        std::vector<std::size_t> held;
        for (std::size_t i = 0; i < n; ++i) {
            const auto row = rows.subspan(i * n_features, n_features);
            if (part[i] == f) {
                held.push_back(i);
                held_rows.insert(held_rows.end(), row.begin(), row.end());
                continue;
            }
            fit_rows.insert(fit_rows.end(), row.begin(), row.end());
            fit_labels.push_back(labels[i]);
            if (!weights.empty()) fit_weights.push_back(weights[i]);
        }
        if (held.empty()) continue;
        if (fit_labels.empty()) {
            return core::fail(core::Errc::kInvalidArgument,
                              "xgboost: out-of-fold needs rows of two groups or more");
        }
        auto model = XgbModel::train(fit_rows, n_features, fit_labels, fit_weights, options);
        if (!model) return core::fail(model.error());
        auto p = model->predict(held_rows);
        if (!p) return core::fail(p.error());
        for (std::size_t k = 0; k < held.size(); ++k) out[held[k]] = (*p)[k];
    }
    return out;
}

}  // namespace mfd::fraud
