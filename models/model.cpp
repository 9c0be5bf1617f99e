#include "models/model.hpp"

#include <cmath>

#include "models/detail/rng.hpp"

namespace mfd::models {

struct Model::Weights {
    MoeConfig config;
    std::map<std::string, HostTensor> tensors;
};

namespace {

using core::Errc;
using core::fail;
using Shape = std::vector<std::int64_t>;

std::int64_t i64(std::size_t v) {
    return static_cast<std::int64_t>(v);
}

std::string shape_text(const Shape& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        s += (i ? ", " : "") + std::to_string(shape[i]);
    }
    return s + "]";
}

std::size_t element_count(const Shape& shape) {
    std::size_t n = 1;
    for (auto d : shape) n *= static_cast<std::size_t>(d);
    return n;
}

HostTensor uniform_tensor(const Shape& shape, float bound, detail::Rng& rng) {
    HostTensor t{shape, std::vector<float>(element_count(shape))};
    for (auto& v : t.values) v = (2.0F * rng.uniform() - 1.0F) * bound;
    return t;
}

HostTensor filled_tensor(const Shape& shape, float value) {
    return {shape, std::vector<float>(element_count(shape), value)};
}

core::Result<void> check_values(const std::string& name, const HostTensor& t) {
    for (std::size_t i = 0; i < t.values.size(); ++i) {
        if (!std::isfinite(t.values[i])) {
            return fail(Errc::kCorruption, "tensor '" + name + "' holds a NaN or infinity at " +
                                               "element " + std::to_string(i));
        }
        if (name == "norm.std" && t.values[i] <= 0.0F) {
            return fail(Errc::kCorruption,
                        "tensor 'norm.std' is not positive at feature " + std::to_string(i));
        }
    }
    return {};
}

core::Result<void> check_tensors(const MoeConfig& config,
                                 const std::map<std::string, HostTensor>& tensors) {
    const auto shapes = model_tensor_shapes(config);
    for (const auto& [name, shape] : shapes) {
        const auto it = tensors.find(name);
        if (it == tensors.end()) {
            return fail(Errc::kCorruption, "tensor '" + name + "' is missing");
        }
        if (it->second.shape != shape || it->second.values.size() != element_count(shape)) {
            return fail(Errc::kCorruption, "tensor '" + name + "' has shape " +
                                               shape_text(it->second.shape) + ", config needs " +
                                               shape_text(shape));
        }
        if (auto r = check_values(name, it->second); !r) return r;
    }
    for (const auto& [name, t] : tensors) {
        if (!shapes.contains(name)) {
            return fail(Errc::kCorruption, "tensor '" + name + "' is not part of this config");
        }
    }
    return {};
}

}  // namespace

std::map<std::string, Shape> model_tensor_shapes(const MoeConfig& config) {
    std::map<std::string, Shape> shapes;
    const auto f = i64(config.n_features);
    const auto e_total = config.total_experts();
    shapes["norm.mean"] = {f};
    shapes["norm.std"] = {f};
    if (!config.is_dense()) {
        shapes["gate.weight"] = {i64(e_total), f};
        shapes["gate.bias"] = {i64(e_total)};
    }
    for (std::size_t e = 0; e < e_total; ++e) {
        const auto prefix = "experts." + std::to_string(e) + ".";
        auto in = i64(expert_columns(config, e).size());
        for (std::size_t l = 0; l < config.hidden.size(); ++l) {
            const auto h = i64(config.hidden[l]);
            shapes[prefix + "layer" + std::to_string(l) + ".weight"] = {h, in};
            shapes[prefix + "layer" + std::to_string(l) + ".bias"] = {h};
            in = h;
        }
        shapes[prefix + "out.weight"] = {1, in};
        shapes[prefix + "out.bias"] = {1};
    }
    return shapes;
}

Model::Model(std::shared_ptr<const Weights> weights, ModelInfo info)
    : weights_(std::move(weights)), info_(std::move(info)) {}

core::Result<Model> Model::initialise(const MoeConfig& config, std::uint64_t seed) {
    if (auto r = validate(config); !r) return fail(r.error());
    detail::Rng rng(seed);
    const auto shapes = model_tensor_shapes(config);
    std::map<std::string, HostTensor> tensors;
    for (const auto& [name, shape] : shapes) {
        if (name == "norm.mean" || name == "norm.std") {
            tensors[name] = filled_tensor(shape, name == "norm.std" ? 1.0F : 0.0F);
            continue;
        }
        // A weight [out, in] and its bias share the bound 1/sqrt(in) of their layer.
        const auto layer = name.substr(0, name.rfind('.'));
        const auto fan_in = static_cast<float>(shapes.at(layer + ".weight")[1]);
        tensors[name] = uniform_tensor(shape, 1.0F / std::sqrt(fan_in), rng);
    }
    return from_tensors(config, std::move(tensors), {});
}

core::Result<Model> Model::from_tensors(const MoeConfig& config,
                                        std::map<std::string, HostTensor> tensors, ModelInfo info) {
    if (auto r = validate(config); !r) return fail(r.error());
    if (auto r = check_tensors(config, tensors); !r) return fail(r.error());
    auto weights = std::make_shared<Weights>(Weights{config, std::move(tensors)});
    return Model(std::move(weights), std::move(info));
}

const MoeConfig& Model::config() const noexcept {
    return weights_->config;
}

const std::map<std::string, HostTensor>& Model::tensors() const noexcept {
    return weights_->tensors;
}

const HostTensor* Model::tensor(std::string_view name) const noexcept {
    const auto it = weights_->tensors.find(std::string(name));
    return it == weights_->tensors.end() ? nullptr : &it->second;
}

}  // namespace mfd::models
