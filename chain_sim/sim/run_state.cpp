#include "chain_sim/sim/run_state.hpp"

#include <fstream>

namespace mfd::chain::sim {

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
    const auto stored = nlohmann::json::parse(in, nullptr, false);
    if (stored.is_discarded() || !stored.is_object()) {
        return core::fail(core::Errc::kCorruption, path.string() + " is not a JSON object");
    }
    for (const auto& [key, value] : identity.items()) {
        if (!stored.contains(key) || stored[key] != value) {
            return core::fail(core::Errc::kInvalidArgument,
                              "data directory " + data_dir.string() + " holds a run with " + key +
                                  " = " + (stored.contains(key) ? stored[key].dump() : "none") +
                                  ", not " + value.dump() +
                                  ": use the same options to resume, or another --data-dir");
        }
    }
    return {};
}

}  // namespace mfd::chain::sim
