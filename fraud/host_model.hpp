#pragma once
/// A plain C++ forward pass of a models::Model for one row at a time: the detector's
/// low-latency path (no LibTorch dispatch, no allocation once warm) and its feature
/// attributions. It computes what models::Scorer computes (same normalisation, gate, top-k
/// and mixing); batches go through the Scorer. Thread-safe: const after creation; each caller
/// brings its own HostScore.

#include <cstddef>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "models/model.hpp"

namespace mfd::fraud {

/// One row's result; reuse across calls so that scoring does not allocate.
struct HostScore {
    float logit = 0;        ///< Σ selected weight × expert logit
    float probability = 0;  ///< sigmoid(logit)
    std::vector<float> gate;           ///< softmax over all experts
    std::vector<float> weight;         ///< mixing weight (0 for experts not selected)
    std::vector<float> expert_logits;  ///< every expert's logit
    std::vector<float> normalised;     ///< the row after (x - mean) / std
    std::vector<float> scratch;
    std::vector<std::size_t> order;
};

class HostModel {
public:
    /// Copies the weights of `model` into the layout this class reads. Fails with
    /// kInvalidArgument when a tensor the config needs is missing.
    [[nodiscard]] static core::Result<HostModel> create(const models::Model& model);

    /// Scores `row` (n_features raw values). `row` must hold n_features finite values.
    void score(std::span<const float> row, HostScore& out) const;

    /// For every column, how much the mixed logit would drop if that column were at its
    /// training mean, with the gate's choice held fixed (Σ over the selected experts of
    /// weight × (logit - logit without the column)). `out` must have score() filled for the same
    /// row; `effects` gets n_features values.
    void feature_effects(HostScore& out, std::span<float> effects) const;

    [[nodiscard]] std::size_t n_features() const noexcept { return n_features_; }
    [[nodiscard]] std::size_t n_experts() const noexcept { return experts_.size(); }
    /// The columns expert `e` reads, in weight order.
    [[nodiscard]] const std::vector<std::size_t>& columns(std::size_t e) const {
        return experts_[e].columns;
    }

private:
    struct Layer {
        std::size_t in = 0;
        std::size_t out = 0;
        std::vector<float> w;  ///< [out, in]
        std::vector<float> b;  ///< [out]
    };
    struct Expert {
        std::vector<std::size_t> columns;
        std::vector<Layer> layers;  ///< hidden layers, then the output layer (out = 1)
    };

    [[nodiscard]] float expert_logit(const Expert& x, std::span<const float> first_pre,
                                     std::span<float> scratch) const;
    void first_layer(const Expert& x, std::span<const float> normalised,
                     std::span<float> pre) const;
    void route(HostScore& out) const;

    std::size_t n_features_ = 0;
    std::size_t active_ = 1;
    std::vector<float> mean_;
    std::vector<float> inv_std_;
    std::vector<float> gate_w_;  ///< [E, F], empty for a one-expert model
    std::vector<float> gate_b_;
    std::vector<Expert> experts_;
    std::size_t widest_ = 1;
};

}  // namespace mfd::fraud
