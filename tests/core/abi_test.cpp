#include "core/abi.hpp"

#include <gtest/gtest.h>

namespace mfd::core::abi {
namespace {

std::string hex_words(std::initializer_list<const char*> words) {
    std::string out = "0x";
    for (const char* w : words) out += w;
    return out;
}

Signature sig(const char* text) { return *parse_signature(text); }

TEST(Abi, ParsesTypesAndCanonicalNames) {
    EXPECT_EQ(parse_type("uint")->name(), "uint256");
    EXPECT_EQ(parse_type("int8")->name(), "int8");
    EXPECT_EQ(parse_type("(address,uint256)[]")->name(), "(address,uint256)[]");
    EXPECT_EQ(parse_type("uint32[2][]")->name(), "uint32[2][]");
    EXPECT_TRUE(parse_type("uint32[2][]")->is_dynamic());
    EXPECT_FALSE(parse_type("uint32[2]")->is_dynamic());
    EXPECT_EQ(parse_type("uint32[2]")->head_size(), 64U);
    EXPECT_EQ(sig("transfer(address, uint)").canonical, "transfer(address,uint256)");
    EXPECT_EQ(sig("transfer(address,uint256)").selector, 0xa9059cbbU);
    for (const char* bad : {"uint7", "uint264", "bytes0", "bytes33", "foo", "uint[0]", "(uint",
                            "uint256[", "", "uint01"}) {
        auto r = parse_type(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, Errc::kAbiDecode);
    }
    EXPECT_FALSE(parse_type(std::string(40, '(') + "uint" + std::string(40, ')')));
    EXPECT_FALSE(parse_signature("noparens"));
    // "()" is only an empty parameter list: no empty structs, no arrays of them.
    EXPECT_EQ(sig("totalSupply()").selector, 0x18160dddU);
    EXPECT_FALSE(parse_type("((()))[7]"));
    EXPECT_FALSE(parse_type("()[2]"));
    EXPECT_FALSE(parse_type("(uint256,())"));
}

// Examples from the Solidity ABI specification ("Examples" section).
TEST(Abi, SpecExampleStaticArguments) {
    auto s = sig("baz(uint32,bool)");
    auto data = encode_call(s, {Value::uint(69), Value::boolean(true)});
    ASSERT_TRUE(data);
    EXPECT_EQ(to_hex(*data),
              hex_words({"cdcd77c0",
                         "0000000000000000000000000000000000000000000000000000000000000045",
                         "0000000000000000000000000000000000000000000000000000000000000001"}));
}

TEST(Abi, SpecExampleDynamicArguments) {
    auto s = sig("sam(bytes,bool,uint256[])");
    const std::vector<Value> args = {Value::string("dave"), Value::boolean(true),
                                     Value::list({Value::uint(1), Value::uint(2), Value::uint(3)})};
    auto data = encode_call(s, args);
    ASSERT_TRUE(data);
    EXPECT_EQ(to_hex(*data),
              hex_words({"a5643bf2",
                         "0000000000000000000000000000000000000000000000000000000000000060",
                         "0000000000000000000000000000000000000000000000000000000000000001",
                         "00000000000000000000000000000000000000000000000000000000000000a0",
                         "0000000000000000000000000000000000000000000000000000000000000004",
                         "6461766500000000000000000000000000000000000000000000000000000000",
                         "0000000000000000000000000000000000000000000000000000000000000003",
                         "0000000000000000000000000000000000000000000000000000000000000001",
                         "0000000000000000000000000000000000000000000000000000000000000002",
                         "0000000000000000000000000000000000000000000000000000000000000003"}));
    auto back = decode(s.inputs, ByteView(*data).subspan(4));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, args);
}

TEST(Abi, SpecExampleMixedArguments) {
    auto s = sig("f(uint256,uint32[],bytes10,bytes)");
    const std::vector<Value> args = {
        Value::uint(0x123), Value::list({Value::uint(0x456), Value::uint(0x789)}),
        Value::string("1234567890"), Value::string("Hello, world!")};
    auto data = encode_call(s, args);
    ASSERT_TRUE(data);
    EXPECT_EQ(to_hex(*data),
              hex_words({"8be65246",
                         "0000000000000000000000000000000000000000000000000000000000000123",
                         "0000000000000000000000000000000000000000000000000000000000000080",
                         "3132333435363738393000000000000000000000000000000000000000000000",
                         "00000000000000000000000000000000000000000000000000000000000000e0",
                         "0000000000000000000000000000000000000000000000000000000000000002",
                         "0000000000000000000000000000000000000000000000000000000000000456",
                         "0000000000000000000000000000000000000000000000000000000000000789",
                         "000000000000000000000000000000000000000000000000000000000000000d",
                         "48656c6c6f2c20776f726c642100000000000000000000000000000000000000"}));
    auto back = decode(s.inputs, ByteView(*data).subspan(4));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, args);
}

