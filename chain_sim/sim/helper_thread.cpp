#include "chain_sim/sim/helper_thread.hpp"

namespace mfd::chain::sim {

HelperThread::HelperThread() : thread_([this] { loop(); }) {}

HelperThread::~HelperThread() {
    {
        std::lock_guard lock(mu_);
        quit_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void HelperThread::loop() {
    std::uint64_t seen = 0;
    std::unique_lock lock(mu_);
    while (true) {
        cv_.wait(lock, [&] { return quit_ || generation_ != seen; });
        if (quit_) return;
        seen = generation_;
        const auto* body = body_;
        const std::size_t n = n_;
        lock.unlock();
        for (std::size_t i = 1; i < n; i += 2) (*body)(i);
        lock.lock();
        busy_ = false;
        cv_.notify_all();
    }
}

void HelperThread::run(std::size_t n, const std::function<void(std::size_t)>& body) {
    {
        std::lock_guard lock(mu_);
        body_ = &body;
        n_ = n;
        busy_ = true;
        ++generation_;
    }
    cv_.notify_all();
    for (std::size_t i = 0; i < n; i += 2) body(i);
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !busy_; });
}

}  // namespace mfd::chain::sim
