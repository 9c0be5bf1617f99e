#include "fraud/feature_log.hpp"

#include <cmath>
#include <initializer_list>
#include <nlohmann/json.hpp>

#include "json/bounded_json.hpp"

namespace mfd::fraud {
namespace {

using Json = nlohmann::json;

/// A header, row or trailer is an object of scalars and flat arrays.
constexpr std::size_t kMaxLineDepth = 8;

/// One line as JSON, or a discarded value (malformed, too deep) that every check refuses.
Json parse_line(const std::string& line) {
    auto parsed = mfd::json::parse_bounded(line, kMaxLineDepth);
    return parsed ? std::move(*parsed) : Json(Json::value_t::discarded);
}

core::Unexpected bad(std::string_view name, std::uint64_t line, const std::string& what) {
    return core::fail(core::Errc::kCorruption,
                      std::string(name) + ":" + std::to_string(line) + ": " + what);
}

Json names_json() {
    Json names = Json::array();
    for (std::size_t f = 0; f < kFeatures; ++f) names.push_back(feature_name(f));
    return names;
}

/// The keys of `j` are exactly `required` plus any of `optional`; else the first offender.
std::string key_problem(const Json& j, std::initializer_list<std::string_view> required,
                        std::initializer_list<std::string_view> optional = {}) {
    for (auto k : required) {
        if (!j.contains(k)) return "missing key '" + std::string(k) + "'";
    }
    for (const auto& [key, value] : j.items()) {
        bool known = false;
        for (auto k : required) known = known || key == k;
        for (auto k : optional) known = known || key == k;
        if (!known) return "unknown key '" + key + "'";
    }
    return {};
}

std::string header_problem(const Json& j, bool& labelled) {
    if (!j.is_object()) return "the header is not a JSON object";
    if (!j.contains("format") || !j["format"].is_string() ||
        j["format"].get<std::string>() != kFeatureLogFormat) {
        return "not a feature log (format is not '" + std::string(kFeatureLogFormat) + "')";
    }
    if (auto p = key_problem(j, {"format", "version", "schema", "labelled", "features"});
        !p.empty()) {
        return "header: " + p;
    }
    if (!j["version"].is_number_integer() ||
        j["version"].get<std::int64_t>() != kFeatureLogVersion) {
        return "feature log version " + j["version"].dump() + ", this build reads version " +
               std::to_string(kFeatureLogVersion);
    }
    if (!j["schema"].is_string() || j["schema"].get<std::string>() != kSchemaVersion) {
        return "rows of feature schema " + j["schema"].dump() + ", this build computes '" +
               std::string(kSchemaVersion) + "'";
    }
    if (j["features"] != names_json()) {
        return "the feature list differs from schema '" + std::string(kSchemaVersion) +
               "' of this build";
    }
    if (!j["labelled"].is_boolean()) return "header: 'labelled' is not a boolean";
    labelled = j["labelled"].get<bool>();
    return {};
}

std::string row_problem(const Json& j, bool labelled, FeatureLogRow& row) {
    const auto keys =
        labelled ? key_problem(j, {"hash", "hook", "time_ms", "mask", "x", "label", "typology"})
                 : key_problem(j, {"hash", "hook", "time_ms", "mask", "x"});
    if (!keys.empty()) return keys;
    if (!j["hash"].is_string()) return "'hash' is not a string";
    auto hash = core::fixed_from_hex<32>(j["hash"].get<std::string>());
    if (!hash) return "'hash': " + hash.error().message;
    row.hash = *hash;
    if (!j["hook"].is_string()) return "'hook' is not a string";
    row.hook = j["hook"].get<std::string>();
    if (!j["time_ms"].is_number_integer()) return "'time_ms' is not an integer";
    row.time_ms = j["time_ms"].get<std::int64_t>();
    if (!j["mask"].is_number_unsigned() || j["mask"].get<std::uint64_t>() > kAllGroups) {
        return "'mask' is not a group mask";
    }
    row.mask = static_cast<GroupMask>(j["mask"].get<std::uint64_t>());
    const Json& x = j["x"];
    if (!x.is_array() || x.size() != kFeatures) {
        return "'x' must hold " + std::to_string(kFeatures) + " numbers";
    }
    for (std::size_t f = 0; f < kFeatures; ++f) {
        if (!x[f].is_number()) return "'x' holds a non-number at " + std::to_string(f);
        const double v = x[f].get<double>();
        if (!std::isfinite(v) || std::fabs(v) > 1e30) {
            return "'x' holds a non-finite value at " + std::to_string(f);
        }
        row.x[f] = static_cast<float>(v);
    }
    if (!labelled) return {};
    if (!j["label"].is_number_integer() || j["label"].get<std::int64_t>() < -1 ||
        j["label"].get<std::int64_t>() > 1) {
        return "'label' must be 1, 0 or -1";
    }
    row.label = static_cast<std::int8_t>(j["label"].get<std::int64_t>());
    if (!j["typology"].is_string()) return "'typology' is not a string";
    row.typology = j["typology"].get<std::string>();
    return {};
}

/// The next line of `in` into `line`: false at the end; kLimitExceeded when too long.
core::Result<bool> next_line(std::istream& in, std::string& line, std::string_view name,
                             std::uint64_t number) {
    line.clear();
    char c = 0;
    bool any = false;
    while (in.get(c)) {
        any = true;
        if (c == '\n') return true;
        if (line.size() >= kMaxFeatureLogLine) {
            return core::fail(core::Errc::kLimitExceeded,
                              std::string(name) + ":" + std::to_string(number) +
                                  ": a line longer than " + std::to_string(kMaxFeatureLogLine) +
                                  " bytes");
        }
        line.push_back(c);
    }
    return any;
}

}  // namespace

core::Result<FeatureLogWriter> FeatureLogWriter::create(const std::filesystem::path& path,
                                                        bool labelled) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    const Json header = {{"format", kFeatureLogFormat},
                         {"version", kFeatureLogVersion},
                         {"schema", kSchemaVersion},
                         {"labelled", labelled},
                         {"features", names_json()}};
    out << header.dump() << '\n';
    if (!out) return core::fail(core::Errc::kIo, "cannot write the feature log " + path.string());
    return FeatureLogWriter(path, std::move(out), labelled);
}