TEST(Abi, HandComputedTransferCalldata) {
    // ethers: new Interface(["function transfer(address,uint256)"]).encodeFunctionData(
    //   "transfer", ["0x3535353535353535353535353535353535353535", 1000n])
    const std::string calldata =
        "0xa9059cbb0000000000000000000000003535353535353535353535353535353535353535"
        "00000000000000000000000000000000000000000000000000000000000003e8";
    auto bytes = *from_hex(calldata);
    EXPECT_EQ(*selector_of(bytes), 0xa9059cbbU);
    auto args = decode(sig("transfer(address,uint256)").inputs, ByteView(bytes).subspan(4));
    ASSERT_TRUE(args);
    EXPECT_EQ((*args)[0].as_address().hex(), "0x3535353535353535353535353535353535353535");
    EXPECT_EQ(*(*args)[1].as_uint(), U256(1000));
}

TEST(Abi, EncodeRejectsValuesThatDoNotFit) {
    EXPECT_FALSE(encode({*parse_type("uint8")}, {Value::uint(256)}));
    EXPECT_FALSE(encode({*parse_type("bool")}, {Value::uint(2)}));
    EXPECT_FALSE(encode({*parse_type("address")}, {Value::uint(U256(1) << 160)}));
    EXPECT_FALSE(encode({*parse_type("bytes2")}, {Value::string("abc")}));
    EXPECT_FALSE(encode({*parse_type("uint256[2]")}, {Value::list({Value::uint(1)})}));
    EXPECT_FALSE(encode({*parse_type("uint256")}, {Value::string("x")}));
    EXPECT_FALSE(encode({*parse_type("uint256")}, {}));
    // int8 -1 is all ones (two's complement); 128 does not fit int8.
    EXPECT_TRUE(encode({*parse_type("int8")}, {Value::uint(U256::max())}));
    EXPECT_FALSE(encode({*parse_type("int8")}, {Value::uint(128)}));
}

TEST(Abi, DecodeIsStrict) {
    const std::vector<Type> addr{*parse_type("address")};
    Bytes word(32, 0);
    word[0] = 1;  // dirty high byte of an address
    EXPECT_FALSE(decode(addr, word));
    EXPECT_FALSE(decode(addr, Bytes(31, 0)));  // short
    const std::vector<Type> flag{*parse_type("bool")};
    Bytes two(32, 0);
    two[31] = 2;
    EXPECT_FALSE(decode(flag, two));
    // A bytes value whose offset points outside the data.
    const std::vector<Type> dyn{*parse_type("bytes")};
    Bytes bad_offset(32, 0);
    bad_offset[31] = 0x40;
    EXPECT_FALSE(decode(dyn, bad_offset));
    // A length far larger than the data.
    auto good = *encode(dyn, {Value::string("hi")});
    Bytes huge = good;
    huge[32] = 0xff;
    EXPECT_FALSE(decode(dyn, huge));
    // Non-zero padding after the bytes.
    Bytes dirty = good;
    dirty.back() = 1;
    EXPECT_FALSE(decode(dyn, dirty));
    // An array claiming 2^64 elements.
    const std::vector<Type> arr{*parse_type("uint256[]")};
    Bytes many(64, 0);
    many[31] = 0x20;
    std::fill(many.begin() + 32 + 8, many.end(), 0xff);
    EXPECT_FALSE(decode(arr, many));
    // Trailing data is tolerated, as Solidity does.
    Bytes trailing = good;
    trailing.resize(trailing.size() + 32, 0);
    EXPECT_TRUE(decode(dyn, trailing));
}

TEST(Abi, NestedOffsetsPointingAtOneArrayRunOutOfBudget) {
    // uint256[][] with N outer entries all pointing at one inner array of N elements would
    // decode N*N values from N words of data.
    const std::size_t n = 200;
    Bytes data;
    auto word = [&](std::uint64_t v) { append(data, U256(v).to_be32().view()); };
    word(0x20);          // offset of the outer array
    word(n);             // outer length
    for (std::size_t i = 0; i < n; ++i) word(32 * n);  // every element at the same place
    word(n);             // the shared inner array
    for (std::size_t i = 0; i < n; ++i) word(i);
    auto r = decode({*parse_type("uint256[][]")}, data);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kAbiDecode);
}

TEST(Abi, DeepStaticTuplesDecodeWithinBudget) {
    // Each element is three nested tuples around one word: canonical data must always decode.
    const Type t = *parse_type("(((uint256)))[]");
    Value::List items;
    for (int i = 0; i < 300; ++i) {
        items.push_back(Value::list({Value::list({Value::list({Value::uint(i)})})}));
    }
    auto data = encode({t}, {Value::list(items)});
    ASSERT_TRUE(data);
    auto back = decode({t}, *data);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ((*back)[0], Value::list(items));
}

TEST(Abi, TopicsForIndexedValues) {
    const auto a = *fixed_from_hex<20>("0x3535353535353535353535353535353535353535");
    EXPECT_EQ(topic_of(Value::address(a)).hex(),
              "0x0000000000000000000000003535353535353535353535353535353535353535");
    EXPECT_EQ(topic_of(Value::uint(1)).bytes[31], 1);
}

}  // namespace
}  // namespace mfd::core::abi
