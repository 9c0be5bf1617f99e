#include "chain_sim/workload/csv_header.hpp"

#include <cctype>

namespace mfd::chain::workload {
namespace {

std::string normalise(std::string_view name) {
    if (name.substr(0, 3) == "\xEF\xBB\xBF") name.remove_prefix(3);
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front()))) {
        name.remove_prefix(1);
    }
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) {
        name.remove_suffix(1);
    }
    std::string out(name);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

core::Result<CsvColumns> CsvColumns::from_header(const CsvRecord& header,
                                                 std::initializer_list<std::string_view> required) {
    if (!header.problem.empty()) {
        return core::fail(core::Errc::kCorruption, "malformed header: " + header.problem);
    }
    CsvColumns columns;
    columns.count_ = header.fields.size();
    std::string found;
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const std::string name = normalise(header.fields[i]);
        if (!columns.positions_.emplace(name, i).second) {
            return core::fail(core::Errc::kCorruption, "column '" + name + "' appears twice");
        }
        found += (i == 0 ? "" : ",") + name;
    }
    std::string missing;
    for (auto name : required) {
        if (!columns.find(name)) missing += (missing.empty() ? "" : ", ") + std::string(name);
    }
    if (!missing.empty()) {
        return core::fail(core::Errc::kCorruption,
                          "missing required column(s) " + missing + " (header has: " + found + ")");
    }
    return columns;
}

std::optional<std::size_t> CsvColumns::find(std::string_view name) const {
    auto it = positions_.find(normalise(name));
    if (it == positions_.end()) return std::nullopt;
    return it->second;
}

}  // namespace mfd::chain::workload
