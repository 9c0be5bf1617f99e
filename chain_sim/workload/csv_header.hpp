#pragma once
/// Maps the column names of a CSV header record to field positions, so that files are read by
/// column name in any order, with extra columns ignored. Thread-safe once built.

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "chain_sim/workload/csv_reader.hpp"
#include "core/result.hpp"

namespace mfd::chain::workload {

class CsvColumns {
public:
    /// Reads the header record. Names are compared without surrounding spaces, a UTF-8 byte
    /// order mark or letter case. Fails with kCorruption when the record is malformed, a name
    /// appears twice, or one of `required` is missing (the message lists the missing names and
    /// the columns found). Other columns may be looked up with `find`.
    [[nodiscard]] static core::Result<CsvColumns> from_header(
        const CsvRecord& header, std::initializer_list<std::string_view> required);

    /// Position of a column named in `required`.
    [[nodiscard]] std::size_t index(std::string_view name) const { return *find(name); }
    /// Position of a column, std::nullopt when the file does not have it.
    [[nodiscard]] std::optional<std::size_t> find(std::string_view name) const;
    /// Number of columns of the header (every row must have as many fields).
    [[nodiscard]] std::size_t count() const noexcept { return count_; }

private:
    std::unordered_map<std::string, std::size_t> positions_;
    std::size_t count_ = 0;
};

}  // namespace mfd::chain::workload
