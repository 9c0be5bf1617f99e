#include "chain_sim/sim/run_state.hpp"

#include <fstream>
#include <string>
#include <vector>

#include "json/bounded_json.hpp"

namespace mfd::chain::sim {
namespace {

/// run.json is a flat object of a few hundred bytes.
constexpr std::size_t kMaxRunStateBytes = 64 * 1024;
constexpr std::size_t kMaxRunStateDepth = 4;

// A run that has started (every validator's stores opened once) has every validator's chain
// store; one missing while others exist was lost (deleted, or a disk replaced), and starting it
// afresh would silently mix a new chain with the others. Refused with the path.
core::Result<void> check_validator_dirs(const std::filesystem::path& data_dir,
                                        std::size_t validators) {
    std::error_code ec;
    std::vector<std::size_t> missing;
    for (std::size_t i = 0; i < validators; ++i) {
        const auto chain = data_dir / ("validator-" + std::to_string(i)) / "chain";
        if (!std::filesystem::exists(chain, ec)) missing.push_back(i);
    }
    if (missing.empty() || missing.size() == validators) return {};
    std::string names;
    for (const std::size_t i : missing) {
        names += (names.empty() ? "" : ", ") + std::to_string(i);
    }
    const auto first = data_dir / ("validator-" + std::to_string(missing.front())) / "chain";
    return core::fail(
        core::Errc::kNotFound,
        std::string(missing.size() > 1 ? "validators " : "validator ") + names +
            ": data directory " + data_dir.string() + " holds a run that has started, but " +
            (missing.size() > 1 ? "their chain stores are" : "its chain store is") + " missing (" +
            first.string() + (missing.size() > 1 ? ", ..." : "") + "): restore " +
            (missing.size() > 1 ? "them" : "it") + ", or start afresh in another --data-dir");
}

}  // namespace

nlohmann::json run_identity(const RunOptions& o) {
    return {{"validators", o.validators},
            {"seed", o.seed},
            {"fraud_rate", o.fraud_rate},
            {"accounts", o.accounts},
            {"txs", o.txs},
            {"tx_interval_ms", o.tx_interval_ms},
            {"time_scale", o.time_scale},
            {"flag_rule", o.flag_rule},
            {"traffic", o.traffic ? o.traffic->string() : std::string()}};
}

core::Result<void> check_run_state(const std::filesystem::path& data_dir,
                                   const nlohmann::json& identity) {
    const auto path = data_dir / "run.json";
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        std::filesystem::create_directories(data_dir, ec);
        std::ofstream out(path);
        out << identity.dump(2) << "\n";
        if (!out) return core::fail(core::Errc::kIo, "cannot write " + path.string());
        return {};
    }
    std::ifstream in(path);
    std::string text(kMaxRunStateBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxRunStateBytes) {
        return core::fail(core::Errc::kCorruption, path.string() + " is larger than " +
                                                       std::to_string(kMaxRunStateBytes) +
                                                       " bytes: not a run's state");
    }
    const auto parsed = mfd::json::parse_bounded(text, kMaxRunStateDepth);
    if (!parsed || !parsed->is_object()) {
        return core::fail(core::Errc::kCorruption,
                          path.string() + " is not a JSON object" +
                              (parsed ? std::string() : ": " + parsed.error().message));
    }
    const nlohmann::json& stored = *parsed;
    for (const auto& [key, value] : identity.items()) {
        if (!stored.contains(key) || stored[key] != value) {
            return core::fail(core::Errc::kInvalidArgument,
                              "data directory " + data_dir.string() + " holds a run with " + key +
                                  " = " + (stored.contains(key) ? stored[key].dump() : "none") +
                                  ", not " + value.dump() +
                                  ": use the same options to resume, or another --data-dir");
        }
    }
    if (stored.contains("started") && !stored["started"].is_boolean()) {
        return core::fail(
            core::Errc::kCorruption,
            path.string() + ": 'started' is " + stored["started"].dump() + ", not true or false");
    }
    if (!stored.value("started", false)) return {};
    return check_validator_dirs(data_dir, identity.value("validators", std::size_t{0}));
}

core::Result<void> mark_run_started(const std::filesystem::path& data_dir,
                                    const nlohmann::json& identity) {
    const auto path = data_dir / "run.json";
    auto tmp = path;
    tmp += ".tmp";
    nlohmann::json state = identity;
    state["started"] = true;
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << state.dump(2) << "\n";
        out.flush();
        if (!out) return core::fail(core::Errc::kIo, "cannot write " + tmp.string());
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec)
        return core::fail(core::Errc::kIo, "cannot replace " + path.string() + ": " + ec.message());
    return {};
}

}  // namespace mfd::chain::sim
