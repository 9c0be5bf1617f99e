#include "plugin/plugin_config.hpp"

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "json/bounded_json.hpp"

namespace mfd::plugin {
namespace {

using json = nlohmann::json;
using Reader = std::function<core::Result<void>(const json&, PluginConfig&)>;

constexpr std::array<std::string_view, kHookCount> kHookNames = {
    "check_tx",    "score_batch",           "prepare_proposal", "process_proposal",
    "extend_vote", "verify_vote_extension", "finalize_block"};

constexpr std::string_view kDefaultModel = "models/default.safetensors";

/// Nesting the config may have: its deepest part (budgets, testing) is 2 levels.
constexpr std::size_t kMaxConfigDepth = 16;

/// A value as an error message shows it: scalars as JSON (at most 64 characters), containers by
/// their kind (never dumped: their size is the caller's).
std::string shown(const json& v) {
    if (v.is_array()) return "an array";
    if (v.is_object()) return "an object";
    std::string text = v.dump();
    if (text.size() > 64) text = text.substr(0, 61) + "...";
    return text;
}

core::Unexpected bad(std::string_view key, const std::string& problem) {
    return core::fail(core::Errc::kInvalidArgument,
                      "config key '" + std::string(key) + "': " + problem);
}

core::Result<std::uint64_t> read_uint(const json& v, std::string_view key, std::uint64_t lo,
                                      std::uint64_t hi) {
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0)) {
        return bad(key, "expected a non-negative integer, got " + shown(v));
    }
    const auto n = v.get<std::uint64_t>();
    if (n < lo || n > hi) {
        return bad(key, "expected " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " +
                            std::to_string(n));
    }
    return n;
}

core::Result<std::string> read_text(const json& v, std::string_view key, bool allow_empty) {
    if (!v.is_string()) return bad(key, "expected a string, got " + shown(v));
    auto s = v.get<std::string>();
    if (!allow_empty && s.empty()) return bad(key, "must not be empty");
    if (s.find('\0') != std::string::npos) return bad(key, "must not contain a NUL character");
    return s;
}

core::Result<bool> read_flag(const json& v, std::string_view key) {
    if (!v.is_boolean()) return bad(key, "expected true or false, got " + shown(v));
    return v.get<bool>();
}

core::Result<double> read_unit(const json& v, std::string_view key, bool allow_zero) {
    if (!v.is_number()) return bad(key, "expected a number, got " + shown(v));
    const double d = v.get<double>();
    if (!std::isfinite(d) || d < 0.0 || d > 1.0 || (!allow_zero && d == 0.0)) {
        return bad(key, std::string("expected a number in ") + (allow_zero ? "[0, 1]" : "(0, 1]") +
                            ", got " + shown(v));
    }
    return d;
}

/// Applies `readers` to every member of the object `v`; unknown members fail by name.
core::Result<void> read_object(const json& v, std::string_view prefix,
                               const std::map<std::string, Reader, std::less<>>& readers,
                               PluginConfig& out) {
    if (!v.is_object()) return bad(prefix, "expected an object, got " + shown(v));
    for (const auto& [key, value] : v.items()) {
        const std::string name = prefix.empty() ? key : std::string(prefix) + "." + key;
        const auto it = readers.find(key);
        if (it == readers.end()) {
            return core::fail(core::Errc::kInvalidArgument, "unknown config key '" + name + "'");
        }
        if (auto r = it->second(value, out); !r) return r;
    }
    return {};
}

/// The member `Member` of a config.
template <auto Member>
auto& field(PluginConfig& c) {
    return c.*Member;
}

/// The member `Inner` of the config's member `Outer`.
template <auto Outer, auto Inner>
auto& field(PluginConfig& c) {
    return (c.*Outer).*Inner;
}

template <class Get>
Reader uint_at(std::string_view key, std::uint64_t lo, std::uint64_t hi, Get get) {
    return [=](const json& x, PluginConfig& c) -> core::Result<void> {
        auto n = read_uint(x, key, lo, hi);
        if (!n) return core::fail(n.error());
        get(c) = static_cast<std::remove_reference_t<decltype(get(c))>>(*n);
        return {};
    };
}

