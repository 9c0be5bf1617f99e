#include "chain_sim/workload/gz_file.hpp"

#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace mfd::chain::workload {
namespace {

constexpr std::size_t kReadChunk = 1 << 20;
constexpr unsigned kZlibBuffer = 1 << 18;

gzFile as_gz(const detail::GzHandle& h) noexcept {
    return static_cast<gzFile>(h.get());
}

core::Unexpected open_error(const std::filesystem::path& path, int err) {
    const core::Errc code = err == ENOENT ? core::Errc::kNotFound : core::Errc::kIo;
    return core::fail(code, "cannot open " + path.string() + ": " +
                                (err != 0 ? std::strerror(err) : "zlib could not open it"));
}

}  // namespace

namespace detail {
void GzCloser::operator()(void* file) const noexcept {
    if (file != nullptr) gzclose(static_cast<gzFile>(file));
}
}  // namespace detail

core::Result<GzLineReader> GzLineReader::open(const std::filesystem::path& path,
                                              bool require_gzip) {
    errno = 0;
    detail::GzHandle file(gzopen(path.c_str(), "rb"));
    if (!file) return open_error(path, errno);
    gzbuffer(as_gz(file), kZlibBuffer);
    if (require_gzip && gzdirect(as_gz(file)) == 1) {
        return core::fail(core::Errc::kCorruption, path.string() + " is not a gzip file");
    }
    return GzLineReader(path, std::move(file));
}

core::Result<bool> GzLineReader::refill() {
    if (begin_ > 0) {
        buffer_.erase(0, begin_);
        begin_ = 0;
    }
    const std::size_t old = buffer_.size();
    buffer_.resize(old + kReadChunk);
    const int n = gzread(as_gz(file_), buffer_.data() + old, static_cast<unsigned>(kReadChunk));
    buffer_.resize(old + static_cast<std::size_t>(n > 0 ? n : 0));
    if (n > 0) return true;
    int errnum = Z_OK;
    const char* message = gzerror(as_gz(file_), &errnum);
    const std::string where = path_.string() + " after line " + std::to_string(line_number_);
    if (errnum == Z_BUF_ERROR) {
        return core::fail(core::Errc::kCorruption, "truncated gzip stream in " + where);
    }
    if (errnum == Z_ERRNO) {
        return core::fail(core::Errc::kIo, "read error in " + where + ": " + std::strerror(errno));
    }
    if (errnum != Z_OK) {
        return core::fail(core::Errc::kCorruption,
                          "damaged gzip stream in " + where + ": " + message);
    }
    eof_ = true;
    return false;
}

core::Result<std::optional<std::string_view>> GzLineReader::next_line() {
    std::size_t scanned = begin_;
    for (;;) {
        const std::size_t nl = buffer_.find('\n', scanned);
        if (nl != std::string::npos) {
            std::size_t end = nl;
            if (end > begin_ && buffer_[end - 1] == '\r') --end;
            const std::string_view line(buffer_.data() + begin_, end - begin_);
            begin_ = nl + 1;
            ++line_number_;
            return line;
        }
        if (eof_) break;
        scanned = buffer_.size() - begin_;
        if (scanned > GzLineReader::kMaxLineBytes) {
            return core::fail(core::Errc::kLimitExceeded,
                              path_.string() + ": line " + std::to_string(line_number_ + 1) +
                                  " is longer than " + std::to_string(kMaxLineBytes) + " bytes");
        }
        auto more = refill();
        if (!more) return core::fail(more.error());
    }
    if (begin_ >= buffer_.size()) return std::optional<std::string_view>{};
    std::size_t end = buffer_.size();
    if (buffer_[end - 1] == '\r') --end;
    const std::string_view line(buffer_.data() + begin_, end - begin_);
    begin_ = buffer_.size();
    ++line_number_;
    return line;
}

core::Result<GzWriter> GzWriter::create(const std::filesystem::path& path, int level) {
    if (level < 1 || level > 9) {
        return core::fail(core::Errc::kInvalidArgument,
                          "gzip level must be 1..9, got " + std::to_string(level));
    }
    const std::string mode = "wb" + std::to_string(level);
    errno = 0;
    detail::GzHandle file(gzopen(path.c_str(), mode.c_str()));
    if (!file) return open_error(path, errno);
    gzbuffer(as_gz(file), kZlibBuffer);
    return GzWriter(path, std::move(file));
}

core::Result<void> GzWriter::write(std::string_view text) {
    if (!file_) return core::fail(core::Errc::kIo, path_.string() + " is already closed");
    while (!text.empty()) {
        const unsigned n = static_cast<unsigned>(std::min<std::size_t>(text.size(), 1u << 30));
        if (gzwrite(as_gz(file_), text.data(), n) != static_cast<int>(n)) {
            int errnum = Z_OK;
            const char* message = gzerror(as_gz(file_), &errnum);
            return core::fail(core::Errc::kIo,
                              "cannot write " + path_.string() + ": " +
                                  (errnum == Z_ERRNO ? std::strerror(errno) : message));
        }
        text.remove_prefix(n);
    }
    return {};
}

core::Result<void> GzWriter::close() {
    if (!file_) return core::fail(core::Errc::kIo, path_.string() + " is already closed");
    errno = 0;
    const int rc = gzclose(static_cast<gzFile>(file_.release()));
    if (rc != Z_OK) {
        return core::fail(
            core::Errc::kIo,
            "cannot finish " + path_.string() + ": zlib error " + std::to_string(rc) +
                (errno != 0 ? std::string(", ") + std::strerror(errno) : std::string()));
    }
    return {};
}

}  // namespace mfd::chain::workload
