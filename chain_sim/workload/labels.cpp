#include "chain_sim/workload/labels.hpp"

#include "chain_sim/workload/csv_header.hpp"
#include "chain_sim/workload/csv_reader.hpp"

namespace mfd::chain::workload {
namespace {

core::Unexpected at(const std::filesystem::path& path, std::size_t line, const std::string& what) {
    return core::fail(core::Errc::kCorruption,
                      path.string() + ":" + std::to_string(line) + ": " + what);
}

}  // namespace

core::Result<AccountLabels> read_labels(const std::filesystem::path& path) {
    auto csv = CsvReader::open(path);
    if (!csv) return core::fail(csv.error());
    auto first = csv->next();
    if (!first) return core::fail(first.error());
    if (!*first) return core::fail(core::Errc::kCorruption, path.string() + ": empty file");
    auto columns = CsvColumns::from_header(**first, {"address", "label"});
    if (!columns) return at(path, 1, columns.error().message);
    AccountLabels labels;
    for (;;) {
        auto record = csv->next();
        if (!record) return core::fail(record.error());
        if (!*record) break;
        const CsvRecord& r = **record;
        if (!r.problem.empty()) return at(path, r.line, r.problem);
        if (r.fields.size() != columns->count()) return at(path, r.line, "wrong field count");
        const std::string& text = r.fields[columns->index("address")];
        const std::string& label = r.fields[columns->index("label")];
        auto address = core::fixed_from_hex<20>(text);
        if (!address) return at(path, r.line, "bad address '" + text + "'");
        if (label != "0" && label != "1") return at(path, r.line, "bad label '" + label + "'");
        const std::int8_t value = label == "1" ? 1 : 0;
        auto [it, inserted] = labels.emplace(*address, value);
        if (!inserted && it->second != value) {
            return at(path, r.line, "conflicting labels for " + address->hex());
        }
    }
    return labels;
}

}  // namespace mfd::chain::workload
