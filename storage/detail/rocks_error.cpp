#include "storage/detail/rocks_error.hpp"

#include <string>

namespace mfd::storage::detail {
namespace {

// RocksDB reports a LOCK file held by another process ("While lock file") or by this process
// ("lock hold by current process") as an IOError; only the message tells it apart.
bool is_lock_conflict(const rocksdb::Status& status) {
    const std::string text = status.ToString();
    return text.find("While lock file") != std::string::npos ||
           text.find("lock hold by current process") != std::string::npos;
}

core::Errc code_of(const rocksdb::Status& status) {
    if (status.IsCorruption()) return core::Errc::kCorruption;
    if (status.IsIOError() && is_lock_conflict(status)) return core::Errc::kUnavailable;
    if (status.IsBusy() || status.IsTimedOut() || status.IsTryAgain()) {
        return core::Errc::kUnavailable;
    }
    if (status.IsNotFound()) return core::Errc::kNotFound;
    if (status.IsInvalidArgument() || status.IsNotSupported()) {
        return core::Errc::kInvalidArgument;
    }
    return core::Errc::kIo;
}

}  // namespace

core::Error to_error(const rocksdb::Status& status, std::string_view what) {
    const core::Errc code = code_of(status);
    std::string message(what);
    if (code == core::Errc::kUnavailable && status.IsIOError()) {
        message += ": the database is locked (open in another process or already in this one)";
    }
    message += ": ";
    message += status.ToString();
    return core::Error{code, std::move(message)};
}

}  // namespace mfd::storage::detail
