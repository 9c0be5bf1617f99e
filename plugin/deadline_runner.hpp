#pragma once
/// Runs work on a small pool of threads with a deadline: the caller waits at most its budget,
/// and a task that finishes late writes its result into state it shares with nobody but the
/// abandoned call, so it is dropped safely. A task that has not started by the time its caller
/// gave up is skipped. Thread-safe: run() may be called from any number of threads.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace mfd::plugin {

/// How a run ended.
enum class RunStatus : std::uint8_t {
    kDone,     ///< finished within the budget; the value is there
    kTimeout,  ///< the budget ran out (or the queue was full)
    kFailed,   ///< the task threw; the message says what
};

/// The outcome of one run.
template <class R>
struct RunResult {
    RunStatus status = RunStatus::kTimeout;
    std::optional<R> value;
    std::string error;
};

class DeadlineRunner {
public:
    /// Starts `threads` workers (at least one); at most `max_queue` tasks wait at once.
    explicit DeadlineRunner(std::size_t threads, std::size_t max_queue = 4096);
    /// Stops the workers after the tasks they are running; queued tasks are dropped. Not
    /// thread-safe with run().
    ~DeadlineRunner();
    DeadlineRunner(const DeadlineRunner&) = delete;
    DeadlineRunner& operator=(const DeadlineRunner&) = delete;

    /// Runs `fn` on a worker and waits up to `budget` for it; a budget of zero or less runs it on
    /// the calling thread without a limit. Exceptions from `fn` become kFailed. `fn` must own
    /// everything it touches that the caller might free after a timeout.
    template <class R>
    [[nodiscard]] RunResult<R> run(std::function<R()> fn, std::chrono::microseconds budget);

    /// Runs every function of `fns` on the workers at once and waits for each up to one common
    /// deadline, now + `budget`; results are in the order of `fns`. A zero budget runs them on
    /// the calling thread, one after another.
    template <class R>
    [[nodiscard]] std::vector<RunResult<R>> run_all(std::vector<std::function<R()>> fns,
                                                    std::chrono::microseconds budget);

private:
    struct Task {
        std::function<void()> fn;
        std::mutex mu;
        std::condition_variable cv;
        bool done = false;
        bool abandoned = false;
    };

    /// Queues `task`; false when the queue is full or the runner is stopping.
    [[nodiscard]] bool submit(const std::shared_ptr<Task>& task);
    /// Waits for `task` until `deadline`; on a timeout marks it abandoned. True when done.
    [[nodiscard]] static bool wait(Task& task, std::chrono::steady_clock::time_point deadline);
    void work();

    std::size_t max_queue_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::shared_ptr<Task>> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

namespace detail {

/// What a task leaves for its caller; shared with the task so a late write stays valid.
template <class R>
struct RunSlot {
    std::optional<R> value;
    std::string error;
};

/// Runs `fn` and stores its value or the text of its exception into `slot`.
template <class R>
void run_into(const std::function<R()>& fn, RunSlot<R>& slot) noexcept {
    try {
        slot.value.emplace(fn());
    } catch (const std::exception& e) {
        slot.error = e.what();
    } catch (...) {
        slot.error = "unknown exception";
    }
}

/// The RunResult of a finished slot.
template <class R>
RunResult<R> finished(RunSlot<R>&& slot) {
    RunResult<R> out;
    out.status = slot.value ? RunStatus::kDone : RunStatus::kFailed;
    out.value = std::move(slot.value);
    out.error = std::move(slot.error);
    return out;
}

}  // namespace detail

template <class R>
std::vector<RunResult<R>> DeadlineRunner::run_all(std::vector<std::function<R()>> fns,
                                                  std::chrono::microseconds budget) {
    std::vector<RunResult<R>> out(fns.size());
    if (budget.count() <= 0) {
        for (std::size_t i = 0; i < fns.size(); ++i) {
            detail::RunSlot<R> slot;
            detail::run_into(fns[i], slot);
            out[i] = detail::finished(std::move(slot));
        }
        return out;
    }
    const auto deadline = std::chrono::steady_clock::now() + budget;
    std::vector<std::shared_ptr<detail::RunSlot<R>>> slots;
    std::vector<std::shared_ptr<Task>> tasks;
    std::vector<bool> queued;
    for (auto& fn : fns) {
        auto slot = std::make_shared<detail::RunSlot<R>>();
        auto task = std::make_shared<Task>();
        task->fn = [slot, fn = std::move(fn)] { detail::run_into(fn, *slot); };
        queued.push_back(submit(task));
        slots.push_back(std::move(slot));
        tasks.push_back(std::move(task));
    }
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        if (queued[i] && wait(*tasks[i], deadline)) {
            out[i] = detail::finished(std::move(*slots[i]));
        } else {
            out[i].error = "budget of " + std::to_string(budget.count()) + " us exceeded";
        }
    }
    return out;
}

template <class R>
RunResult<R> DeadlineRunner::run(std::function<R()> fn, std::chrono::microseconds budget) {
    std::vector<std::function<R()>> fns;
    fns.push_back(std::move(fn));
    return std::move(run_all<R>(std::move(fns), budget).front());
}

}  // namespace mfd::plugin
