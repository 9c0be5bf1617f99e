#include "models/safetensors.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace mfd::models {
namespace {

using core::Bytes;
using core::Errc;

// Written by hand from the format's description, not by our writer: tensor "b" is listed
// first but stored second, the header ends with two spaces of padding.
constexpr std::string_view kHeader = R"({"__metadata__":{"schema":"v1"},)"
                                     R"("b":{"dtype":"I16","shape":[2],"data_offsets":[8,12]},)"
                                     R"("a":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]}}  )";

Bytes hand_written_file() {
    const Bytes data = {0x00, 0x00, 0x80, 0x3F,   // a[0] =  1.0f
                        0x00, 0x00, 0x00, 0xC0,   // a[1] = -2.0f
                        0x01, 0x00, 0xFE, 0xFF};  // b = {1, -2} as int16
    Bytes file(8 + kHeader.size() + data.size(), 0);
    file[0] = 0x8F;  // 143 = header length as a little-endian u64
    std::copy(kHeader.begin(), kHeader.end(), file.begin() + 8);
    std::copy(data.begin(), data.end(), file.begin() + 8 + 143);
    return file;
}

/// A file with `header` (no padding added) and `data_size` zero bytes of data.
Bytes file_with(std::string_view header, std::size_t data_size) {
    Bytes file(8 + header.size() + data_size, 0);
    for (std::size_t i = 0; i < 8; ++i)
        file[i] = static_cast<std::uint8_t>(header.size() >> (8 * i));
    std::copy(header.begin(), header.end(), file.begin() + 8);
    return file;
}

void expect_rejected(const Bytes& file, Errc code, std::string_view words) {
    auto r = parse_safetensors(file);
    ASSERT_FALSE(r) << "accepted, expected: " << words;
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_NE(r.error().message.find(words), std::string::npos) << r.error().message;
}

TEST(Safetensors, HeaderLengthIsTheHandCountedOne) {
    EXPECT_EQ(kHeader.size(), 143U);
}

TEST(Safetensors, ParsesHandWrittenFile) {
    auto f = parse_safetensors(hand_written_file());
    ASSERT_TRUE(f) << f.error().to_string();
    ASSERT_EQ(f->tensors.size(), 2U);
    EXPECT_EQ(f->metadata.at("schema"), "v1");
    const auto* a = f->find("a");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->dtype, Dtype::kF32);
    EXPECT_EQ(a->shape, (std::vector<std::uint64_t>{1, 2}));
    float values[2];
    std::memcpy(values, a->data.data(), sizeof values);
    EXPECT_EQ(values[0], 1.0F);
    EXPECT_EQ(values[1], -2.0F);
    const auto* b = f->find("b");
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->dtype, Dtype::kI16);
    EXPECT_EQ(b->data, (Bytes{0x01, 0x00, 0xFE, 0xFF}));
    EXPECT_EQ(f->find("c"), nullptr);
}

TEST(Safetensors, WriterOutputParsesBackAndIsAligned) {
    auto original = parse_safetensors(hand_written_file());
    ASSERT_TRUE(original);
    auto bytes = serialize_safetensors(*original);
    ASSERT_TRUE(bytes) << bytes.error().to_string();
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | (*bytes)[static_cast<std::size_t>(i)];
    EXPECT_EQ(n % 8, 0U);
    EXPECT_EQ((*bytes)[8], '{');
    auto back = parse_safetensors(*bytes);
    ASSERT_TRUE(back) << back.error().to_string();
    EXPECT_EQ(back->metadata, original->metadata);
    for (const auto& t : original->tensors) {
        const auto* u = back->find(t.name);
        ASSERT_NE(u, nullptr);
        EXPECT_EQ(u->dtype, t.dtype);
        EXPECT_EQ(u->shape, t.shape);
        EXPECT_EQ(u->data, t.data);
    }
}

TEST(Safetensors, AcceptsEmptyTensorsScalarsAndNoMetadata) {
    auto f =
        parse_safetensors(file_with(R"({"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},)"
                                    R"("s":{"dtype":"F64","shape":[],"data_offsets":[0,8]}})",
                                    8));
    ASSERT_TRUE(f) << f.error().to_string();
    EXPECT_TRUE(f->find("e")->data.empty());
    EXPECT_EQ(f->find("s")->data.size(), 8U);
    EXPECT_TRUE(f->metadata.empty());
}

TEST(Safetensors, RejectsTruncatedInput) {
    expect_rejected(Bytes{1, 0, 0}, Errc::kCorruption, "truncated");
    expect_rejected(Bytes{200, 0, 0, 0, 0, 0, 0, 0, '{', '}'}, Errc::kCorruption,
                    "announces 200 bytes, 2 follow");
    auto cut = hand_written_file();
    cut.pop_back();
    expect_rejected(cut, Errc::kCorruption, "cover");
}

TEST(Safetensors, RejectsHeaderOverTheLimit) {
    Bytes file = {0, 0, 0, 0, 0, 0, 0, 0x10};
    expect_rejected(file, Errc::kLimitExceeded, "exceeds");
    SafetensorsLimits small;
    small.max_header_bytes = 16;
    auto r = parse_safetensors(hand_written_file(), small);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kLimitExceeded);
}