template <class Get>
Reader text_at(std::string_view key, bool allow_empty, Get get) {
    return [=](const json& x, PluginConfig& c) -> core::Result<void> {
        auto s = read_text(x, key, allow_empty);
        if (!s) return core::fail(s.error());
        get(c) = *s;
        return {};
    };
}

template <class Get>
Reader flag_at(std::string_view key, Get get) {
    return [=](const json& x, PluginConfig& c) -> core::Result<void> {
        auto b = read_flag(x, key);
        if (!b) return core::fail(b.error());
        get(c) = *b;
        return {};
    };
}

core::Result<void> read_budgets(const json& v, PluginConfig& c) {
    static const std::array<std::string, kHookCount> keys = [] {
        std::array<std::string, kHookCount> k;
        for (std::size_t h = 0; h < kHookCount; ++h)
            k[h] = "budgets_us." + std::string(kHookNames[h]);
        return k;
    }();
    std::map<std::string, Reader, std::less<>> readers;
    for (std::size_t h = 0; h < kHookCount; ++h) {
        readers.emplace(
            std::string(kHookNames[h]),
            uint_at(keys[h], 0, 60'000'000, [h](PluginConfig& cfg) -> std::chrono::microseconds& {
                return cfg.budgets[h];
            }));
    }
    return read_object(v, "budgets_us", readers, c);
}

core::Result<void> read_rpc(const json& v, PluginConfig& c) {
    static const std::map<std::string, Reader, std::less<>> readers = {
        {"enabled", flag_at("rpc.enabled", field<&PluginConfig::rpc, &RpcConfig::enabled>)},
        {"host", text_at("rpc.host", false, field<&PluginConfig::rpc, &RpcConfig::host>)},
        {"port", uint_at("rpc.port", 0, 65535, field<&PluginConfig::rpc, &RpcConfig::port>)},
        {"token", text_at("rpc.token", true, field<&PluginConfig::rpc, &RpcConfig::token>)},
        {"io_threads",
         uint_at("rpc.io_threads", 1, 64, field<&PluginConfig::rpc, &RpcConfig::io_threads>)},
        {"worker_threads", uint_at("rpc.worker_threads", 0, 64,
                                   field<&PluginConfig::rpc, &RpcConfig::worker_threads>)},
    };
    return read_object(v, "rpc", readers, c);
}

core::Result<void> read_testing(const json& v, PluginConfig& c) {
    static const std::map<std::string, Reader, std::less<>> readers = {
        {"score_delay_us", uint_at("testing.score_delay_us", 0, 10'000'000,
                                   field<&PluginConfig::testing, &TestingConfig::score_delay>)},
        {"score_error", flag_at("testing.score_error",
                                field<&PluginConfig::testing, &TestingConfig::score_error>)},
    };
    return read_object(v, "testing", readers, c);
}

core::Result<void> read_policy(const json& x, PluginConfig& cfg) {
    auto s = read_text(x, "failure_policy", false);
    if (!s) return core::fail(s.error());
    if (*s == "fail-open") {
        cfg.failure_policy = FailurePolicy::kFailOpen;
    } else if (*s == "fail-closed") {
        cfg.failure_policy = FailurePolicy::kFailClosed;
    } else {
        return bad("failure_policy", "expected \"fail-open\" or \"fail-closed\", got " + x.dump());
    }
    return {};
}

core::Result<void> read_device(const json& x, PluginConfig& cfg) {
    auto s = read_text(x, "device", false);
    if (!s) return core::fail(s.error());
    auto d = models::parse_device(*s);
    if (!d) return bad("device", "expected \"auto\", \"cpu\" or \"cuda\", got " + x.dump());
    cfg.device = *d;
    return {};
}

Reader unit_at(std::string_view key, bool allow_zero,
               std::function<void(PluginConfig&, double)> set) {
    return [=](const json& x, PluginConfig& c) -> core::Result<void> {
        auto d = read_unit(x, key, allow_zero);
        if (!d) return core::fail(d.error());
        set(c, *d);
        return {};
    };
}

