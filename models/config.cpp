#include "models/config.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "json/bounded_json.hpp"

namespace mfd::models {
namespace {

using core::Errc;
using core::fail;

/// A model config is one object of scalars and arrays (groups: an array of objects).
constexpr std::size_t kMaxConfigDepth = 8;

core::Result<void> validate_groups(const MoeConfig& c) {
    if (c.groups.empty()) return fail(Errc::kInvalidArgument, "config: no feature groups");
    std::set<std::string> names;
    for (const auto& g : c.groups) {
        if (g.name.empty()) return fail(Errc::kInvalidArgument, "config: a group has no name");
        if (!names.insert(g.name).second) {
            return fail(Errc::kInvalidArgument, "config: duplicate group name '" + g.name + "'");
        }
        if (g.size == 0 || g.offset >= c.n_features || g.size > c.n_features - g.offset) {
            return fail(Errc::kInvalidArgument,
                        "config: group '" + g.name + "' (offset " + std::to_string(g.offset) +
                            ", size " + std::to_string(g.size) + ") is empty or outside the " +
                            std::to_string(c.n_features) + " features");
        }
        if (g.experts == 0 || g.experts > kMaxExpertsPerGroup) {
            return fail(Errc::kInvalidArgument, "config: group '" + g.name + "' has " +
                                                    std::to_string(g.experts) + " experts");
        }
    }
    return {};
}

core::Result<void> validate_columns_and_widths(const MoeConfig& c) {
    std::set<std::size_t> seen;
    for (auto col : c.shared_columns) {
        if (col >= c.n_features || !seen.insert(col).second) {
            return fail(Errc::kInvalidArgument, "config: shared column " + std::to_string(col) +
                                                    " is outside the row or repeated");
        }
    }
    if (c.hidden.empty() || c.hidden.size() > 4) {
        return fail(Errc::kInvalidArgument, "config: experts need 1 to 4 hidden layers");
    }
    for (auto h : c.hidden) {
        if (h == 0 || h > kMaxHidden) {
            return fail(Errc::kInvalidArgument, "config: hidden width " + std::to_string(h));
        }
    }
    return {};
}

core::Result<void> validate_scalars(const MoeConfig& c) {
    if (c.top_k > 2) {
        return fail(Errc::kInvalidArgument,
                    "config: top_k " + std::to_string(c.top_k) + " (allowed: 0, 1, 2)");
    }
    auto non_negative = [](float v) { return std::isfinite(v) && v >= 0.0F; };
    if (!non_negative(c.gate_noise_std)) {
        return fail(Errc::kInvalidArgument, "config: gate_noise_std must be finite and >= 0");
    }
    if (!non_negative(c.balance_alpha)) {
        return fail(Errc::kInvalidArgument, "config: balance_alpha must be finite and >= 0");
    }
    if (!non_negative(c.z_loss_coef)) {
        return fail(Errc::kInvalidArgument, "config: z_loss_coef must be finite and >= 0");
    }
    if (!non_negative(c.dropout) || c.dropout >= 1.0F) {
        return fail(Errc::kInvalidArgument, "config: dropout must be in [0, 1)");
    }
    return {};
}

std::size_t expert_parameters(const MoeConfig& c, std::size_t e) {
    std::size_t in = expert_columns(c, e).size();
    std::size_t total = 0;
    for (auto h : c.hidden) {
        total += in * h + h;
        in = h;
    }
    return total + in + 1;
}

}  // namespace

std::size_t MoeConfig::total_experts() const noexcept {
    std::size_t n = 0;
    for (const auto& g : groups) n += g.experts;
    return n;
}

std::size_t MoeConfig::active_experts() const noexcept {
    const std::size_t e = total_experts();
    return (top_k == 0 || top_k > e) ? e : top_k;
}

core::Result<void> validate(const MoeConfig& config) {
    if (config.n_features == 0 || config.n_features > kMaxFeatures) {
        return fail(Errc::kInvalidArgument,
                    "config: n_features " + std::to_string(config.n_features) + " out of range");
    }
    if (auto r = validate_groups(config); !r) return r;
    if (auto r = validate_columns_and_widths(config); !r) return r;
    return validate_scalars(config);
}

std::size_t expert_group(const MoeConfig& config, std::size_t e) noexcept {
    for (std::size_t g = 0; g < config.groups.size(); ++g) {
        if (e < config.groups[g].experts) return g;
        e -= config.groups[g].experts;
    }
    return config.groups.size();
}

std::vector<std::size_t> expert_columns(const MoeConfig& config, std::size_t e) {
    const auto& g = config.groups.at(expert_group(config, e));
    std::vector<std::size_t> cols;
    for (std::size_t c = g.offset; c < g.offset + g.size; ++c) cols.push_back(c);
    for (auto c : config.shared_columns) {
        if (c < g.offset || c >= g.offset + g.size) cols.push_back(c);
    }
    return cols;
}

std::size_t active_parameter_count(const MoeConfig& config) {
    const std::size_t n_experts = config.total_experts();
    std::size_t sum = 0;
    for (std::size_t e = 0; e < n_experts; ++e) sum += expert_parameters(config, e);
    const std::size_t gate = config.is_dense() ? 0 : n_experts * (config.n_features + 1);
    const double mean = static_cast<double>(sum) / static_cast<double>(n_experts);
    return gate + static_cast<std::size_t>(
                      std::llround(mean * static_cast<double>(config.active_experts())));
}

MoeConfig dense_baseline(const MoeConfig& moe) {
    MoeConfig dense = moe;
    dense.groups = {FeatureGroup{"all", 0, moe.n_features, 1}};
    dense.shared_columns.clear();
    dense.top_k = 0;
    // One hidden layer of width h over F inputs has h·(F + 2) + 1 parameters.
    const double target = static_cast<double>(active_parameter_count(moe));
    const double per_unit = static_cast<double>(moe.n_features + 2);
    const auto h = std::llround((target - 1.0) / per_unit);
    dense.hidden = {static_cast<std::size_t>(std::max<long long>(1, h))};
    return dense;
}

std::string to_json(const MoeConfig& config) {
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& g : config.groups) {
        groups.push_back(
            {{"name", g.name}, {"offset", g.offset}, {"size", g.size}, {"experts", g.experts}});
    }
    const nlohmann::json j = {{"n_features", config.n_features},
                              {"groups", groups},
                              {"shared_columns", config.shared_columns},
                              {"hidden", config.hidden},
                              {"top_k", config.top_k},
                              {"gate_noise_std", config.gate_noise_std},
                              {"balance_alpha", config.balance_alpha},
                              {"z_loss_coef", config.z_loss_coef},
                              {"dropout", config.dropout}};
    return j.dump();
}

