#include "core/uint256.hpp"

#include <gtest/gtest.h>

namespace mfd::core {
namespace {

U256 dec(const char* s) { return *U256::from_string(s); }

TEST(U256, ParsesAndPrintsDecimalAndHex) {
    const char* big = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    EXPECT_EQ(dec(big), U256::max());
    EXPECT_EQ(U256::max().to_dec(), big);
    EXPECT_EQ(dec("1000000000000000000").to_hex(), "0xde0b6b3a7640000");
    EXPECT_EQ(dec("0x0").to_dec(), "0");
    EXPECT_EQ(U256(0).to_hex(), "0x0");
    EXPECT_EQ(dec("0x10000000000000000").to_dec(), "18446744073709551616");
    EXPECT_EQ(dec("10000000000000000000").to_dec(), "10000000000000000000");
    EXPECT_FALSE(U256::from_string("115792089237316195423570985008687907853269984665640564039457584007913129639936"));
    EXPECT_FALSE(U256::from_string("0x1" + std::string(64, '0')));
    EXPECT_FALSE(U256::from_string("12a"));
    EXPECT_FALSE(U256::from_string(""));
    EXPECT_FALSE(U256::from_string("0x"));
}

TEST(U256, BigEndianBytes) {
    const U256 v = dec("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
    EXPECT_EQ(v.to_be32().bytes[0], 1);
    EXPECT_EQ(v.to_be32().bytes[31], 0x20);
    EXPECT_EQ(*U256::from_be(v.to_be32().view()), v);
    EXPECT_EQ(U256(0x0400).to_be_trimmed(), (Bytes{0x04, 0x00}));
    EXPECT_TRUE(U256(0).to_be_trimmed().empty());
    Bytes too_long(33, 1);
    EXPECT_FALSE(U256::from_be(too_long));
    Bytes padded(40, 0);
    padded.back() = 9;
    EXPECT_EQ(*U256::from_be(padded), U256(9));
}

TEST(U256, ArithmeticWrapsAndCheckedReportsOverflow) {
    U256 out;
    EXPECT_EQ(U256::max() + U256(1), U256(0));
    EXPECT_FALSE(checked_add(U256::max(), 1, out));
    EXPECT_TRUE(checked_add(dec("18446744073709551615"), 1, out));
    EXPECT_EQ(out.to_dec(), "18446744073709551616");
    EXPECT_EQ(U256(0) - U256(1), U256::max());
    EXPECT_FALSE(checked_sub(3, 4, out));
    EXPECT_TRUE(checked_mul(dec("340282366920938463463374607431768211455"),
                            dec("340282366920938463463374607431768211457"), out));
    EXPECT_EQ(out, U256::max());
    EXPECT_FALSE(checked_mul(U256(1) << 128, U256(1) << 128, out));
    EXPECT_EQ((U256(1) << 255) >> 255, U256(1));
    EXPECT_EQ(U256(1) << 256, U256(0));
    EXPECT_EQ((U256(1) << 64).bit_length(), 65U);
}

TEST(U256, DivisionSmallAndLargeDivisors) {
    EXPECT_EQ(U256(100) / U256(7), U256(14));
    EXPECT_EQ(U256(100) % U256(7), U256(2));
    EXPECT_EQ(U256(5) / U256(0), U256(0));
    const U256 a = dec("98765432109876543210987654321098765432109876543210");
    const U256 b = dec("12345678901234567890123456789");
    const auto [q, r] = divmod(a, b);
    EXPECT_EQ(q * b + r, a);
    EXPECT_LT(r, b);
    EXPECT_EQ(q.to_dec(), "8000000072900000663390");
    EXPECT_EQ((U256::max() / (U256(1) << 200)), (U256(1) << 56) - U256(1));
}

}  // namespace
}  // namespace mfd::core