const std::map<std::string, Reader, std::less<>>& top_readers() {
    constexpr auto u64max = std::numeric_limits<std::uint64_t>::max();
    static const std::map<std::string, Reader, std::less<>> readers = {
        {"model", text_at("model", false, field<&PluginConfig::model>)},
        {"device", read_device},
        {"threshold",
         unit_at("threshold", true,
                 [](PluginConfig& x, double d) { x.threshold = static_cast<float>(d); })},
        {"target_fpr",
         unit_at("target_fpr", false, [](PluginConfig& x, double d) { x.target_fpr = d; })},
        {"budgets_us", read_budgets},
        {"failure_policy", read_policy},
        {"data_dir", text_at("data_dir", false, field<&PluginConfig::data_dir>)},
        {"chain_id", uint_at("chain_id", 1, u64max, field<&PluginConfig::chain_id>)},
        {"max_flags", uint_at("max_flags", 0, 1024, field<&PluginConfig::max_flags>)},
        {"reject_flagged", flag_at("reject_flagged", field<&PluginConfig::reject_flagged>)},
        {"rpc", read_rpc},
        {"workers", uint_at("workers", 1, 64, field<&PluginConfig::workers>)},
        {"cache_scores", uint_at("cache_scores", 1, 1U << 24, field<&PluginConfig::cache_scores>)},
        {"max_tx_bytes", uint_at("max_tx_bytes", 1, 1U << 24, field<&PluginConfig::max_tx_bytes>)},
        {"feature_log", text_at("feature_log", false, field<&PluginConfig::feature_log>)},
        {"testing", read_testing},
    };
    return readers;
}

}  // namespace

std::string_view hook_name(Hook hook) noexcept {
    const auto i = static_cast<std::size_t>(hook);
    return i < kHookCount ? kHookNames[i] : "unknown";
}

std::array<std::chrono::microseconds, kHookCount> default_budgets() noexcept {
    using us = std::chrono::microseconds;
    return {us(10'000), us(100'000), us(100'000), us(200'000), us(100'000), us(1'000), us(500'000)};
}

core::Result<PluginConfig> parse_config(std::string_view text) {
    auto parsed = mfd::json::parse_bounded(text, kMaxConfigDepth);
    if (!parsed) {
        return core::fail(core::Errc::kInvalidArgument, "config: " + parsed.error().message);
    }
    const json doc = std::move(*parsed);
    if (!doc.is_object()) return core::fail(core::Errc::kInvalidArgument, "config: not an object");
    PluginConfig cfg;
    cfg.budgets = default_budgets();
    cfg.model = kDefaultModel;
    if (auto r = read_object(doc, "", top_readers(), cfg); !r) return core::fail(r.error());
    if (cfg.data_dir.empty()) {
        return core::fail(core::Errc::kInvalidArgument, "config key 'data_dir' is required");
    }
    if (doc.contains("threshold") && doc.contains("target_fpr")) {
        return core::fail(core::Errc::kInvalidArgument,
                          "config keys 'threshold' and 'target_fpr' exclude each other");
    }
    auto model = resolve_model_path(cfg.model);
    if (!model) return bad("model", model.error().message);
    cfg.model = *model;
    return cfg;
}

core::Result<std::filesystem::path> resolve_model_path(const std::filesystem::path& path) {
    std::error_code ec;
    if (path.is_absolute()) {
        if (std::filesystem::is_regular_file(path, ec)) return path;
        return core::fail(core::Errc::kNotFound, "no model file at " + path.string());
    }
    const auto here = std::filesystem::current_path(ec) / path;
    if (!ec && std::filesystem::is_regular_file(here, ec)) return here;
    const auto source = std::filesystem::path(MFD_PLUGIN_SOURCE_DIR) / path;
    if (std::filesystem::is_regular_file(source, ec)) return source;
    return core::fail(core::Errc::kNotFound,
                      "no model file at " + here.string() + " nor at " + source.string());
}

}  // namespace mfd::plugin