core::Result<MoeConfig> config_from_json(std::string_view text) {
    MoeConfig c;
    auto parsed = mfd::json::parse_bounded(text, kMaxConfigDepth);
    if (!parsed) return fail(Errc::kCorruption, "model config JSON: " + parsed.error().message);
    try {
        const auto& j = *parsed;
        c.n_features = j.at("n_features").get<std::size_t>();
        c.groups.clear();
        for (const auto& g : j.at("groups")) {
            c.groups.push_back({g.at("name").get<std::string>(), g.at("offset").get<std::size_t>(),
                                g.at("size").get<std::size_t>(),
                                g.at("experts").get<std::size_t>()});
        }
        c.shared_columns = j.at("shared_columns").get<std::vector<std::size_t>>();
        c.hidden = j.at("hidden").get<std::vector<std::size_t>>();
        c.top_k = j.at("top_k").get<std::size_t>();
        c.gate_noise_std = j.at("gate_noise_std").get<float>();
        c.balance_alpha = j.at("balance_alpha").get<float>();
        c.z_loss_coef = j.at("z_loss_coef").get<float>();
        c.dropout = j.at("dropout").get<float>();
    } catch (const nlohmann::json::exception& e) {
        return fail(Errc::kCorruption, std::string("model config JSON: ") + e.what());
    }
    if (auto r = validate(c); !r) return fail(r.error());
    return c;
}

}  // namespace mfd::models
