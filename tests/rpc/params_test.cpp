#include "plugin/rpc/params.hpp"

#include <gtest/gtest.h>

namespace mfd::rpc {
namespace {

using json = nlohmann::json;

TEST(Params, PositionalAndNamedBindTheSameWay) {
    const json positional = json::array({"0x1", true});
    const json named = {{"full", true}, {"block", "0x1"}};
    for (const json* params : {&positional, &named}) {
        auto p = Params::bind(*params, {"block", "full"}, 1);
        ASSERT_TRUE(p) << p.error().message;
        EXPECT_EQ(p->at(0), "0x1");
        EXPECT_EQ(p->at(1), true);
        EXPECT_TRUE(p->has(1));
        EXPECT_FALSE(p->has(2));
        EXPECT_TRUE(p->at(5).is_null());
    }
}

TEST(Params, OptionalParamsMayBeLeftOutOrNull) {
    const json with_null = json::array({"a", nullptr});
    auto p = Params::bind(with_null, {"x", "y"}, 1);
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->has(0));
    EXPECT_FALSE(p->has(1));
    const json absent;
    p = Params::bind(absent, {"x"}, 0);
    ASSERT_TRUE(p);
    EXPECT_FALSE(p->has(0));
}

TEST(Params, ErrorsNameTheParameter) {
    auto p = Params::bind(json::array({1}), {"a", "b"}, 2);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().code, core::Errc::kInvalidArgument);
    EXPECT_EQ(p.error().message, "missing param 1 (b)");
    p = Params::bind(json::array({1, nullptr}), {"a", "b"}, 2);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().message, "missing param 1 (b)");
    p = Params::bind(json::array({1, 2, 3}), {"a", "b"}, 0);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().message, "too many params: got 3, the method takes at most 2");
    p = Params::bind(json{{"a", 1}, {"zz", 2}}, {"a", "b"}, 0);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().message, "unknown param \"zz\"");
    EXPECT_FALSE(Params::bind(json("str"), {"a"}, 0));
}

TEST(Params, Integers) {
    EXPECT_EQ(*read_int64(json(-5), "n"), -5);
    EXPECT_EQ(*read_int64(json(9223372036854775807LL), "n"), 9223372036854775807LL);
    EXPECT_FALSE(read_int64(json(9223372036854775808ULL), "n"));
    EXPECT_FALSE(read_int64(json(1.5), "n"));
    EXPECT_FALSE(read_int64(json("1"), "n"));
    EXPECT_EQ(*read_uint64(json(18446744073709551615ULL), "n"), 18446744073709551615ULL);
    auto r = read_uint64(json(-1), "param 0 (count)");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message,
              "param 0 (count): expected a non-negative integer in uint64 range, got -1");
}

TEST(Params, BooleansAndStrings) {
    EXPECT_TRUE(*read_bool(json(true), "b"));
    EXPECT_FALSE(read_bool(json(1), "b"));
    EXPECT_EQ(*read_string(json("abc"), "s"), "abc");
    EXPECT_FALSE(read_string(json(std::string(10, 'x')), "s", 9));
    EXPECT_FALSE(read_string(json::array(), "s"));
}

TEST(Params, QuotedValuesAreShortAndPrintable) {
    EXPECT_EQ(quote_value(json::array({1})), "an array");
    EXPECT_EQ(quote_value(json::object()), "an object");
    EXPECT_EQ(quote_value(json(std::string(100, 'z'))).size(), 43u);
    EXPECT_EQ(quote_value(json("\xc3\xa9")), "\"\\u00e9\"");
}

}  // namespace
}  // namespace mfd::rpc
