// Fuzzes the Etherscan import's CSV splitting and row parsing: the first line of the input is
// the header, the rest are rows; nothing crashes, every failure is an error value.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chain_sim/workload/csv_reader.hpp"
#include "chain_sim/workload/etherscan_row.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mfd::chain::workload;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> fields;
    std::string problem;
    std::optional<detail::EtherscanColumns> columns;
    std::size_t line_no = 0;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        const std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (split_csv(line, fields, problem) != CsvSplit::kComplete) continue;
        ++line_no;
        if (!columns) {
            CsvRecord header{line_no, fields, {}};
            auto found = detail::etherscan_columns(header);
            if (!found) return 0;
            columns = *found;
            continue;
        }
        (void)detail::parse_etherscan_row(fields, *columns, "0x00");
    }
    return 0;
}
