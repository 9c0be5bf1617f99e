#include "chain_sim/workload/stream_writer.hpp"

#include "chain_sim/workload/stream_json.hpp"
#include "core/keccak.hpp"

namespace mfd::chain::workload {

core::Result<StreamWriter> StreamWriter::create(const std::filesystem::path& path,
                                                const StreamHeader& header, int gzip_level) {
    auto file = GzWriter::create(path, gzip_level);
    if (!file) return core::fail(file.error());
    StreamWriter writer(std::move(*file));
    std::string line = detail::header_to_json(header).dump();
    line += '\n';
    if (auto ok = writer.file_.write(line); !ok) return core::fail(ok.error());
    return writer;
}

core::Result<void> StreamWriter::check(const StreamRecord& r) const {
    const auto invalid = [&](const std::string& what) {
        return core::fail(core::Errc::kInvalidArgument,
                          "stream record " + std::to_string(r.index) + ": " + what);
    };
    if (r.index != written_) {
        return invalid("index out of sequence (expected " + std::to_string(written_) + ")");
    }
    if (r.event.time_ms < last_time_ms_) return invalid("time goes backwards");
    if (r.event.raw.empty()) return invalid("no raw bytes");
    if (core::keccak256(r.event.raw) != r.event.hash) return invalid("hash is not keccak(raw)");
    if (!r.event.claimed_sender) return invalid("no claimed sender");
    if (r.event.label != 0 && r.event.label != 1) return invalid("label is not 0 or 1");
    return {};
}

core::Result<void> StreamWriter::write(const StreamRecord& record) {
    if (auto ok = check(record); !ok) return ok;
    std::string line = detail::record_to_line(record);
    line += '\n';
    if (auto ok = file_.write(line); !ok) return ok;
    ++written_;
    last_time_ms_ = record.event.time_ms;
    return {};
}

}  // namespace mfd::chain::workload
