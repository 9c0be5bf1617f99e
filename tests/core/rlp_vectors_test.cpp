// ethereum/tests RLPTests (../shared/vectors/rlp.json): every valid case encodes to `out` and
// decodes back to `in`; every invalid case is rejected.
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <set>

#include "core/rlp.hpp"
#include "tests/support/shared_data.hpp"

namespace mfd::core {
namespace {

using nlohmann::json;

// Big-endian bytes of a non-negative decimal string (the vectors' "#..." integers may exceed 256
// bits, so U256 cannot hold them all).
Bytes decimal_to_be(const std::string& digits) {
    Bytes be;  // most significant first
    for (char c : digits) {
        unsigned carry = static_cast<unsigned>(c - '0');
        for (auto it = be.rbegin(); it != be.rend(); ++it) {
            const unsigned v = *it * 10U + carry;
            *it = static_cast<std::uint8_t>(v & 0xff);
            carry = v >> 8;
        }
        while (carry != 0) {
            be.insert(be.begin(), static_cast<std::uint8_t>(carry & 0xff));
            carry >>= 8;
        }
    }
    return be;
}

// The byte string a scalar `in` stands for (raw characters, or a minimal big-endian integer).
Bytes scalar_bytes(const json& in) {
    if (in.is_number_unsigned()) return be_trimmed(in.get<std::uint64_t>());
    const auto s = in.get<std::string>();
    if (!s.empty() && s[0] == '#') return decimal_to_be(s.substr(1));
    return Bytes(s.begin(), s.end());
}

void encode_json(const json& in, RlpEncoder& enc) {
    if (in.is_array()) {
        enc.begin_list();
        for (const auto& element : in) encode_json(element, enc);
        enc.end_list();
    } else if (in.is_number_unsigned() && in.get<std::uint64_t>() > 0) {
        enc.add_uint(in.get<std::uint64_t>());  // exercises the integer path of the builder
    } else {
        enc.add_bytes(scalar_bytes(in));
    }
}

// True when `item` decodes to the structure `in` describes.
bool matches_json(const RlpItem& item, const json& in) {
    if (!in.is_array()) {
        return !item.is_list && Bytes(item.payload.begin(), item.payload.end()) == scalar_bytes(in);
    }
    auto items = rlp_list_items(item);
    if (!item.is_list || !items || items->size() != in.size()) return false;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (!matches_json((*items)[i], in[i])) return false;
    }
    return true;
}

// Re-encodes a decoded item from its parts (strings and lists), not from its encoded view.
Bytes reencode(const RlpItem& item) {
    if (!item.is_list) return rlp_encode_bytes(item.payload);
    const auto children = rlp_list_items(item);
    std::vector<Bytes> parts;
    for (const RlpItem& child : *children) parts.push_back(reencode(child));
    return rlp_encode_list(parts);
}

class RlpVectors : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(doc_ = test::load_shared_json("vectors/rlp.json"));
        ASSERT_TRUE(doc_.contains("valid") && doc_.contains("invalid")) << "rlp.json incomplete";
    }
    json doc_;
};

TEST_F(RlpVectors, ValidCasesEncodeToOutAndDecodeBackToIn) {
    ASSERT_EQ(doc_["valid"].size(), doc_["counts"]["valid"].get<std::size_t>());
    for (const auto& c : doc_["valid"]) {
        SCOPED_TRACE(c["name"].get<std::string>());
        RlpEncoder enc;
        encode_json(c["in"], enc);
        auto encoded = enc.take();
        ASSERT_TRUE(encoded);
        EXPECT_EQ(to_hex(*encoded), c["out"].get<std::string>());
        const Bytes out = *from_hex(c["out"].get<std::string>());
        auto decoded = rlp_decode(out);
        ASSERT_TRUE(decoded) << decoded.error().to_string();
        EXPECT_TRUE(matches_json(*decoded, c["in"]));
        EXPECT_EQ(reencode(*decoded), out);
    }
}

TEST_F(RlpVectors, RandomValidCasesRoundTrip) {
    ASSERT_FALSE(doc_["random"].empty());
    for (const auto& c : doc_["random"]) {
        SCOPED_TRACE(c["name"].get<std::string>());
        const Bytes out = *from_hex(c["out"].get<std::string>());
        auto decoded = rlp_decode(out);
        ASSERT_TRUE(decoded) << decoded.error().to_string();
        EXPECT_EQ(reencode(*decoded), out);
    }
}

// The source gives no reason names for RLP; the file's `local_strict_decoder_reason` (from an
// independent decoder) is mapped to the reason names this decoder can give for it.
const std::map<std::string, std::set<std::string>> kLocalReasonNames = {
    {"eof", {"RLP_ERROR_EOF"}},
    {"short", {"RLP_ERROR_EOF", "RLP_ERROR_SIZE"}},
    {"leading zero len", {"RLP_LEADING_ZEROS"}},
    {"noncanonical size", {"RLP_NON_CANONICAL_SIZE"}},
    {"noncanonical single byte", {"RLP_SINGLE_BYTE_STRING"}},
};

TEST_F(RlpVectors, InvalidCasesAreRejected) {
    ASSERT_EQ(doc_["invalid"].size(), doc_["counts"]["invalid"].get<std::size_t>());
    std::size_t same_reason = 0;
    for (const auto& c : doc_["invalid"]) {
        SCOPED_TRACE(c["name"].get<std::string>());
        auto bytes = from_hex(c["out"].get<std::string>());
        ASSERT_TRUE(bytes);
        auto decoded = rlp_decode(*bytes);
        ASSERT_FALSE(decoded) << "accepted " << c["out"].get<std::string>();
        const auto local = c.value("local_strict_decoder_reason", "");
        const auto it = kLocalReasonNames.find(local);
        if (it != kLocalReasonNames.end() &&
            it->second.contains(std::string(reason_name(decoded.error().code)))) {
            ++same_reason;
        } else {
            std::cout << "  rlp.json " << c["name"].get<std::string>() << ": expected " << local
                      << ", got " << decoded.error().to_string() << "\n";
        }
    }
    std::cout << "rlp.json: " << same_reason << "/" << doc_["invalid"].size()
              << " invalid cases rejected with the expected reason\n";
    RecordProperty("same_reason", static_cast<int>(same_reason));
    EXPECT_EQ(same_reason, doc_["invalid"].size());
}

}  // namespace
}  // namespace mfd::core
