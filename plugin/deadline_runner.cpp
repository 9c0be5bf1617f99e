#include "plugin/deadline_runner.hpp"

#include <algorithm>

namespace mfd::plugin {

DeadlineRunner::DeadlineRunner(std::size_t threads, std::size_t max_queue)
    : max_queue_(std::max<std::size_t>(1, max_queue)) {
    const std::size_t n = std::max<std::size_t>(1, threads);
    threads_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
}

DeadlineRunner::~DeadlineRunner() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        queue_.clear();
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
}

bool DeadlineRunner::submit(const std::shared_ptr<Task>& task) {
    {
        std::lock_guard lock(mu_);
        if (stopping_ || queue_.size() >= max_queue_) return false;
        queue_.push_back(task);
    }
    cv_.notify_one();
    return true;
}

bool DeadlineRunner::wait(Task& task, std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(task.mu);
    if (task.cv.wait_until(lock, deadline, [&] { return task.done; })) return true;
    task.abandoned = true;
    return false;
}

void DeadlineRunner::work() {
    for (;;) {
        std::shared_ptr<Task> task;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            task = std::move(queue_.front());
            queue_.pop_front();
        }
        {
            std::lock_guard lock(task->mu);
            if (task->abandoned) continue;
        }
        task->fn();
        {
            std::lock_guard lock(task->mu);
            task->done = true;
        }
        task->cv.notify_all();
    }
}

}  // namespace mfd::plugin
