#pragma once
/// Internal to the workload library: the JSON form of stream lines (docs/workload.md). Parsing
/// is strict: every key present, no unknown key, every value of its type. Thread-safe.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "chain_sim/workload/record_fields.hpp"
#include "chain_sim/workload/stream_format.hpp"

namespace mfd::chain::workload::detail {

/// The header as one JSON object.
[[nodiscard]] nlohmann::ordered_json header_to_json(const StreamHeader& header);

/// Parses a header line; kCorruption naming the offending key.
[[nodiscard]] core::Result<StreamHeader> header_from_json(std::string_view line);

/// One transaction line (without the newline): index, time, claimed sender, hash, raw bytes,
/// label, typology, roles and expected verdict. The caller checks the record first.
[[nodiscard]] std::string record_to_line(const StreamRecord& record);

/// Parses a transaction line; kCorruption naming the offending key.
[[nodiscard]] core::Result<RecordFields> record_from_line(std::string_view line);

}  // namespace mfd::chain::workload::detail
