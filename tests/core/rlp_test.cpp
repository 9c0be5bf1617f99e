#include "core/rlp.hpp"

#include <gtest/gtest.h>

#include "tests/core/errc_testing.hpp"

namespace mfd::core {
namespace {

Bytes hex(std::string_view s) {
    return *from_hex(s);
}

Errc decode_error(std::string_view hex_input, const RlpLimits& limits = {}) {
    const Bytes in = hex(hex_input);
    return error_code(rlp_decode(in, limits));
}

// `depth` lists nested in one another, the innermost empty: c2 c1 c0 for depth 3. Built outside
// in, in linear time, so that very deep inputs stay cheap.
Bytes nested_lists(std::size_t depth) {
    std::vector<std::size_t> sizes{1};  // sizes[k]: encoded size of the k-th list from inside
    for (std::size_t k = 1; k < depth; ++k) {
        sizes.push_back(rlp_header(sizes.back(), true).size() + sizes.back());
    }
    Bytes out;
    for (std::size_t k = depth; k-- > 1;) append(out, rlp_header(sizes[k - 1], true));
    out.push_back(0xc0);
    return out;
}

TEST(RlpEncoder, WritesShortAndLongFormsAtThe55ByteBoundary) {
    EXPECT_EQ(to_hex(rlp_encode_bytes(Bytes(55, 'a'))).substr(0, 4), "0xb7");
    EXPECT_EQ(to_hex(rlp_encode_bytes(Bytes(56, 'a'))).substr(0, 6), "0xb838");
    EXPECT_EQ(to_hex(rlp_encode_bytes(Bytes(1024, 'a'))).substr(0, 8), "0xb90400");
    EXPECT_EQ(to_hex(rlp_encode_list({Bytes(55, 0x01)})).substr(0, 4), "0xf7");
    EXPECT_EQ(to_hex(rlp_encode_list({Bytes(56, 0x01)})).substr(0, 6), "0xf838");
}

TEST(RlpEncoder, EncodesIntegersMinimally) {
    EXPECT_EQ(to_hex(rlp_encode_uint(0)), "0x80");
    EXPECT_EQ(to_hex(rlp_encode_uint(0x7f)), "0x7f");
    EXPECT_EQ(to_hex(rlp_encode_uint(0x80)), "0x8180");
    EXPECT_EQ(to_hex(rlp_encode_uint(0x0400)), "0x820400");
    EXPECT_EQ(to_hex(rlp_encode_uint(U256::max())), "0xa0" + std::string(64, 'f'));
    RlpEncoder enc;
    enc.add_uint(std::uint64_t{0}).add_uint(std::uint64_t{1024});
    EXPECT_EQ(to_hex(*enc.take()), "0x80820400");
}

TEST(RlpEncoder, BuildsNestedLists) {
    RlpEncoder enc;
    enc.begin_list().add_string("zw").begin_list().add_uint(std::uint64_t{4}).end_list();
    enc.add_uint(std::uint64_t{1}).end_list();
    EXPECT_EQ(to_hex(*enc.take()), "0xc6827a77c10401");
    RlpEncoder nested;
    nested.begin_list().begin_list().begin_list().end_list().end_list().end_list();
    EXPECT_EQ(to_hex(*nested.take()), "0xc2c1c0");
}

TEST(RlpEncoder, AddRawKeepsPreEncodedItems) {
    RlpEncoder enc;
    enc.begin_list().add_raw(rlp_encode_bytes(as_bytes("dog"))).add_raw(hex("c0")).end_list();
    EXPECT_EQ(to_hex(*enc.take()), "0xc583646f67c0");
}

TEST(RlpEncoder, UnbalancedListsAreReportedByTake) {
    RlpEncoder open;
    open.begin_list();
    EXPECT_EQ(open.open_lists(), 1u);
    EXPECT_EQ(error_code(open.take()), Errc::kInternal);
    RlpEncoder closed;
    closed.end_list().add_uint(std::uint64_t{1});
    EXPECT_EQ(error_code(closed.take()), Errc::kInternal);
}

TEST(RlpDecode, GivesViewsIntoTheInput) {
    const Bytes in = hex("c883646f6783636174");
    auto top = rlp_decode(in);
    ASSERT_TRUE(top);
    EXPECT_TRUE(top->is_list);
    EXPECT_EQ(top->encoded.data(), in.data());
    auto items = rlp_list_items(*top);
    ASSERT_TRUE(items);
    ASSERT_EQ(items->size(), 2u);
    EXPECT_EQ((*items)[0].payload.data(), in.data() + 2);
    EXPECT_EQ((*items)[1].payload.data(), in.data() + 6);
    EXPECT_EQ(std::string((*items)[1].payload.begin(), (*items)[1].payload.end()), "cat");
}

TEST(RlpDecode, RejectsEachNonCanonicalFormWithItsOwnReason) {
    EXPECT_EQ(decode_error(""), Errc::kRlpEof);
    EXPECT_EQ(decode_error("b8"), Errc::kRlpEof);
    EXPECT_EQ(decode_error("f9"), Errc::kRlpEof);
    EXPECT_EQ(decode_error("8080"), Errc::kRlpTrailingBytes);
    EXPECT_EQ(decode_error("b800"), Errc::kRlpLeadingZeros);
    EXPECT_EQ(decode_error("b80100"), Errc::kRlpNonCanonicalSize);
    EXPECT_EQ(decode_error("b90038" + std::string(112, '6')), Errc::kRlpLeadingZeros);
    EXPECT_EQ(decode_error("b83700" + std::string(108, '6')), Errc::kRlpNonCanonicalSize);
    EXPECT_EQ(decode_error("f80180"), Errc::kRlpNonCanonicalSize);
    EXPECT_EQ(decode_error("8100"), Errc::kRlpSingleByteString);
    EXPECT_EQ(decode_error("817f"), Errc::kRlpSingleByteString);
    EXPECT_EQ(decode_error("8180"), Errc::kOk);
    EXPECT_EQ(decode_error("83646f"), Errc::kRlpSizeOverflow);
    EXPECT_EQ(decode_error("c3646f"), Errc::kRlpSizeOverflow);
}

TEST(RlpDecode, ChecksItemsInsideNestedLists) {
    EXPECT_EQ(decode_error("c3c28100"), Errc::kRlpSingleByteString);
    EXPECT_EQ(decode_error("c3c2b800"), Errc::kRlpLeadingZeros);
    // The inner string announces 3 bytes but its list holds only 1 more: it runs past the list
    // even though the input continues.
    EXPECT_EQ(decode_error("c5c28361626364"), Errc::kRlpSizeOverflow);
    EXPECT_EQ(decode_error("c6c0c0c3c28080"), Errc::kOk);
}

TEST(RlpDecode, RejectsLengthsThatOverflow) {
    EXPECT_EQ(decode_error("bfffffffffffffffff00"), Errc::kRlpSizeOverflow);
    EXPECT_EQ(decode_error("ff8000000000000000"), Errc::kRlpSizeOverflow);
    EXPECT_EQ(decode_error("bb7fffffff00"), Errc::kRlpSizeOverflow);
}

TEST(RlpDecode, LimitsNestingDepth) {
    EXPECT_TRUE(rlp_decode(nested_lists(64)));
    auto too_deep = rlp_decode(nested_lists(65));
    ASSERT_FALSE(too_deep);
    EXPECT_EQ(too_deep.error().code, Errc::kRlpTooDeep);
    EXPECT_TRUE(rlp_decode(nested_lists(3), RlpLimits{3}));
    EXPECT_EQ(error_code(rlp_decode(nested_lists(4), RlpLimits{3})), Errc::kRlpTooDeep);
    EXPECT_EQ(error_code(rlp_decode(nested_lists(1), RlpLimits{0})), Errc::kRlpTooDeep);
    EXPECT_TRUE(rlp_decode(hex("80"), RlpLimits{0}));
    // Far deeper than any call stack would survive if the decoder recursed.
    EXPECT_EQ(to_hex(nested_lists(3)), "0xc2c1c0");
    EXPECT_TRUE(rlp_decode(nested_lists(1000000), RlpLimits{1000000}));
}

TEST(RlpDecode, ErrorMessagesNameTheOffset) {
    auto r = rlp_decode(hex("c3c2b800"));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("at byte 2"), std::string::npos) << r.error().message;
}

TEST(RlpListReader, ReadsItemsInOrderAndReportsTheEnd) {
    const Bytes in = hex("c3010203");
    auto top = rlp_decode(in);
    ASSERT_TRUE(top);
    auto reader = RlpListReader::open(*top);
    ASSERT_TRUE(reader);
    for (std::uint64_t expected = 1; expected <= 3; ++expected) {
        auto item = reader->next();
        ASSERT_TRUE(item);
        EXPECT_EQ(*rlp_uint64(*item), expected);
    }
    EXPECT_TRUE(reader->at_end());
    EXPECT_EQ(reader->position(), 3u);
    EXPECT_EQ(error_code(reader->next()), Errc::kRlpWrongFieldCount);
    const Bytes str = hex("83646f67");
    EXPECT_EQ(error_code(RlpListReader::open(*rlp_decode(str))), Errc::kRlpExpectedList);
    EXPECT_EQ(error_code(rlp_list_items(*rlp_decode(str))), Errc::kRlpExpectedList);
}

TEST(RlpIntegers, ReadCanonicalIntegersOfBoundedWidth) {
    auto item = [](std::string_view h) {
        static Bytes keep;
        keep = hex(h);
        return *rlp_decode(keep);
    };
    EXPECT_EQ(*rlp_uint64(item("80")), 0u);
    EXPECT_EQ(*rlp_uint64(item("7f")), 0x7fu);
    EXPECT_EQ(*rlp_uint64(item("88ffffffffffffffff")), ~std::uint64_t{0});
    EXPECT_EQ(error_code(rlp_uint64(item("89010000000000000000"))), Errc::kOutOfRange);
    EXPECT_EQ(error_code(rlp_uint64(item("00"))), Errc::kRlpLeadingZeros);
    EXPECT_EQ(error_code(rlp_uint64(item("820001"))), Errc::kRlpLeadingZeros);
    EXPECT_EQ(error_code(rlp_uint64(item("c0"))), Errc::kRlpExpectedString);
    EXPECT_EQ(*rlp_u256(item("a0" + std::string(64, 'f'))), U256::max());
    EXPECT_EQ(error_code(rlp_u256(item("a101" + std::string(64, '0')))), Errc::kOutOfRange);
    EXPECT_EQ(error_code(rlp_uint_bytes(item("83010203"), 2)), Errc::kOutOfRange);
    EXPECT_EQ(rlp_uint_bytes(item("83010203"), 3)->size(), 3u);
    EXPECT_EQ(error_code(rlp_string(item("c0"))), Errc::kRlpExpectedString);
}

}  // namespace
}  // namespace mfd::core
