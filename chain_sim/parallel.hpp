#pragma once
/// Splits independent per-item work of a block (hashing transactions and receipts, recovering
/// senders) over the calling thread and one helper thread. Thread-safe as `body` is.

#include <cstddef>
#include <functional>

namespace mfd::chain {

/// Below this many items the work stays on the calling thread.
inline constexpr std::size_t kParallelMinItems = 256;

/// Runs body(i) for every i in [0, n): the second half on a helper thread when n is at least
/// kParallelMinItems, everything on the calling thread otherwise or when no thread can be
/// started. Returns when all are done. `body` must be safe to run concurrently for distinct i.
void parallel_for(std::size_t n, const std::function<void(std::size_t)>& body);

}  // namespace mfd::chain
