// Loading the real libfraud_plugin.so and creating instances: the ABI checks, and a clear
// FP_ERR_CONFIG naming the key for every bad config value.
#include <gtest/gtest.h>

#include <dlfcn.h>

#include <fstream>

#include "tests/plugin/plugin_fixture.hpp"

namespace mfd::plugin::test {
namespace {

using json = nlohmann::json;

struct Created {
    fp_status status = FP_OK;
    std::string message;
};

/// Calls create through the C ABI and destroys what it made.
Created create_raw(const std::string& config) {
    const auto library = real_library();
    if (!library) return {FP_ERR_INTERNAL, "no library"};
    char err[512] = "untouched";
    fp_plugin* p = nullptr;
    const fp_status s = library->api().create(config.c_str(), &p, err, sizeof(err));
    library->api().destroy(p);
    return {s, err};
}

TEST(PluginLibraryOpen, TheRealPluginPassesTheChecks) {
    const auto library = real_library();
    ASSERT_NE(library, nullptr);
    EXPECT_EQ(library->name(), "moe-fraud");
    EXPECT_EQ(library->version(), "0.1.0");
    EXPECT_EQ(library->api().abi_version, FP_ABI_VERSION);
    EXPECT_EQ(library->api().struct_size, sizeof(fp_api));
}

TEST(PluginLibraryOpen, AnotherAbiVersionIsRefusedNamingBoth) {
    auto refused =
        PluginLibrary::open(MFD_BINARY_DIR "/lib/libfraud_plugin.so", FP_ABI_VERSION + 1);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::Errc::kUnavailable);
    EXPECT_NE(refused.error().message.find("serves ABI version 1, this host needs version 2"),
              std::string::npos)
        << refused.error().message;
}

TEST(PluginLibraryOpen, OnlyTheEntrySymbolIsExported) {
    void* h = ::dlopen(MFD_BINARY_DIR "/lib/libfraud_plugin.so", RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(h, nullptr) << ::dlerror();
    EXPECT_NE(::dlsym(h, FP_ENTRY_SYMBOL), nullptr);
    EXPECT_EQ(::dlsym(h, "_ZN3mfd4core9keccak256ESt4spanIKhLm18446744073709551615EE"), nullptr)
        << "our own C++ symbols stay local";
    ::dlclose(h);
}

TEST(PluginCreate, AGoodConfigCreatesAnInstance) {
    TempDir dir;
    const auto r = create_raw(base_config(dir.path()).dump());
    EXPECT_EQ(r.status, FP_OK) << r.message;
    EXPECT_EQ(r.message, "") << "err is cleared on success";
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "CURRENT")) << "a RocksDB was created";
}

TEST(PluginCreate, EveryBadValueIsAConfigErrorNamingTheKey) {
    TempDir dir;
    const json good = base_config(dir.path());
    const std::vector<std::pair<json, std::string>> cases = {
        {{{"model", 5}}, "'model'"},
        {{{"device", "tpu"}}, "'device'"},
        {{{"threshold", 1.5}}, "'threshold'"},
        {{{"threshold", "high"}}, "'threshold'"},
        {{{"target_fpr", 0}}, "'target_fpr'"},
        {{{"budgets_us", {{"check_tx", -1}}}}, "'budgets_us.check_tx'"},
        {{{"budgets_us", {{"mempool", 5}}}}, "'budgets_us.mempool'"},
        {{{"budgets_us", 5}}, "'budgets_us'"},
        {{{"failure_policy", "fail-maybe"}}, "'failure_policy'"},
        {{{"data_dir", ""}}, "'data_dir'"},
        {{{"chain_id", 0}}, "'chain_id'"},
        {{{"max_flags", 5000}}, "'max_flags'"},
        {{{"reject_flagged", "yes"}}, "'reject_flagged'"},
        {{{"rpc", {{"enabled", 1}}}}, "'rpc.enabled'"},
        {{{"rpc", {{"port", 70000}}}}, "'rpc.port'"},
        {{{"rpc", {{"host", ""}}}}, "'rpc.host'"},
        {{{"rpc", {{"token", 7}}}}, "'rpc.token'"},
        {{{"rpc", {{"tls", true}}}}, "'rpc.tls'"},
        {{{"workers", 0}}, "'workers'"},
        {{{"cache_scores", 0}}, "'cache_scores'"},
        {{{"max_tx_bytes", 0}}, "'max_tx_bytes'"},
        {{{"testing", {{"score_delay_us", true}}}}, "'testing.score_delay_us'"},
        {{{"colour", "blue"}}, "'colour'"},
    };
    for (const auto& [patch, key] : cases) {
        json config = good;
        config.merge_patch(patch);
        const auto r = create_raw(config.dump());
        EXPECT_EQ(r.status, FP_ERR_CONFIG) << patch.dump();
        EXPECT_NE(r.message.find(key), std::string::npos) << patch.dump() << ": " << r.message;
    }
}

