#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "chain_sim/node/task_queue.hpp"

namespace mfd::chain::node {
namespace {

using namespace std::chrono_literals;

TEST(TaskQueue, RunsTasksOnTheDrivingThread) {
    TaskQueue q;
    std::thread::id ran_on;
    bool ok = false;
    std::thread client([&] {
        ok = q.run([&] { ran_on = std::this_thread::get_id(); }, TaskQueue::Clock::now() + 10s);
    });
    while (q.wait_and_run(10ms) == 0) {
    }
    client.join();
    EXPECT_TRUE(ok);
    EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST(TaskQueue, ATaskNotStartedByItsDeadlineNeverRuns) {
    TaskQueue q;
    std::atomic<bool> ran{false};
    const bool ok = q.run([&] { ran = true; }, TaskQueue::Clock::now() + 20ms);
    EXPECT_FALSE(ok);
    q.run_pending();
    EXPECT_FALSE(ran.load());
}

TEST(TaskQueue, ClosingRefusesLaterTasks) {
    TaskQueue q;
    q.close();
    EXPECT_FALSE(q.run([] {}, TaskQueue::Clock::now() + 10s));
    EXPECT_FALSE(q.has_pending());
}

}  // namespace
}  // namespace mfd::chain::node
