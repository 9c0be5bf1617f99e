#include "storage/memory_store.hpp"

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "storage/detail/column_check.hpp"

namespace mfd::storage {
namespace {

bool starts_with(core::ByteView key, core::ByteView prefix) noexcept {
    return key.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), key.begin());
}

}  // namespace

bool BytesLess::operator()(core::ByteView a, core::ByteView b) const noexcept {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

core::Result<std::optional<core::Bytes>> MemoryStore::get(core::Column column,
                                                         core::ByteView key) const {
    if (!detail::valid_column(column)) return detail::unknown_column(column);
    std::shared_lock lock(mutex_);
    const Table& table = tables_[static_cast<std::size_t>(column)];
    const auto it = table.find(key);
    if (it == table.end()) return std::optional<core::Bytes>{};
    return std::optional<core::Bytes>{it->second};
}

core::Result<void> MemoryStore::write(const core::WriteBatch& batch, bool /*sync*/) {
    for (const auto& op : batch.ops()) {
        if (!detail::valid_column(op.column)) return detail::unknown_column(op.column);
    }
    std::unique_lock lock(mutex_);
    if (read_only_) return core::fail(core::Errc::kInvalidArgument, "snapshot is read-only");
    if (write_failure_) return core::fail(*write_failure_);
    for (const auto& op : batch.ops()) {
        Table& table = tables_[static_cast<std::size_t>(op.column)];
        if (op.erase) {
            const auto it = table.find(core::ByteView(op.key));
            if (it != table.end()) table.erase(it);
        } else {
            table.insert_or_assign(op.key, op.value);
        }
    }
    return {};
}

core::Result<void> MemoryStore::scan(
    core::Column column, core::ByteView prefix,
    const std::function<bool(core::ByteView key, core::ByteView value)>& visit) const {
    if (!detail::valid_column(column)) return detail::unknown_column(column);
    std::vector<std::pair<core::Bytes, core::Bytes>> range;
    {
        std::shared_lock lock(mutex_);
        const Table& table = tables_[static_cast<std::size_t>(column)];
        for (auto it = table.lower_bound(prefix);
             it != table.end() && starts_with(it->first, prefix); ++it) {
            range.emplace_back(it->first, it->second);
        }
    }
    for (const auto& [key, value] : range) {
        if (!visit(key, value)) break;
    }
    return {};
}

std::unique_ptr<core::KvStore> MemoryStore::snapshot() const {
    auto copy = std::make_unique<MemoryStore>();
    std::shared_lock lock(mutex_);
    copy->tables_ = tables_;
    copy->read_only_ = true;
    return copy;
}

void MemoryStore::fail_writes(std::optional<core::Error> error) {
    std::unique_lock lock(mutex_);
    write_failure_ = std::move(error);
}

std::size_t MemoryStore::size(core::Column column) const {
    if (!detail::valid_column(column)) return 0;
    std::shared_lock lock(mutex_);
    return tables_[static_cast<std::size_t>(column)].size();
}

}  // namespace mfd::storage