TEST(Safetensors, RejectsMalformedHeaders) {
    expect_rejected(file_with(R"( {})", 0), Errc::kCorruption, "start with '{'");
    expect_rejected(file_with(R"({"a":)", 0), Errc::kCorruption, "not valid JSON");
    expect_rejected(file_with(R"({} x)", 0), Errc::kCorruption, "not valid JSON");
    expect_rejected(file_with(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                              R"("a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                              8),
                    Errc::kCorruption, "duplicate key 'a'");
    expect_rejected(file_with(R"({"__metadata__":{"k":"v","k":"w"}})", 0), Errc::kCorruption,
                    "duplicate key 'k'");
    expect_rejected(file_with(R"({"__metadata__":{"k":1}})", 0), Errc::kCorruption, "not a string");
    expect_rejected(file_with(R"({"__metadata__":[]})", 0), Errc::kCorruption, "not an object");
}

TEST(Safetensors, RejectsDeepHeadersWhileParsing) {
    const std::string deep =
        "{\"a\":" + std::string(100'000, '[') + std::string(100'000, ']') + "}";
    expect_rejected(file_with(deep, 0), Errc::kCorruption, "nests deeper than 8");
    expect_rejected(file_with(R"({"a":[[[[[[[[]]]]]]]]})", 0), Errc::kCorruption, "deeper");
}

TEST(Safetensors, RejectsBadTensorEntries) {
    expect_rejected(file_with(R"({"a":{"dtype":"F31","shape":[1],"data_offsets":[0,4]}})", 4),
                    Errc::kCorruption, "unknown dtype");
    expect_rejected(file_with(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 4),
                    Errc::kCorruption, "dimension");
    expect_rejected(file_with(R"({"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})", 4),
                    Errc::kCorruption, "dimension");
    expect_rejected(file_with(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", 4),
                    Errc::kCorruption, "does not match");
    expect_rejected(file_with(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", 4),
                    Errc::kCorruption, "begin <= end");
    expect_rejected(file_with(R"({"a":{"dtype":"F32","shape":[1]}})", 4), Errc::kCorruption,
                    "exactly");
    expect_rejected(file_with(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}})", 4),
                    Errc::kCorruption, "exactly");
    expect_rejected(file_with(R"({"a":{"dtype":"U8",)"
                              R"("shape":[4294967296,4294967296],"data_offsets":[0,4]}})",
                              4),
                    Errc::kCorruption, "does not match");
}

TEST(Safetensors, RejectsOffsetsThatDoNotTileTheData) {
    const std::string two = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)";
    expect_rejected(
        file_with(two + R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})", 12),
        Errc::kCorruption, "gap or overlap");
    expect_rejected(file_with(two + R"("b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}})", 8),
                    Errc::kCorruption, "gap or overlap");
    expect_rejected(file_with(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 6),
                    Errc::kCorruption, "cover 4 bytes but the data has 6");
    expect_rejected(file_with(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8),
                    Errc::kCorruption, "gap or overlap");
}

TEST(Safetensors, WriterRejectsInconsistentTensors) {
    SafetensorsFile f;
    f.tensors.push_back({"a", Dtype::kF32, {2}, Bytes(4)});
    EXPECT_EQ(serialize_safetensors(f).error().code, Errc::kInvalidArgument);
    f.tensors = {{"a", Dtype::kF32, {1}, Bytes(4)}, {"a", Dtype::kF32, {1}, Bytes(4)}};
    EXPECT_EQ(serialize_safetensors(f).error().code, Errc::kInvalidArgument);
    f.tensors = {{"__metadata__", Dtype::kF32, {1}, Bytes(4)}};
    EXPECT_EQ(serialize_safetensors(f).error().code, Errc::kInvalidArgument);
    f.tensors = {{"", Dtype::kF32, {1}, Bytes(4)}};
    EXPECT_EQ(serialize_safetensors(f).error().code, Errc::kInvalidArgument);
}

TEST(Safetensors, FileRoundTripAndMissingFile) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("mfd_safetensors_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = dir / "t.safetensors";
    auto original = parse_safetensors(hand_written_file());
    ASSERT_TRUE(original);
    ASSERT_TRUE(write_safetensors(path, *original));
    auto back = read_safetensors(path);
    ASSERT_TRUE(back) << back.error().to_string();
    EXPECT_EQ(back->find("a")->data, original->find("a")->data);
    EXPECT_FALSE(std::filesystem::exists(dir / "t.safetensors.tmp"));
    auto missing = read_safetensors(dir / "absent.safetensors");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::kNotFound);
    SafetensorsLimits tiny;
    tiny.max_file_bytes = 10;
    EXPECT_EQ(read_safetensors(path, tiny).error().code, Errc::kLimitExceeded);
    std::filesystem::remove_all(dir);
}

TEST(Safetensors, DtypeNamesRoundTrip) {
    for (auto name : {"BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32",
                      "U32", "F32", "F64", "I64", "U64"}) {
        auto d = dtype_from_name(name);
        ASSERT_TRUE(d) << name;
        EXPECT_EQ(dtype_name(*d), name);
    }
    EXPECT_EQ(dtype_size(Dtype::kBF16), 2U);
    EXPECT_EQ(dtype_size(Dtype::kU64), 8U);
    EXPECT_FALSE(dtype_from_name("f32"));
}

}  // namespace
}  // namespace mfd::models