TEST(PluginCreate, StructuralConfigErrors) {
    TempDir dir;
    json no_dir = base_config(dir.path());
    no_dir.erase("data_dir");
    EXPECT_EQ(create_raw(no_dir.dump()).status, FP_ERR_CONFIG);
    EXPECT_NE(create_raw(no_dir.dump()).message.find("data_dir"), std::string::npos);
    json both = base_config(dir.path());
    both["target_fpr"] = 0.01;
    EXPECT_EQ(create_raw(both.dump()).status, FP_ERR_CONFIG);
    EXPECT_EQ(create_raw("{").status, FP_ERR_CONFIG);
    EXPECT_EQ(create_raw("[]").status, FP_ERR_CONFIG);
    json missing = base_config(dir.path());
    missing["model"] = (dir.path() / "none.safetensors").string();
    const auto r = create_raw(missing.dump());
    EXPECT_EQ(r.status, FP_ERR_CONFIG);
    EXPECT_NE(r.message.find("none.safetensors"), std::string::npos) << r.message;
}

// Issue 11: a config nested 70,000 deep crashed the host (an error message dumped the value
// recursively); a NUL in data_dir made a directory named by the part before it.
TEST(PluginCreate, DeepNestingAndNulAreConfigErrorsNotCrashes) {
    TempDir dir;
    for (const std::size_t depth : {17u, 70'000u, 1'000'000u}) {
        std::string config = base_config(dir.path()).dump();
        config.pop_back();  // the closing brace
        config += ",\"testing\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
        const auto r = create_raw(config);
        EXPECT_EQ(r.status, FP_ERR_CONFIG) << depth;
        EXPECT_NE(r.message.find("16 levels"), std::string::npos) << depth << ": " << r.message;
    }
    json shallow = base_config(dir.path());
    shallow["testing"] = json::array({json::array()});
    const auto s = create_raw(shallow.dump());
    EXPECT_EQ(s.status, FP_ERR_CONFIG);
    EXPECT_NE(s.message.find("expected an object, got an array"), std::string::npos) << s.message;

    json nul = base_config(dir.path() / std::string("cut\0after", 9));
    const auto n = create_raw(nul.dump());
    EXPECT_EQ(n.status, FP_ERR_CONFIG);
    EXPECT_NE(n.message.find("NUL"), std::string::npos) << n.message;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "cut"));
}

TEST(PluginCreate, AnUnusableModelOrDataDirectoryIsNamed) {
    TempDir dir;
    const auto junk = dir.path() / "junk.safetensors";
    std::ofstream(junk) << "junk";
    json model = base_config(dir.path() / "db");
    model["model"] = junk.string();
    const auto m = create_raw(model.dump());
    EXPECT_EQ(m.status, FP_ERR_MODEL);
    EXPECT_NE(m.message.find("junk.safetensors"), std::string::npos) << m.message;
    const auto file = dir.path() / "a-file";
    std::ofstream(file) << "x";
    const auto s = create_raw(base_config(file / "db").dump());
    EXPECT_EQ(s.status, FP_ERR_STORAGE) << s.message;
}

TEST(PluginCreate, TwoInstancesCannotShareADataDirectory) {
    TempDir dir;
    auto first = make_instance(base_config(dir.path()));
    ASSERT_NE(first, nullptr);
    const auto second = create_raw(base_config(dir.path()).dump());
    EXPECT_EQ(second.status, FP_ERR_STORAGE) << second.message;
}

TEST(PluginCreate, NullArgumentsAreRefused) {
    const auto library = real_library();
    ASSERT_NE(library, nullptr);
    fp_plugin* p = nullptr;
    EXPECT_EQ(library->api().create(nullptr, &p, nullptr, 0), FP_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(library->api().create("{}", nullptr, nullptr, 0), FP_ERR_INVALID_ARGUMENT);
    library->api().destroy(nullptr);
}

TEST(PluginCreate, TheWrapperNamesTheStatus) {
    auto r = PluginInstance::create(real_library(), R"({"colour":1})");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument);
    EXPECT_EQ(r.error().message.rfind("create: FP_ERR_CONFIG: unknown config key 'colour'", 0), 0U)
        << r.error().message;
}

}  // namespace
}  // namespace mfd::plugin::test
