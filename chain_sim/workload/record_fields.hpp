#pragma once
/// Internal to the workload library: the fields of one stream transaction line, parsed but not
/// yet decoded (docs/workload.md). A value type.

#include <cstdint>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace mfd::chain::workload::detail {

/// The fields of a transaction line before the raw bytes are decoded.
struct RecordFields {
    std::uint64_t index = 0;
    std::int64_t time_ms = 0;
    core::Address from;
    core::Hash hash;
    core::Bytes raw;
    std::int8_t label = 0;
    std::string typology;
    std::string sender_role;
    std::string recipient_role;
    core::Errc expected = core::Errc::kOk;
    std::vector<std::uint64_t> after;
};

}  // namespace mfd::chain::workload::detail