core::Result<void> FeatureLogWriter::write(const FeatureLogRow& row) {
    Json x = Json::array();
    for (float v : row.x) x.push_back(static_cast<double>(v));
    Json j = {{"hash", row.hash.hex()},
              {"hook", row.hook},
              {"time_ms", row.time_ms},
              {"mask", row.mask},
              {"x", std::move(x)}};
    if (labelled_) {
        j["label"] = row.label;
        j["typology"] = row.typology;
    }
    out_ << j.dump() << '\n';
    if (!out_) return core::fail(core::Errc::kIo, "cannot write the feature log " + path_.string());
    ++rows_;
    return {};
}

core::Result<void> FeatureLogWriter::close() {
    out_ << Json{{"end", true}, {"rows", rows_}}.dump() << '\n';
    out_.close();
    if (!out_) return core::fail(core::Errc::kIo, "cannot close the feature log " + path_.string());
    return {};
}

core::Result<FeatureLog> read_feature_log(std::istream& in, std::string_view name) {
    FeatureLog log;
    std::string line;
    std::uint64_t number = 1;
    auto got = next_line(in, line, name, number);
    if (!got) return core::fail(got.error());
    if (!*got) return bad(name, 1, "empty: no feature log header");
    const Json header = parse_line(line);
    if (auto p = header_problem(header, log.labelled); !p.empty()) return bad(name, 1, p);
    while (true) {
        ++number;
        got = next_line(in, line, name, number);
        if (!got) return core::fail(got.error());
        if (!*got) {
            return bad(name, number,
                       "truncated: the log ends after " + std::to_string(log.rows.size()) +
                           " rows without its trailer");
        }
        const Json j = parse_line(line);
        if (!j.is_object()) return bad(name, number, "not a JSON object");
        if (j.contains("end")) {
            if (!key_problem(j, {"end", "rows"}).empty() || !j["rows"].is_number_unsigned()) {
                return bad(name, number, "malformed trailer");
            }
            if (j["rows"].get<std::uint64_t>() != log.rows.size()) {
                return bad(name, number,
                           "the trailer counts " + j["rows"].dump() + " rows, the log holds " +
                               std::to_string(log.rows.size()));
            }
            if (next_line(in, line, name, number + 1).value_or(true)) {
                return bad(name, number + 1, "lines after the trailer");
            }
            return log;
        }
        if (log.rows.size() >= kMaxFeatureLogRows) {
            return core::fail(
                core::Errc::kLimitExceeded,
                std::string(name) + ": more than " + std::to_string(kMaxFeatureLogRows) + " rows");
        }
        FeatureLogRow row;
        if (auto p = row_problem(j, log.labelled, row); !p.empty()) return bad(name, number, p);
        log.rows.push_back(std::move(row));
    }
}

core::Result<FeatureLog> read_feature_log(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        return core::fail(core::Errc::kNotFound, "no feature log at " + path.string());
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::fail(core::Errc::kIo, "cannot open the feature log " + path.string());
    return read_feature_log(in, path.string());
}

}  // namespace mfd::fraud
