#include "plugin/examples/tx_source.hpp"

#include <fstream>

#ifdef MFD_HAVE_WORKLOAD
#include "chain_sim/workload/stream_reader.hpp"
#endif

namespace mfd::plugin::example {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

core::Result<void> open_hex(const std::filesystem::path& path,
                            std::function<core::Result<std::optional<TxInput>>()>& next) {
    auto in = std::make_shared<std::ifstream>(path);
    if (!*in) return core::fail(core::Errc::kNotFound, "cannot read " + path.string());
    auto line_no = std::make_shared<std::uint64_t>(0);
    next = [in, line_no]() -> core::Result<std::optional<TxInput>> {
        std::string line;
        while (std::getline(*in, line)) {
            ++*line_no;
            const std::string_view t = trim(line);
            if (t.empty() || t.front() == '#') continue;
            TxInput input;
            input.line = *line_no;
            if (auto bytes = core::from_hex(t)) {
                input.raw = std::move(*bytes);
            } else {
                input.error = bytes.error().to_string();
            }
            return std::optional<TxInput>(std::move(input));
        }
        if (in->bad()) return core::fail(core::Errc::kIo, "read error");
        return std::optional<TxInput>();
    };
    return {};
}

}  // namespace

core::Result<TxSource> TxSource::open(const std::filesystem::path& path) {
    TxSource source;
    const std::string name = path.filename().string();
    const bool stream = name.size() > 9 && name.ends_with(".jsonl.gz");
    if (!stream) {
        if (auto r = open_hex(path, source.next_); !r) return core::fail(r.error());
        return source;
    }
#ifdef MFD_HAVE_WORKLOAD
    auto reader = chain::workload::StreamReader::open(path);
    if (!reader) return core::fail(reader.error());
    source.chain_id_ = reader->header().chain.chain_id;
    auto shared = std::make_shared<chain::workload::StreamReader>(std::move(*reader));
    source.next_ = [shared]() -> core::Result<std::optional<TxInput>> {
        auto record = shared->next();
        if (!record) return core::fail(record.error());
        if (!*record) return std::optional<TxInput>();
        TxInput input{
            (*record)->index, std::move((*record)->event.raw), (*record)->event.time_ms, {}};
        return std::optional<TxInput>(std::move(input));
    };
    return source;
#else
    return core::fail(core::Errc::kUnavailable,
                      "this build reads .jsonl.gz streams only with the workload library");
#endif
}

}  // namespace mfd::plugin::example
