#include "chain_sim/sim/run_state.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/node/cluster.hpp"

namespace mfd::chain::sim {
namespace {

namespace fs = std::filesystem;

RunOptions four_validators() {
    RunOptions o;
    o.validators = 4;
    return o;
}

void make_chain_stores(const fs::path& dir, std::initializer_list<int> validators) {
    for (const int i : validators) {
        fs::create_directories(dir / ("validator-" + std::to_string(i)) / "chain");
    }
}

TEST(RunState, OtherOptionsOnTheSameDirectoryAreRefusedByName) {
    test::TempDir dir;
    const RunOptions o = four_validators();
    ASSERT_TRUE(check_run_state(dir.path(), run_identity(o)));
    RunOptions other = o;
    other.seed = o.seed + 1;
    auto again = check_run_state(dir.path(), run_identity(other));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::Errc::kInvalidArgument);
    EXPECT_NE(again.error().message.find("seed"), std::string::npos) << again.error().message;
    EXPECT_TRUE(check_run_state(dir.path(), run_identity(o)));
}

// Killed during the first open: some validators' stores exist, the others were never made.
TEST(RunState, MissingStoresBeforeTheRunStartedAreCreatedAfresh) {
    test::TempDir dir;
    const RunOptions o = four_validators();
    ASSERT_TRUE(check_run_state(dir.path(), run_identity(o)));
    make_chain_stores(dir.path(), {0});
    EXPECT_TRUE(check_run_state(dir.path(), run_identity(o)));
}

TEST(RunState, AStoreMissingAfterTheRunStartedIsRefusedNamingTheValidator) {
    test::TempDir dir;
    const RunOptions o = four_validators();
    ASSERT_TRUE(check_run_state(dir.path(), run_identity(o)));
    make_chain_stores(dir.path(), {0, 1, 2, 3});
    ASSERT_TRUE(mark_run_started(dir.path(), run_identity(o)));
    EXPECT_TRUE(check_run_state(dir.path(), run_identity(o)));
    fs::remove_all(dir.path() / "validator-2");
    auto refused = check_run_state(dir.path(), run_identity(o));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::Errc::kNotFound);
    EXPECT_EQ(refused.error().message.rfind("validator 2: ", 0), 0U) << refused.error().message;
    fs::remove_all(dir.path() / "validator-3");
    refused = check_run_state(dir.path(), run_identity(o));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message.rfind("validators 2, 3: ", 0), 0U) << refused.error().message;
}

TEST(RunState, AnUnreadableStateFileIsCorruption) {
    test::TempDir dir;
    std::ofstream(dir.path() / "run.json") << std::string(10, '[') << std::string(10, ']');
    auto refused = check_run_state(dir.path(), run_identity(four_validators()));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::Errc::kCorruption);
}

TEST(RunState, AStartedMarkThatIsNotABooleanIsCorruption) {
    test::TempDir dir;
    const RunOptions o = four_validators();
    auto identity = run_identity(o);
    identity["started"] = "yes";
    std::ofstream(dir.path() / "run.json") << identity.dump();
    auto refused = check_run_state(dir.path(), run_identity(o));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::Errc::kCorruption);
    EXPECT_NE(refused.error().message.find("'started'"), std::string::npos)
        << refused.error().message;
}

}  // namespace
}  // namespace mfd::chain::sim
