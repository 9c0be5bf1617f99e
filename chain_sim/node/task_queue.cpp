#include "chain_sim/node/task_queue.hpp"

namespace mfd::chain::node {

bool TaskQueue::run(std::function<void()> fn, Clock::time_point deadline) {
    auto task = std::make_shared<Task>();
    task->fn = std::move(fn);
    {
        std::lock_guard lock(mu_);
        if (closed_) return false;
        tasks_.push_back(task);
    }
    cv_.notify_all();
    std::unique_lock lock(task->mu);
    task->cv.wait_until(lock, deadline, [&] {
        return task->state == Task::State::kDone || task->state == Task::State::kSkipped;
    });
    if (task->state == Task::State::kQueued) task->state = Task::State::kSkipped;
    task->cv.wait(lock, [&] { return task->state != Task::State::kRunning; });
    return task->state == Task::State::kDone;
}

void TaskQueue::execute(Task& task) {
    {
        std::lock_guard lock(task.mu);
        if (task.state != Task::State::kQueued) return;
        task.state = Task::State::kRunning;
    }
    task.fn();
    {
        std::lock_guard lock(task.mu);
        task.state = Task::State::kDone;
    }
    task.cv.notify_all();
}

std::deque<std::shared_ptr<TaskQueue::Task>> TaskQueue::take() {
    std::lock_guard lock(mu_);
    std::deque<std::shared_ptr<Task>> out;
    out.swap(tasks_);
    return out;
}

std::size_t TaskQueue::run_pending() {
    auto tasks = take();
    for (auto& t : tasks) execute(*t);
    return tasks.size();
}

std::size_t TaskQueue::wait_and_run(std::chrono::milliseconds max_wait) {
    {
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, max_wait, [&] { return !tasks_.empty() || closed_; });
    }
    return run_pending();
}

void TaskQueue::close() {
    std::deque<std::shared_ptr<Task>> skipped;
    {
        std::lock_guard lock(mu_);
        closed_ = true;
        skipped.swap(tasks_);
    }
    for (auto& t : skipped) {
        {
            std::lock_guard lock(t->mu);
            if (t->state == Task::State::kQueued) t->state = Task::State::kSkipped;
        }
        t->cv.notify_all();
    }
    cv_.notify_all();
}

bool TaskQueue::has_pending() const noexcept {
    std::lock_guard lock(mu_);
    return !tasks_.empty();
}

}  // namespace mfd::chain::node
