// The loader against stand-in libraries (no LibTorch needed, so this suite also runs under the
// sanitizers): missing files, non-libraries, a missing entry symbol, another ABI version, a
// short table; and the search for the plugin library.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "plugin/loader/plugin_library.hpp"
#include "plugin/loader/plugin_path.hpp"

namespace mfd::plugin {
namespace {

const std::filesystem::path kLib = MFD_BINARY_DIR "/lib";

/// A fresh directory, removed on destruction; the environment variable is unset on both ends.
class Scratch : public ::testing::Test {
protected:
    Scratch() {
        std::string pattern = std::filesystem::temp_directory_path() / "mfd-loader-XXXXXX";
        EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        ::unsetenv(kPluginEnv);
    }
    ~Scratch() override {
        ::unsetenv(kPluginEnv);
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    void touch(const std::filesystem::path& p) {
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p) << "x";
    }
    std::filesystem::path dir_;
};

TEST(PluginLibrary, AMissingFileIsNotFound) {
    auto r = PluginLibrary::open("/nonexistent/libfraud_plugin.so");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kNotFound);
    EXPECT_NE(r.error().message.find("/nonexistent/libfraud_plugin.so"), std::string::npos);
}

TEST_F(Scratch, AFileThatIsNotALibraryCarriesDlerror) {
    touch(dir_ / "not-a-library.so");
    auto r = PluginLibrary::open(dir_ / "not-a-library.so");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kUnavailable);
    EXPECT_NE(r.error().message.find("cannot load"), std::string::npos) << r.error().message;
}

TEST(PluginLibrary, AMissingEntrySymbolIsNamed) {
    auto r = PluginLibrary::open(kLib / "fake_plugin_no_entry.so");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kUnavailable);
    EXPECT_NE(r.error().message.find("does not export fraud_plugin_api"), std::string::npos)
        << r.error().message;
}

TEST(PluginLibrary, AnotherAbiVersionIsRefusedNamingBothVersions) {
    auto r = PluginLibrary::open(kLib / "fake_plugin_abi99.so");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kUnavailable);
    EXPECT_NE(r.error().message.find("serves ABI version 99, this host needs version 1"),
              std::string::npos)
        << r.error().message;
}

TEST(PluginLibrary, AShortOrIncompleteTableIsRefused) {
    auto shorter = PluginLibrary::open(kLib / "fake_plugin_short.so");
    ASSERT_FALSE(shorter);
    EXPECT_EQ(shorter.error().code, core::Errc::kCorruption);
    EXPECT_NE(shorter.error().message.find("16 bytes"), std::string::npos)
        << shorter.error().message;
    auto empty = PluginLibrary::open(kLib / "fake_plugin_empty.so");
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().code, core::Errc::kCorruption) << "a table without functions";
}

TEST_F(Scratch, LocatesTheLibraryBesideTheExecutable) {
    touch(dir_ / "lib" / "libfraud_plugin.so");
    auto r = locate_plugin_from(dir_ / "bin");
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ(*r, dir_ / "lib" / "libfraud_plugin.so");
    std::filesystem::remove(dir_ / "lib" / "libfraud_plugin.so");
    touch(dir_ / "bin" / "libfraud_plugin.so");
    EXPECT_EQ(*locate_plugin_from(dir_ / "bin"), dir_ / "bin" / "libfraud_plugin.so");
}

TEST_F(Scratch, TheEnvironmentVariableWins) {
    touch(dir_ / "lib" / "libfraud_plugin.so");
    touch(dir_ / "elsewhere.so");
    ::setenv(kPluginEnv, (dir_ / "elsewhere.so").c_str(), 1);
    EXPECT_EQ(*locate_plugin_from(dir_ / "bin"), dir_ / "elsewhere.so");
    ::setenv(kPluginEnv, (dir_ / "missing.so").c_str(), 1);
    auto missing = locate_plugin_from(dir_ / "bin");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("missing.so"), std::string::npos);
}

TEST_F(Scratch, NothingFoundNamesThePlacesSearched) {
    auto r = locate_plugin_from(dir_ / "bin");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kNotFound);
    EXPECT_NE(r.error().message.find((dir_ / "lib" / "libfraud_plugin.so").string()),
              std::string::npos)
        << r.error().message;
    EXPECT_NE(r.error().message.find(kPluginEnv), std::string::npos);
}

TEST(PluginPath, TheRunningExecutableIsItsOwnStartingPoint) {
    ::unsetenv(kPluginEnv);
    auto r = locate_plugin();
    if (std::filesystem::exists(kLib / "libfraud_plugin.so")) {
        ASSERT_TRUE(r) << r.error().to_string();
        EXPECT_EQ(*r, (kLib / "libfraud_plugin.so").lexically_normal());
    } else {
        EXPECT_FALSE(r) << "a build without LibTorch has no plugin";
    }
}

}  // namespace
}  // namespace mfd::plugin
