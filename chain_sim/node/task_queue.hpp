#pragma once
/// Work handed to the thread that drives the nodes: other threads (the JSON-RPC server's) post
/// a function and wait until the driver has run it, so that node state is only ever touched by
/// its own thread. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace mfd::chain::node {

class TaskQueue {
public:
    using Clock = std::chrono::steady_clock;

    /// Queues `task` and blocks until the driver has run it (true), or until `deadline` passes
    /// before the driver started it, or the queue is closed (false: the task will never run).
    /// A task the driver started is always waited for. Thread-safe; never call it from the
    /// driving thread itself.
    bool run(std::function<void()> task, Clock::time_point deadline);

    /// Runs every queued task on the calling (driving) thread; returns how many ran.
    std::size_t run_pending();
    /// Waits up to `max_wait` for tasks, then runs what is queued. For a driver that is idle.
    std::size_t wait_and_run(std::chrono::milliseconds max_wait);
    /// Refuses every later task and skips the queued ones (their callers get false).
    void close();
    /// True when tasks are waiting (a cheap check for a busy driver).
    [[nodiscard]] bool has_pending() const noexcept;

private:
    struct Task {
        std::function<void()> fn;
        std::mutex mu;
        std::condition_variable cv;
        enum class State { kQueued, kRunning, kDone, kSkipped } state = State::kQueued;
    };
    [[nodiscard]] std::deque<std::shared_ptr<Task>> take();
    static void execute(Task& task);

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::shared_ptr<Task>> tasks_;
    bool closed_ = false;
};

}  // namespace mfd::chain::node
