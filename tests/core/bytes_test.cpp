#include "core/bytes.hpp"

#include <gtest/gtest.h>

namespace mfd::core {
namespace {

TEST(Hex, RoundTripsWithAndWithoutPrefix) {
    const Bytes b{0x00, 0x01, 0xab, 0xff};
    EXPECT_EQ(to_hex(b), "0x0001abff");
    EXPECT_EQ(to_hex(b, false), "0001abff");
    EXPECT_EQ(*from_hex("0x0001ABff"), b);
    EXPECT_EQ(*from_hex("0001abff"), b);
    EXPECT_TRUE(from_hex("0x")->empty());
    EXPECT_TRUE(from_hex("")->empty());
}

TEST(Hex, RejectsOddLengthAndNonHexWithReason) {
    auto odd = from_hex("0xabc");
    ASSERT_FALSE(odd);
    EXPECT_EQ(odd.error().code, Errc::kBadHex);
    auto bad = from_hex("0xzz");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, Errc::kBadHex);
    EXPECT_NE(bad.error().message.find("digit 0"), std::string::npos);
    EXPECT_FALSE(from_hex("0x0g"));
    EXPECT_FALSE(from_hex("x0"));
}

TEST(FixedBytes, ChecksLengthAndOrdersLexicographically) {
    EXPECT_FALSE(fixed_from_hex<20>("0x00"));
    auto a = fixed_from_hex<20>("0x0000000000000000000000000000000000000001");
    auto b = fixed_from_hex<20>("0x0100000000000000000000000000000000000000");
    ASSERT_TRUE(a && b);
    EXPECT_LT(*a, *b);
    EXPECT_EQ(a->hex(), "0x0000000000000000000000000000000000000001");
    EXPECT_FALSE(a->is_zero());
    EXPECT_TRUE(Address{}.is_zero());
    const Bytes three{1, 2, 3};
    EXPECT_EQ(Hash::right_aligned(three).bytes[31], 3);
    EXPECT_EQ(Hash::right_aligned(three).bytes[28], 0);
}

TEST(Bytes, BigEndianHelpers) {
    EXPECT_TRUE(be_trimmed(0).empty());
    EXPECT_EQ(be_trimmed(0x0400), (Bytes{0x04, 0x00}));
    std::uint8_t buf[8];
    put_be64(buf, 0x0102030405060708ULL);
    EXPECT_EQ(buf[0], 1);
    EXPECT_EQ(get_be64(buf), 0x0102030405060708ULL);
}

}  // namespace
}  // namespace mfd::core
