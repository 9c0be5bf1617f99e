// Fuzzes the feature-log reader (logs come from other hosts and runs): arbitrary bytes are a log
// or an error, and a log that reads writes back and reads again to the same rows.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include "fraud/feature_log.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mfd::fraud;
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    auto log = read_feature_log(in, "fuzz");
    if (!log) return 0;
    const auto path = std::filesystem::temp_directory_path() /
                      ("mfd-fuzz-feature-log-" + std::to_string(::getpid()) + ".jsonl");
    auto writer = FeatureLogWriter::create(path, log->labelled);
    if (!writer) std::abort();
    for (const auto& row : log->rows) {
        if (!writer->write(row)) std::abort();
    }
    if (!writer->close()) std::abort();
    auto again = read_feature_log(path);
    std::filesystem::remove(path);
    if (!again || again->rows.size() != log->rows.size()) std::abort();
    for (std::size_t i = 0; i < log->rows.size(); ++i) {
        const auto& a = log->rows[i];
        const auto& b = again->rows[i];
        if (a.hash != b.hash || a.hook != b.hook || a.time_ms != b.time_ms || a.mask != b.mask ||
            a.x != b.x || a.label != b.label || a.typology != b.typology) {
            std::abort();
        }
    }
    return 0;
}
