// The feature log: written and read back row for row; what is not a complete log of this
// build's schema is refused with the reason and the line.
#include "fraud/feature_log.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

namespace mfd::fraud {
namespace {

class FeatureLogTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = std::filesystem::temp_directory_path() / "mfd-flog-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    static FeatureLogRow row(std::uint8_t b, std::int8_t label = -1) {
        FeatureLogRow r;
        r.hash.bytes[0] = b;
        r.hook = b % 2 ? "check_tx" : "extend_vote";
        r.time_ms = 1000 * b;
        r.mask = kAllGroups;
        for (std::size_t f = 0; f < kFeatures; ++f) r.x[f] = 0.1F * static_cast<float>(f) - b;
        r.label = label;
        r.typology = label == 1 ? "fraud:drain" : "honest:retail";
        return r;
    }

    std::filesystem::path write(bool labelled, std::size_t n) {
        const auto path = dir_ / "log.jsonl";
        auto w = FeatureLogWriter::create(path, labelled);
        EXPECT_TRUE(w);
        for (std::size_t i = 0; i < n; ++i) {
            EXPECT_TRUE(w->write(row(static_cast<std::uint8_t>(i), labelled ? 1 : -1)));
        }
        EXPECT_TRUE(w->close());
        return path;
    }

    static std::string text_of(const std::filesystem::path& p) {
        std::ifstream in(p);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }

    static core::Result<FeatureLog> parse(const std::string& text) {
        std::istringstream in(text);
        return read_feature_log(in, "log");
    }

    static std::string error_of(const core::Result<FeatureLog>& r) {
        return r ? std::string() : r.error().message;
    }

    std::filesystem::path dir_;
};

TEST_F(FeatureLogTest, RowsRoundTripExactly) {
    for (bool labelled : {false, true}) {
        auto log = read_feature_log(write(labelled, 5));
        ASSERT_TRUE(log) << log.error().to_string();
        EXPECT_EQ(log->labelled, labelled);
        ASSERT_EQ(log->rows.size(), 5u);
        for (std::size_t i = 0; i < 5; ++i) {
            const auto want = row(static_cast<std::uint8_t>(i), labelled ? 1 : -1);
            const auto& got = log->rows[i];
            EXPECT_EQ(got.hash, want.hash);
            EXPECT_EQ(got.hook, want.hook);
            EXPECT_EQ(got.time_ms, want.time_ms);
            EXPECT_EQ(got.mask, want.mask);
            EXPECT_EQ(got.x, want.x);
            EXPECT_EQ(got.label, labelled ? 1 : -1);
            if (labelled) {
                EXPECT_EQ(got.typology, want.typology);
            }
        }
    }
}

TEST_F(FeatureLogTest, ALogCutAnywhereIsRefusedAsTruncated) {
    const std::string full = text_of(write(true, 3));
    const auto last_line = full.rfind('\n', full.size() - 2) + 1;
    for (std::size_t cut : {last_line, last_line - 7, full.size() / 2}) {
        auto r = parse(full.substr(0, cut));
        ASSERT_FALSE(r) << cut;
        EXPECT_EQ(r.error().code, core::Errc::kCorruption);
        const auto m = error_of(r);
        EXPECT_TRUE(m.find("truncated") != std::string::npos ||
                    m.find("not a JSON object") != std::string::npos)
            << m;
    }
    EXPECT_FALSE(parse(""));
}

TEST_F(FeatureLogTest, AnotherSchemaOrFeatureListOrVersionIsRefusedNamingIt) {
    const std::string full = text_of(write(false, 1));
    const auto swap = [&](const std::string& from, const std::string& to) {
        std::string t = full;
        t.replace(t.find(from), from.size(), to);
        return parse(t);
    };
    EXPECT_NE(error_of(swap(std::string(kSchemaVersion), "mfd-features-1")).find("mfd-features-1"),
              std::string::npos);
    EXPECT_NE(error_of(swap("\"tx.log_value\"", "\"tx.other\"")).find("feature list"),
              std::string::npos);
    EXPECT_NE(error_of(swap("\"version\":1", "\"version\":2")).find("version 2"),
              std::string::npos);
    EXPECT_NE(error_of(swap("mfd-feature-log", "mfd-workload-stream")).find("not a feature log"),
              std::string::npos);
}

// Found by fuzz_feature_log: a header whose "format" is not a string threw out of the reader.
TEST_F(FeatureLogTest, AFormatThatIsNotAStringIsNotAFeatureLog) {
    std::string t = text_of(write(false, 1));
    const std::string from = "\"mfd-feature-log\"";
    for (const std::string to : {"false", "7", "null", "[]", "{}"}) {
        std::string bad = t;
        bad.replace(bad.find(from), from.size(), to);
        EXPECT_NE(error_of(parse(bad)).find("not a feature log"), std::string::npos) << to;
    }
}

TEST_F(FeatureLogTest, BadRowsAndTrailersNameTheLine) {
    const std::string full = text_of(write(false, 2));
    const auto swap = [&](const std::string& from, const std::string& to) {
        std::string t = full;
        const auto at = t.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        t.replace(at, from.size(), to);
        return parse(t);
    };
    EXPECT_NE(error_of(swap("\"mask\":15", "\"mask\":16")).find("log:2:"), std::string::npos);
    EXPECT_NE(error_of(swap("\"mask\":15", "\"mask\":15,\"extra\":1")).find("unknown key"),
              std::string::npos);
    EXPECT_NE(error_of(swap("\"x\":[", "\"x\":[1,")).find("must hold"), std::string::npos);
    EXPECT_NE(error_of(swap("\"x\":[0.0", "\"x\":[null")).find("non-number"), std::string::npos);
    EXPECT_NE(error_of(swap("\"rows\":2", "\"rows\":3")).find("counts 3"), std::string::npos);
    EXPECT_NE(error_of(parse(full + "{}\n")).find("after the trailer"), std::string::npos);
    const std::string deep = std::string(50'000, '[') + std::string(50'000, ']');
    EXPECT_NE(error_of(swap("\"mask\":15", "\"mask\":" + deep)).find("log:2:"), std::string::npos);
}

TEST_F(FeatureLogTest, AnOverlongLineIsALimitError) {
    auto r = parse(std::string(kMaxFeatureLogLine + 10, 'x') + "\n");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kLimitExceeded);
}

TEST_F(FeatureLogTest, AMissingFileIsNotFound) {
    auto r = read_feature_log(dir_ / "none.jsonl");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kNotFound);
}

}  // namespace
}  // namespace mfd::fraud
