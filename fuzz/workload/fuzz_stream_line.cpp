// Fuzzes the labelled stream's line parsers: any line is either a header / record or an error,
// never a crash; a parsed header serialises and parses back to the same JSON.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "chain_sim/workload/stream_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mfd::chain::workload::detail;
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    (void)record_from_line(line);
    auto header = header_from_json(line);
    if (header) {
        const std::string text = header_to_json(*header).dump();
        auto again = header_from_json(text);
        if (!again || header_to_json(*again).dump() != text) std::abort();
    }
    return 0;
}
