#include <bit>
#include <cstring>
#include <nlohmann/json.hpp>

#include "models/model.hpp"
#include "models/safetensors.hpp"

namespace mfd::models {
namespace {

using core::Errc;
using core::fail;

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; a big-endian host needs byte swapping here");

SafeTensor to_safe(const std::string& name, const HostTensor& t) {
    SafeTensor s{name, Dtype::kF32, {}, core::Bytes(t.values.size() * sizeof(float))};
    for (auto d : t.shape) s.shape.push_back(static_cast<std::uint64_t>(d));
    std::memcpy(s.data.data(), t.values.data(), s.data.size());
    return s;
}

core::Result<HostTensor> from_safe(const SafeTensor& s) {
    if (s.dtype != Dtype::kF32) {
        return fail(Errc::kCorruption, "tensor '" + s.name + "' has dtype " +
                                           std::string(dtype_name(s.dtype)) + ", expected F32");
    }
    HostTensor t{{}, std::vector<float>(s.data.size() / sizeof(float))};
    for (auto d : s.shape) {
        if (d > static_cast<std::uint64_t>(INT64_MAX)) {
            return fail(Errc::kCorruption, "tensor '" + s.name + "' has an oversized dimension");
        }
        t.shape.push_back(static_cast<std::int64_t>(d));
    }
    std::memcpy(t.values.data(), s.data.data(), t.values.size() * sizeof(float));
    return t;
}

bool is_json(const std::string& text) {
    return nlohmann::json::accept(text);
}

core::Result<std::string> metadata_field(const SafetensorsFile& file, const std::string& key) {
    const auto it = file.metadata.find(key);
    if (it == file.metadata.end()) {
        return fail(Errc::kCorruption, "__metadata__ has no '" + key + "'");
    }
    return it->second;
}

core::Result<ModelInfo> read_info(const SafetensorsFile& file, std::string_view expected_schema) {
    auto format = metadata_field(file, "format");
    auto version = metadata_field(file, "format_version");
    if (!format || *format != kModelFormat) {
        return fail(Errc::kCorruption, "not an " + std::string(kModelFormat) + " model file");
    }
    if (!version || *version != kModelFormatVersion) {
        return fail(Errc::kCorruption, "unsupported model format version '" + version.value_or("") +
                                           "' (this build reads " +
                                           std::string(kModelFormatVersion) + ")");
    }
    ModelInfo info;
    for (auto [key, field] : {std::pair{"schema_version", &info.schema_version},
                              std::pair{"thresholds", &info.thresholds_json},
                              std::pair{"metrics", &info.metrics_json}}) {
        auto value = metadata_field(file, key);
        if (!value) return fail(value.error());
        *field = std::move(*value);
    }
    if (info.schema_version != expected_schema) {
        return fail(Errc::kInvalidArgument, "feature schema version '" + info.schema_version +
                                                "', but the caller expects '" +
                                                std::string(expected_schema) + "'");
    }
    return info;
}

core::Result<Model> model_from_file(const SafetensorsFile& file, std::string_view expected_schema) {
    auto info = read_info(file, expected_schema);
    if (!info) return fail(info.error());
    auto config_json = metadata_field(file, "config");
    if (!config_json) return fail(config_json.error());
    auto config = config_from_json(*config_json);
    if (!config) return fail(config.error());
    std::map<std::string, HostTensor> tensors;
    for (const auto& s : file.tensors) {
        auto t = from_safe(s);
        if (!t) return fail(t.error());
        tensors.emplace(s.name, std::move(*t));
    }
    return Model::from_tensors(*config, std::move(tensors), std::move(*info));
}

}  // namespace

core::Result<Model> Model::load(const std::filesystem::path& path,
                                std::string_view expected_schema_version) {
    auto with_path = [&](const core::Error& e) {
        return fail(e.code, "model file " + path.string() + ": " + e.message);
    };
    auto file = read_safetensors(path);
    if (!file) return with_path(file.error());
    auto model = model_from_file(*file, expected_schema_version);
    if (!model) return with_path(model.error());
    return model;
}

core::Result<void> Model::save(const std::filesystem::path& path) const {
    if (!is_json(info_.thresholds_json) || !is_json(info_.metrics_json)) {
        return fail(Errc::kInvalidArgument, "model thresholds and metrics must be JSON documents");
    }
    SafetensorsFile file;
    for (const auto& [name, t] : tensors()) file.tensors.push_back(to_safe(name, t));
    file.metadata = {{"format", std::string(kModelFormat)},
                     {"format_version", std::string(kModelFormatVersion)},
                     {"schema_version", info_.schema_version},
                     {"config", to_json(config())},
                     {"thresholds", info_.thresholds_json},
                     {"metrics", info_.metrics_json}};
    auto r = write_safetensors(path, file);
    if (!r) return fail(r.error().code, "model file " + path.string() + ": " + r.error().message);
    return {};
}

}  // namespace mfd::models
