#include "chain_sim/workload/csv_reader.hpp"

namespace mfd::chain::workload {
namespace {

/// Reads one quoted field starting after its opening quote at `i`; returns the index after
/// the closing quote, or npos when the text ends inside the quotes.
std::size_t read_quoted(std::string_view text, std::size_t i, std::string& field) {
    while (i < text.size()) {
        const std::size_t q = text.find('"', i);
        if (q == std::string_view::npos) return std::string_view::npos;
        field.append(text.substr(i, q - i));
        if (q + 1 < text.size() && text[q + 1] == '"') {
            field.push_back('"');
            i = q + 2;
            continue;
        }
        return q + 1;
    }
    return std::string_view::npos;
}

}  // namespace

CsvSplit split_csv(std::string_view text, std::vector<std::string>& fields, std::string& problem) {
    fields.clear();
    std::size_t i = 0;
    for (;;) {
        std::string field;
        if (i < text.size() && text[i] == '"') {
            i = read_quoted(text, i + 1, field);
            if (i == std::string_view::npos) return CsvSplit::kOpenQuote;
            if (i < text.size() && text[i] != ',') {
                problem =
                    "text after the closing quote of field " + std::to_string(fields.size() + 1);
                return CsvSplit::kMalformed;
            }
        } else {
            const std::size_t end = std::min(text.find(',', i), text.size());
            field.assign(text.substr(i, end - i));
            if (field.find('"') != std::string::npos) {
                problem = "quote inside unquoted field " + std::to_string(fields.size() + 1);
                return CsvSplit::kMalformed;
            }
            i = end;
        }
        fields.push_back(std::move(field));
        if (i >= text.size()) return CsvSplit::kComplete;
        ++i;  // the comma
    }
}

core::Result<CsvReader> CsvReader::open(const std::filesystem::path& path) {
    auto lines = GzLineReader::open(path, false);
    if (!lines) return core::fail(lines.error());
    return CsvReader(std::move(*lines));
}

core::Result<std::optional<CsvRecord>> CsvReader::next() {
    auto first = lines_.next_line();
    if (!first) return core::fail(first.error());
    if (!*first) return std::optional<CsvRecord>{};
    CsvRecord record;
    record.line = lines_.line_number();
    pending_.assign(**first);
    for (std::size_t spanned = 1;; ++spanned) {
        const CsvSplit split = split_csv(pending_, record.fields, record.problem);
        if (split == CsvSplit::kComplete) return std::optional<CsvRecord>(std::move(record));
        if (split == CsvSplit::kMalformed) break;
        if (spanned >= kMaxRecordLines) {
            record.problem =
                "quoted field open for more than " + std::to_string(kMaxRecordLines) + " lines";
            break;
        }
        auto more = lines_.next_line();
        if (!more) return core::fail(more.error());
        if (!*more) {
            record.problem = "quoted field not closed at the end of the file";
            break;
        }
        pending_ += '\n';
        pending_.append(**more);
    }
    record.fields.clear();
    return std::optional<CsvRecord>(std::move(record));
}

}  // namespace mfd::chain::workload
