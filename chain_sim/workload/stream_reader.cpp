#include "chain_sim/workload/stream_reader.hpp"

#include <algorithm>
#include <thread>

#include "chain_sim/workload/stream_json.hpp"

namespace mfd::chain::workload {
namespace {

constexpr std::size_t kReadBatch = 4096;

core::Unexpected at_line(const std::filesystem::path& path, std::size_t line,
                         const std::string& what) {
    return core::fail(core::Errc::kCorruption,
                      path.string() + ":" + std::to_string(line) + ": " + what);
}

bool typology_matches(std::string_view typology, std::int8_t label) {
    const std::string_view prefix = label == 1 ? "fraud:" : "honest:";
    return typology.size() > prefix.size() && typology.substr(0, prefix.size()) == prefix;
}

/// tx_event_from_raw for every pending line, spread over `threads` threads.
template <class Pending>
std::vector<core::Result<core::TxEvent>> decode_all(const std::vector<Pending>& pending,
                                                    const core::TxRules& rules, unsigned threads) {
    std::vector<core::Result<core::TxEvent>> events(pending.size());
    const std::size_t n =
        std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(1, pending.size()));
    const auto work = [&](std::size_t first) {
        for (std::size_t i = first; i < pending.size(); i += n) {
            const auto& f = pending[i].fields;
            events[i] = core::tx_event_from_raw(f.raw, rules, f.time_ms);
        }
    };
    std::vector<std::thread> helpers;
    for (std::size_t t = 1; t < n; ++t) helpers.emplace_back(work, t);
    work(0);
    for (auto& h : helpers) h.join();
    return events;
}

}  // namespace

core::Result<StreamReader> StreamReader::open(const std::filesystem::path& path) {
    auto lines = GzLineReader::open(path, true);
    if (!lines) return core::fail(lines.error());
    auto first = lines->next_line();
    if (!first) return core::fail(first.error());
    if (!*first) return core::fail(core::Errc::kCorruption, path.string() + ": empty stream");
    auto header = detail::header_from_json(**first);
    if (!header) return at_line(path, 1, header.error().message);
    return StreamReader(std::move(*lines), std::move(*header));
}

core::Result<detail::RecordFields> StreamReader::check_fields(std::string_view line) {
    const auto bad = [&](const std::string& what) {
        return at_line(lines_.path(), lines_.line_number(), what);
    };
    auto fields = detail::record_from_line(line);
    if (!fields) return bad(fields.error().message);
    if (fields->index != read_) {
        return bad("index " + std::to_string(fields->index) + " out of sequence (expected " +
                   std::to_string(read_) + ")");
    }
    if (fields->time_ms < last_time_ms_) return bad("time_ms goes backwards");
    if (!typology_matches(fields->typology, fields->label)) {
        return bad("typology '" + fields->typology + "' does not match label " +
                   std::to_string(fields->label));
    }
    ++read_;
    last_time_ms_ = fields->time_ms;
    return fields;
}

core::Result<StreamRecord> StreamReader::finish(Pending& pending,
                                                core::Result<core::TxEvent> event) const {
    detail::RecordFields& f = pending.fields;
    if (!event) {
        return at_line(lines_.path(), pending.line,
                       "raw does not decode: " + event.error().to_string());
    }
    if (event->hash != f.hash) {
        return at_line(lines_.path(), pending.line, "hash is not keccak256(raw)");
    }
    event->claimed_sender = f.from;
    event->label = f.label;
    event->typology = std::move(f.typology);
    event->sender_role = std::move(f.sender_role);
    event->recipient_role = std::move(f.recipient_role);
    return StreamRecord{f.index, std::move(*event), f.expected, std::move(f.after), std::nullopt};
}

core::Result<std::vector<StreamRecord>> StreamReader::next_batch(std::size_t max,
                                                                 unsigned threads) {
    std::vector<Pending> pending;
    while (pending.size() < max) {
        auto line = lines_.next_line();
        if (!line) return core::fail(line.error());
        if (!*line) break;
        auto fields = check_fields(**line);
        if (!fields) return core::fail(fields.error());
        pending.push_back({std::move(*fields), lines_.line_number()});
    }
    const core::TxRules rules{.chain_id = header_.chain.chain_id, .allow_unprotected = true};
    auto events = decode_all(pending, rules, threads);
    std::vector<StreamRecord> out;
    out.reserve(pending.size());
    for (std::size_t i = 0; i < pending.size(); ++i) {
        auto record = finish(pending[i], std::move(events[i]));
        if (!record) return core::fail(record.error());
        out.push_back(std::move(*record));
    }
    return out;
}

core::Result<std::optional<StreamRecord>> StreamReader::next() {
    auto batch = next_batch(1, 1);
    if (!batch) return core::fail(batch.error());
    if (batch->empty()) return std::optional<StreamRecord>{};
    return std::optional<StreamRecord>(std::move(batch->front()));
}

core::Result<Stream> read_stream(const std::filesystem::path& path, unsigned threads) {
    auto reader = StreamReader::open(path);
    if (!reader) return core::fail(reader.error());
    Stream out;
    out.header = reader->header();
    for (;;) {
        auto batch = reader->next_batch(kReadBatch, threads);
        if (!batch) return core::fail(batch.error());
        if (batch->empty()) break;
        for (auto& record : *batch) out.records.push_back(std::move(record));
    }
    return out;
}

}  // namespace mfd::chain::workload
