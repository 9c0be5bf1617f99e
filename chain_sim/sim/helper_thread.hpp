#pragma once
/// One persistent helper thread that shares index ranges of work with the calling thread, for
/// the simulation loop's batches (thread start-up would cost more than a small batch).
/// run() is called by one thread at a time.

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>

namespace mfd::chain::sim {

class HelperThread {
public:
    HelperThread();
    /// Joins the helper.
    ~HelperThread();
    HelperThread(const HelperThread&) = delete;
    HelperThread& operator=(const HelperThread&) = delete;

    /// Runs body(i) for every i in [0, n): the odd i on the helper, the even i on the caller;
    /// returns when all are done. `body` must be safe to run concurrently for distinct i.
    void run(std::size_t n, const std::function<void(std::size_t)>& body);

private:
    void loop();

    std::mutex mu_;
    std::condition_variable cv_;
    const std::function<void(std::size_t)>* body_ = nullptr;
    std::size_t n_ = 0;
    std::uint64_t generation_ = 0;
    bool busy_ = false;
    bool quit_ = false;
    std::thread thread_;
};

}  // namespace mfd::chain::sim
