#include "chain_sim/parallel.hpp"

#include <system_error>
#include <thread>

namespace mfd::chain {

void parallel_for(std::size_t n, const std::function<void(std::size_t)>& body) {
    const auto run = [&body](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) body(i);
    };
    if (n < kParallelMinItems) {
        run(0, n);
        return;
    }
    const std::size_t half = n / 2;
    std::thread helper;
    try {
        helper = std::thread(run, half, n);
    } catch (const std::system_error&) {
        run(0, n);
        return;
    }
    run(0, half);
    helper.join();
}

}  // namespace mfd::chain
