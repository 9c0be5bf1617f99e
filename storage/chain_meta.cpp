#include "storage/chain_meta.hpp"

#include <string>

#include "storage/keys.hpp"

namespace mfd::storage {

core::Result<std::optional<std::uint64_t>> last_committed_height(const core::KvStore& store) {
    auto value = store.get(core::Column::kMeta, core::as_bytes(kCommittedHeightKey));
    if (!value) return core::fail(value.error());
    if (!value->has_value()) return std::optional<std::uint64_t>{};
    auto height = decode_block_number_key(**value);
    if (!height) {
        return core::fail(core::Errc::kCorruption,
                          "meta/committed_height holds " + std::to_string((*value)->size()) +
                              " bytes, expected 8");
    }
    return std::optional<std::uint64_t>{*height};
}

void put_committed_height(core::WriteBatch& batch, std::uint64_t height) {
    batch.put(core::Column::kMeta, core::as_bytes(kCommittedHeightKey),
              block_number_key(height).view());
}

}  // namespace mfd::storage
