#include "storage/keys.hpp"

#include <algorithm>
#include <string>

namespace mfd::storage {

BlockNumberKey block_number_key(std::uint64_t number) noexcept {
    BlockNumberKey key;
    core::put_be64(key.data(), number);
    return key;
}

core::Result<std::uint64_t> decode_block_number_key(core::ByteView key) {
    if (key.size() != BlockNumberKey::kSize) {
        return core::fail(core::Errc::kCorruption,
                          "block number key must be 8 bytes, got " + std::to_string(key.size()));
    }
    return core::get_be64(key.data());
}

StorageSlotKey storage_slot_key(const core::Address& contract, const core::Hash& slot) noexcept {
    StorageSlotKey key;
    std::copy(contract.bytes.begin(), contract.bytes.end(), key.bytes.begin());
    std::copy(slot.bytes.begin(), slot.bytes.end(), key.bytes.begin() + core::Address::kSize);
    return key;
}

core::Result<std::pair<core::Address, core::Hash>> decode_storage_slot_key(core::ByteView key) {
    if (key.size() != StorageSlotKey::kSize) {
        return core::fail(core::Errc::kCorruption,
                          "storage slot key must be 52 bytes, got " + std::to_string(key.size()));
    }
    auto contract = core::Address::from(key.first(core::Address::kSize));
    auto slot = core::Hash::from(key.subspan(core::Address::kSize));
    return std::pair{*contract, *slot};
}

}  // namespace mfd::storage
