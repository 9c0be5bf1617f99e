#include "models/scorer.hpp"

namespace mfd::models {

std::vector<double> utilisation(const ScoreBatch& batch) {
    if (batch.rows == 0) return {};
    std::vector<double> used(batch.experts, 0.0);
    for (std::size_t r = 0; r < batch.rows; ++r) {
        for (std::size_t e = 0; e < batch.experts; ++e)
            used[e] += batch.selected[r * batch.experts + e];
    }
    for (auto& u : used) u /= static_cast<double>(batch.rows);
    return used;
}

std::vector<double> ScorerStats::utilisation() const {
    std::vector<double> out(expert_rows.size(), 0.0);
    if (rows == 0) return out;
    for (std::size_t e = 0; e < out.size(); ++e) {
        out[e] = static_cast<double>(expert_rows[e]) / static_cast<double>(rows);
    }
    return out;
}

const char* device_name(Device device) noexcept {
    switch (device) {
    case Device::kAuto:
        return "auto";
    case Device::kCpu:
        return "cpu";
    case Device::kCuda:
        return "cuda";
    }
    return "?";
}

core::Result<Device> parse_device(std::string_view name) {
    for (auto d : {Device::kAuto, Device::kCpu, Device::kCuda}) {
        if (name == device_name(d)) return d;
    }
    return core::fail(core::Errc::kInvalidArgument,
                      "device '" + std::string(name) + "' (expected auto, cpu or cuda)");
}

}  // namespace mfd::models
