// The crash test: a writer process commits blocks in a loop and is SIGKILLed after a random
// delay; the store must reopen at a committed height H with block H whole and nothing of H+1.
// Every fourth round counts the delay from the start of the process (so some kills land while
// RocksDB opens and replays its WAL), the others from the moment the store is open.
// MFD_CRASH_SEED and MFD_CRASH_ROUNDS override the seed and the number of rounds.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "storage/chain_meta.hpp"
#include "storage/memory_store.hpp"
#include "storage/rocks_store.hpp"
#include "tests/storage/crash_workload.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace mfd::storage::test {
namespace {

using mfd::test::ChildProcess;
using mfd::test::TempDir;

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::strtoull(value, nullptr, 10) : fallback;
}

// The highest height the writer reported as committed before it died (0 when none).
std::uint64_t last_acknowledged(ChildProcess& writer) {
    std::uint64_t acknowledged = 0;
    while (auto line = writer.read_line(std::chrono::seconds(30))) {
        if (line->rfind("committed ", 0) == 0) acknowledged = std::stoull(line->substr(10));
    }
    return acknowledged;
}

struct RoundOutcome {
    std::uint64_t acknowledged = 0;
    std::uint64_t height = 0;
};

// Starts the writer, kills it `delay` after it started (`from_open`: after it opened the
// store), reopens the store and checks it.
RoundOutcome run_round(const TempDir& dir, std::chrono::milliseconds delay, bool from_open) {
    ChildProcess writer({MFD_CRASH_WRITER, dir.path().string()});
    if (from_open) {
        const auto line = writer.read_line(std::chrono::seconds(60));
        EXPECT_TRUE(line && line->starts_with("opened ")) << "writer failed to open the store";
    }
    std::this_thread::sleep_for(delay);
    const int status = writer.kill_and_wait().value_or(-1);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the writer ended by itself (wait status " << status << ") before it was killed";
    RoundOutcome outcome;
    outcome.acknowledged = last_acknowledged(writer);
    auto store = RocksStore::open(dir.path());
    if (!store) {
        ADD_FAILURE() << "reopen failed: " << store.error().to_string();
        return outcome;
    }
    auto committed = last_committed_height(**store);
    if (!committed) {
        ADD_FAILURE() << "last_committed_height failed: " << committed.error().to_string();
        return outcome;
    }
    outcome.height = committed->value_or(0);
    EXPECT_EQ(check_store(**store, outcome.height), "");
    return outcome;
}

TEST(CrashRecovery, KilledWriterLeavesWholeBlocksOnly) {
    const std::uint64_t seed = env_or("MFD_CRASH_SEED", 20'240'611);
    const std::uint64_t rounds = env_or("MFD_CRASH_ROUNDS", 50);
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> delay_ms(5, 250);
    TempDir dir;
    std::uint64_t previous = 0;
    std::uint64_t unacknowledged_commits = 0;
    std::uint64_t round = 0;
    for (; round < rounds && !HasFailure(); ++round) {
        const auto delay = std::chrono::milliseconds(delay_ms(rng));
        const bool from_open = round % 4 != 0;
        SCOPED_TRACE("seed " + std::to_string(seed) + ", round " + std::to_string(round) +
                     ", kill " + std::to_string(delay.count()) + " ms after " +
                     (from_open ? "the writer opened the store" : "the writer started"));
        const RoundOutcome outcome = run_round(dir, delay, from_open);
        // Every block committed before survives; the one in flight may or may not.
        const std::uint64_t floor = std::max(previous, outcome.acknowledged);
        EXPECT_GE(outcome.height, floor);
        EXPECT_LE(outcome.height, floor + 1);
        unacknowledged_commits += outcome.height == floor + 1 ? 1 : 0;
        previous = outcome.height;
    }
    EXPECT_GT(previous, 0u) << "no block was ever committed: the test checked nothing";
    std::printf(
        "crash test: seed %llu, %llu rounds, final height %llu, %llu rounds committed "
        "a block the writer had not yet acknowledged\n",
        static_cast<unsigned long long>(seed), static_cast<unsigned long long>(round),
        static_cast<unsigned long long>(previous),
        static_cast<unsigned long long>(unacknowledged_commits));
}

// The checker itself must catch a half-applied block, a lost record and a wrong height.
TEST(CrashWorkload, CheckerRejectsPartialOrMissingState) {
    MemoryStore store;
    for (std::uint64_t h = 1; h <= 3; ++h) ASSERT_TRUE(store.write(block_batch(h)));
    EXPECT_EQ(check_store(store, 3), "");
    EXPECT_NE(check_store(store, 2), "");

    core::WriteBatch partial;
    const core::WriteBatch block4 = block_batch(4);
    const auto& next = block4.ops();
    for (std::size_t i = 0; i < next.size() / 2; ++i) {
        if (next[i].column == core::Column::kAccounts) {
            partial.put(next[i].column, next[i].key, next[i].value);
        }
    }
    MemoryStore torn;
    for (std::uint64_t h = 1; h <= 3; ++h) ASSERT_TRUE(torn.write(block_batch(h)));
    ASSERT_TRUE(torn.write(partial));
    EXPECT_NE(check_store(torn, 3), "");

    core::WriteBatch lose_one;
    lose_one.erase(core::Column::kAccounts, account_key(first_account_of_block(3)));
    ASSERT_TRUE(store.write(lose_one));
    EXPECT_NE(check_store(store, 3), "");
}

// A crash in the middle of appending a block to the WAL leaves a torn last record. Cutting the
// WAL at many offsets must always reopen at a whole block, and never lose more than the cut.
TEST(CrashRecovery, TornWalTailRecoversWholeBlocks) {
    constexpr std::uint64_t kBlocks = 5;
    constexpr int kCuts = 24;
    TempDir dir;
    {
        auto store = RocksStore::open(dir / "source");
        ASSERT_TRUE(store) << store.error().to_string();
        for (std::uint64_t h = 1; h <= kBlocks; ++h) ASSERT_TRUE((*store)->write(block_batch(h)));
    }
    std::filesystem::path wal;
    for (const auto& entry : std::filesystem::directory_iterator(dir / "source")) {
        if (entry.path().extension() == ".log") wal = entry.path().filename();
    }
    ASSERT_FALSE(wal.empty()) << "no WAL file: the blocks were flushed on close";
    const auto wal_size = std::filesystem::file_size(dir / "source" / wal.string());
    std::uint64_t previous = 0;
    for (int cut = 0; cut <= kCuts; ++cut) {
        const auto keep = wal_size * static_cast<std::uintmax_t>(cut) / kCuts;
        SCOPED_TRACE("WAL cut to " + std::to_string(keep) + " of " + std::to_string(wal_size));
        const auto copy = dir / ("cut" + std::to_string(cut));
        std::filesystem::copy(dir / "source", copy);
        std::filesystem::resize_file(copy / wal, keep);
        auto store = RocksStore::open(copy);
        ASSERT_TRUE(store) << store.error().to_string();
        const std::uint64_t height = last_committed_height(**store)->value_or(0);
        EXPECT_EQ(check_store(**store, height), "");
        EXPECT_GE(height, previous);
        previous = height;
    }
    EXPECT_EQ(previous, kBlocks);
}

}  // namespace
}  // namespace mfd::storage::test
