#include "fraud/xgboost_baseline.hpp"

#include <xgboost/c_api.h>

#include <cmath>
#include <string>

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

}  // namespace mfd::fraud
