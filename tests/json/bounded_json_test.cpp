#include "json/bounded_json.hpp"

#include <gtest/gtest.h>

namespace mfd::json {
namespace {

using json = nlohmann::json;

TEST(BoundedJson, BuildsTheSameDocumentAsTheLibrary) {
    const std::string text =
        R"({"a":[1,-2,3.5,1e3,18446744073709551615,true,false,null,"s\u00e9\n"],)"
        R"("b":{"c":{"d":[]}},"e":{},"dup":1,"dup":2})";
    auto parsed = parse_bounded(text, 8);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, json::parse(text));
    EXPECT_EQ((*parsed)["dup"], 2);  // the last duplicate wins, as in nlohmann::json::parse
}

TEST(BoundedJson, ScalarsAtTheTop) {
    EXPECT_EQ(*parse_bounded("42", 0), json(42));
    EXPECT_EQ(*parse_bounded(" \"x\" ", 0), json("x"));
    EXPECT_FALSE(parse_bounded("[]", 0));
}

TEST(BoundedJson, DepthIsCountedPerContainer) {
    EXPECT_TRUE(parse_bounded("[[{}]]", 3));
    auto r = parse_bounded("[[{}]]", 2);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kLimitExceeded);
    EXPECT_TRUE(parse_bounded("[[],[],{\"a\":1}]", 2));  // siblings do not add up
    EXPECT_FALSE(parse_bounded("[[],[],{\"a\":[]}]", 2));
}

TEST(BoundedJson, HugeNestingFailsFastWithoutRecursion) {
    auto r = parse_bounded(std::string(10'000'000, '['), 64);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kLimitExceeded);
}

TEST(BoundedJson, SyntaxErrorsCarryTheParserMessage) {
    const std::string_view inputs[] = {"",
                                       "{",
                                       "[1,]",
                                       std::string_view("{}\0", 3),
                                       std::string_view("[1]\0garbage", 12),
                                       "{\"a\" 1}",
                                       "tru",
                                       "1 2",
                                       "\"\x01\"",
                                       "\"\xc3\x28\"",
                                       "{\"a\":1}}",
                                       "[\"\\x\"]"};
    for (std::string_view bad : inputs) {
        auto r = parse_bounded(bad, 64);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument) << bad;
        EXPECT_FALSE(r.error().message.empty());
    }
}

TEST(BoundedJson, RecordsTheTextOfNumbersThatWouldPrintDifferently) {
    RawNumbers raw;
    auto doc = parse_bounded(
        R"({"a":-0,"b":0,"c":1e3,"d":[1.5],"e":{"f":123456789012345678901234567890},"g":7,)"
        R"("h":2.5,"h":3})",
        8, &raw);
    ASSERT_TRUE(doc) << doc.error().to_string();
    const json& d = *doc;
    EXPECT_EQ(raw.at(&d["a"]), "-0");
    EXPECT_EQ(raw.count(&d["b"]), 0U);
    EXPECT_EQ(raw.at(&d["c"]), "1e3");
    EXPECT_EQ(raw.at(&d["e"]["f"]), "123456789012345678901234567890");
    EXPECT_EQ(raw.count(&d["g"]), 0U);
    EXPECT_EQ(raw.count(&d["h"]), 0U);  // the later 3 replaced 2.5
    EXPECT_EQ(raw.size(), 3U);          // and nothing from inside the array
}

}  // namespace
}  // namespace mfd::json
