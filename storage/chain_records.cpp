#include "storage/chain_records.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "core/keccak.hpp"
#include "storage/keys.hpp"

namespace mfd::storage {
namespace {

constexpr std::string_view kBlockHashPrefix = "block_hash/";
constexpr std::size_t kLocationSize = 12;

core::Bytes block_hash_key(const core::Hash& hash) {
    core::Bytes key(kBlockHashPrefix.size() + core::Hash::kSize);
    std::copy(kBlockHashPrefix.begin(), kBlockHashPrefix.end(), key.begin());
    std::copy(hash.bytes.begin(), hash.bytes.end(), key.begin() + kBlockHashPrefix.size());
    return key;
}

core::Bytes tx_record(std::uint64_t number, std::uint32_t index, core::ByteView raw) {
    core::Bytes record(kLocationSize);
    core::put_be64(record.data(), number);
    for (int i = 0; i < 4; ++i) record[8 + i] = static_cast<std::uint8_t>(index >> (24 - 8 * i));
    core::append(record, raw);
    return record;
}

core::Unexpected corrupt(const std::string& what, const core::Error& cause) {
    return core::fail(core::Errc::kCorruption, what + ": " + cause.to_string());
}

}  // namespace

core::Result<void> put_block(core::WriteBatch& batch, const core::Block& block) {
    if (block.transactions.size() > std::numeric_limits<std::uint32_t>::max()) {
        return core::fail(core::Errc::kLimitExceeded,
                          "block " + std::to_string(block.header.number) + " has " +
                              std::to_string(block.transactions.size()) + " transactions");
    }
    const std::uint64_t number = block.header.number;
    batch.put(core::Column::kBlocks, block_number_key(number).view(), core::encode_block(block));
    batch.put(core::Column::kMeta, block_hash_key(core::block_hash(block.header)),
              block_number_key(number).view());
    for (std::size_t i = 0; i < block.transactions.size(); ++i) {
        const auto& raw = block.transactions[i];
        batch.put(core::Column::kTxs, core::keccak256(raw).view(),
                  tx_record(number, static_cast<std::uint32_t>(i), raw));
    }
    return {};
}

core::Result<std::optional<core::Block>> get_block(const core::KvStore& store,
                                                   std::uint64_t number) {
    auto bytes = store.get(core::Column::kBlocks, block_number_key(number).view());
    if (!bytes) return core::fail(bytes.error());
    if (!bytes->has_value()) return std::optional<core::Block>{};
    auto block = core::decode_block(**bytes);
    if (!block) return corrupt("stored block " + std::to_string(number), block.error());
    if (block->header.number != number) {
        return core::fail(core::Errc::kCorruption,
                          "stored under number " + std::to_string(number) + " is block " +
                              std::to_string(block->header.number));
    }
    return std::optional<core::Block>{std::move(*block)};
}

core::Result<std::optional<core::Block>> get_block_by_hash(const core::KvStore& store,
                                                           const core::Hash& hash) {
    auto entry = store.get(core::Column::kMeta, block_hash_key(hash));
    if (!entry) return core::fail(entry.error());
    if (!entry->has_value()) return std::optional<core::Block>{};
    auto number = decode_block_number_key(**entry);
    if (!number) return corrupt("block hash index of " + hash.hex(), number.error());
    auto block = get_block(store, *number);
    if (!block) return core::fail(block.error());
    if (!block->has_value() || core::block_hash((*block)->header) != hash) {
        return core::fail(core::Errc::kCorruption, "block hash index sends " + hash.hex() +
                                                       " to block " + std::to_string(*number) +
                                                       ", which is missing or different");
    }
    return block;
}

core::Result<std::optional<StoredTx>> get_transaction(const core::KvStore& store,
                                                      const core::Hash& tx_hash) {
    auto record = store.get(core::Column::kTxs, tx_hash.view());
    if (!record) return core::fail(record.error());
    if (!record->has_value()) return std::optional<StoredTx>{};
    const core::Bytes& bytes = **record;
    if (bytes.size() < kLocationSize) {
        return core::fail(core::Errc::kCorruption, "transaction record of " + tx_hash.hex() +
                                                       " has " + std::to_string(bytes.size()) +
                                                       " bytes, less than its location");
    }
    StoredTx tx;
    tx.location.block_number = core::get_be64(bytes.data());
    for (int i = 0; i < 4; ++i) tx.location.index = (tx.location.index << 8) | bytes[8 + i];
    tx.raw.assign(bytes.begin() + kLocationSize, bytes.end());
    return std::optional<StoredTx>{std::move(tx)};
}

void put_receipt(core::WriteBatch& batch, const core::Hash& tx_hash,
                 const core::Receipt& receipt) {
    batch.put(core::Column::kReceipts, tx_hash.view(), core::encode_receipt(receipt));
}

core::Result<std::optional<core::Receipt>> get_receipt(const core::KvStore& store,
                                                       const core::Hash& tx_hash) {
    auto bytes = store.get(core::Column::kReceipts, tx_hash.view());
    if (!bytes) return core::fail(bytes.error());
    if (!bytes->has_value()) return std::optional<core::Receipt>{};
    auto receipt = core::decode_receipt(**bytes);
    if (!receipt) return corrupt("stored receipt of " + tx_hash.hex(), receipt.error());
    return std::optional<core::Receipt>{std::move(*receipt)};
}

}  // namespace mfd::storage
