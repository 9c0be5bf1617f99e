// Key encodings: exact layout, round trips, order preservation and rejected lengths.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "storage/keys.hpp"

namespace mfd::storage::test {
namespace {

TEST(BlockNumberKey, IsEightBytesBigEndian) {
    EXPECT_EQ(block_number_key(0x0102030405060708ULL).hex(), "0x0102030405060708");
    EXPECT_EQ(block_number_key(0).hex(), "0x0000000000000000");
    EXPECT_EQ(block_number_key(~0ULL).hex(), "0xffffffffffffffff");
}

TEST(BlockNumberKey, ByteOrderIsNumericOrder) {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 10'000; ++i) {
        const std::uint64_t a = rng() >> (rng() % 64);
        const std::uint64_t b = rng() >> (rng() % 64);
        EXPECT_EQ(a < b, block_number_key(a) < block_number_key(b)) << a << " vs " << b;
        EXPECT_EQ(*decode_block_number_key(block_number_key(a).view()), a);
    }
}

TEST(BlockNumberKey, WrongLengthIsCorruption) {
    const core::Bytes seven(7, 0), nine(9, 0);
    EXPECT_EQ(decode_block_number_key(seven).error().code, core::Errc::kCorruption);
    EXPECT_EQ(decode_block_number_key(nine).error().code, core::Errc::kCorruption);
}

TEST(StorageSlotKey, IsAddressThenSlot) {
    const auto contract = *core::fixed_from_hex<20>("0x00112233445566778899aabbccddeeff00112233");
    core::Hash slot;
    slot.bytes[31] = 5;
    const auto key = storage_slot_key(contract, slot);
    EXPECT_EQ(key.hex(), "0x00112233445566778899aabbccddeeff00112233" + std::string(62, '0') +
                             "05");
    const auto decoded = decode_storage_slot_key(key.view());
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->first, contract);
    EXPECT_EQ(decoded->second, slot);
}

TEST(StorageSlotKey, GroupsSlotsByContract) {
    core::Address low, high;
    low.bytes[19] = 1;
    high.bytes[19] = 2;
    core::Hash max_slot;
    max_slot.bytes.fill(0xff);
    EXPECT_LT(storage_slot_key(low, max_slot), storage_slot_key(high, core::Hash{}));
    const auto prefix = storage_slot_key(low, max_slot);
    EXPECT_TRUE(std::equal(low.bytes.begin(), low.bytes.end(), prefix.bytes.begin()));
}

TEST(StorageSlotKey, WrongLengthIsCorruption) {
    const core::Bytes short_key(51, 0), long_key(53, 0);
    EXPECT_EQ(decode_storage_slot_key(short_key).error().code, core::Errc::kCorruption);
    EXPECT_EQ(decode_storage_slot_key(long_key).error().code, core::Errc::kCorruption);
}

}  // namespace
}  // namespace mfd::storage::test
