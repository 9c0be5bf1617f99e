#pragma once
/// A trained (or freshly initialised) model held in host memory: its config, its float32
/// weights by name, the per-feature normalisation and the caller's metadata, with load and save
/// to safetensors. Scorer and train() turn it into Torch tensors; this header has no Torch types.
///
/// Tensor names (E experts, L hidden layers, in_e = expert_columns(config, e).size()):
///   norm.mean [F], norm.std [F]                      per-feature normalisation (x - mean) / std
///   gate.weight [E, F], gate.bias [E]                absent in a one-expert (dense) model
///   experts.{e}.layer{l}.weight [h_l, in], .bias [h_l]   in = in_e for l = 0, else h_{l-1}
///   experts.{e}.out.weight [1, h_{L-1}], experts.{e}.out.bias [1]
/// Weights are [out, in] like torch.nn.Linear, so Python can load them into such modules.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "models/config.hpp"

namespace mfd::models {

/// A row-major float32 tensor in host memory.
struct HostTensor {
    std::vector<std::int64_t> shape;
    std::vector<float> values;

    friend bool operator==(const HostTensor&, const HostTensor&) = default;
};

/// What a model file carries besides the weights. The strings come from the caller.
struct ModelInfo {
    std::string schema_version;          ///< version of the feature schema the model was fit on
    std::string thresholds_json = "{}";  ///< decision thresholds, a JSON document
    std::string metrics_json = "{}";     ///< training/evaluation metrics, a JSON document
};

/// The tensor names and shapes `config` needs, by name.
[[nodiscard]] std::map<std::string, std::vector<std::int64_t>> model_tensor_shapes(
    const MoeConfig& config);

/// An immutable set of weights plus its metadata. Copies share the weights (cheap). All const
/// members are safe to call from several threads; set_info is not (it changes this object only).
class Model {
public:
    /// Fresh weights drawn from `seed` with our own generator (identical on every platform):
    /// uniform ±1/√fan_in like torch.nn.Linear; normalisation mean 0, std 1. Fails with
    /// validate()'s error.
    [[nodiscard]] static core::Result<Model> initialise(const MoeConfig& config,
                                                        std::uint64_t seed);

    /// Adopts `tensors` after checking them: exactly the names of model_tensor_shapes, each with
    /// its shape, every value finite, every norm.std > 0. Fails with kInvalidArgument (bad
    /// config) or kCorruption naming the tensor.
    [[nodiscard]] static core::Result<Model> from_tensors(const MoeConfig& config,
                                                          std::map<std::string, HostTensor> tensors,
                                                          ModelInfo info);

    /// Loads a file written by save(). Fails with kNotFound (missing file), kCorruption
    /// (truncated or malformed file, not a model file, wrong shapes, unknown or non-F32 dtype,
    /// NaN/inf weights), kInvalidArgument when its schema version differs from
    /// `expected_schema_version`, or kIo. Every message names the file and the cause.
    [[nodiscard]] static core::Result<Model> load(const std::filesystem::path& path,
                                                  std::string_view expected_schema_version);

    /// Writes the model as safetensors, the metadata in `__metadata__` (format, format_version,
    /// schema_version, config, thresholds, metrics). Fails with kInvalidArgument when the
    /// thresholds or metrics are not valid JSON, or with kIo.
    [[nodiscard]] core::Result<void> save(const std::filesystem::path& path) const;

    [[nodiscard]] const MoeConfig& config() const noexcept;
    [[nodiscard]] const ModelInfo& info() const noexcept { return info_; }
    /// Replaces the metadata (thresholds and metrics are known only after evaluation).
    void set_info(ModelInfo info) { info_ = std::move(info); }

    /// Every tensor by name.
    [[nodiscard]] const std::map<std::string, HostTensor>& tensors() const noexcept;
    /// The tensor called `name`, or nullptr.
    [[nodiscard]] const HostTensor* tensor(std::string_view name) const noexcept;

private:
    struct Weights;
    Model(std::shared_ptr<const Weights> weights, ModelInfo info);

    std::shared_ptr<const Weights> weights_;
    ModelInfo info_;
};

inline constexpr std::string_view kModelFormat = "mfd-moe";
inline constexpr std::string_view kModelFormatVersion = "1";

}  // namespace mfd::models
