#include "core/keccak.hpp"

#include <gtest/gtest.h>

#include "core/sha256.hpp"
#include "tests/support/shared_data.hpp"

namespace mfd::core {
namespace {

Bytes input_of(const nlohmann::json& c) {
    if (c.contains("input_hex")) return *from_hex(c["input_hex"].get<std::string>());
    const auto s = c["input_utf8"].get<std::string>();
    return Bytes(s.begin(), s.end());
}

TEST(KeccakVectors, AllHashesMatch) {
    const auto v = test::load_shared_json("vectors/keccak.json");
    ASSERT_FALSE(::testing::Test::HasFailure());
    ASSERT_GE(v["hashes"].size(), 1U);
    for (const auto& c : v["hashes"]) {
        const Bytes in = input_of(c);
        EXPECT_EQ(keccak256(in).hex(), c["keccak256"].get<std::string>()) << c["name"];
    }
}

TEST(KeccakVectors, NeverProducesSha3_256) {
    const auto v = test::load_shared_json("vectors/keccak.json");
    ASSERT_FALSE(::testing::Test::HasFailure());
    for (const auto& c : v["sha3_256_negatives"]) {
        const Bytes in = input_of(c);
        EXPECT_NE(keccak256(in).hex(), c["sha3_256_NOT_keccak"].get<std::string>()) << c["name"];
    }
}

TEST(KeccakVectors, SelectorsAndEventTopics) {
    const auto v = test::load_shared_json("vectors/keccak.json");
    ASSERT_FALSE(::testing::Test::HasFailure());
    for (const auto& c : v["function_selectors"]) {
        const auto sig = c["signature"].get<std::string>();
        char buf[11];
        std::snprintf(buf, sizeof(buf), "0x%08x", function_selector(sig));
        EXPECT_EQ(std::string(buf), c["selector"].get<std::string>()) << sig;
        if (c.contains("keccak256")) {
            EXPECT_EQ(keccak256(sig).hex(), c["keccak256"]) << sig;
        }
    }
    for (const auto& c : v["event_topics"]) {
        EXPECT_EQ(keccak256(c["signature"].get<std::string>()).hex(), c["topic0"]) << c["signature"];
    }
}

TEST(Keccak, IncrementalEqualsOneShotAcrossRateBoundaries) {
    Bytes data(1000);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 7);
    for (std::size_t len : {0UL, 1UL, 135UL, 136UL, 137UL, 272UL, 1000UL}) {
        const ByteView all(data.data(), len);
        Keccak256 h;
        for (std::size_t i = 0; i < len; i += 50) h.update(all.subspan(i, std::min<std::size_t>(50, len - i)));
        EXPECT_EQ(h.finish(), keccak256(all)) << len;
    }
}

TEST(Sha256, KnownAnswer) {
    EXPECT_EQ(sha256(as_bytes("abc")).hex(),
              "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256(ByteView{}).hex(),
              "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace mfd::core
