// storage_crash_writer DIR [MAX_BLOCKS]: opens a RocksStore in DIR and commits the crash test's
// blocks after the last committed one, printing "opened H" once the store is open at height H,
// then "committed H" once each write has returned.
// Odd blocks are written with sync, even ones without. Runs until killed, or MAX_BLOCKS blocks.
// Exit status 1 (with the error on stderr) when the store fails.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "storage/chain_meta.hpp"
#include "storage/rocks_store.hpp"
#include "tests/storage/crash_workload.hpp"

namespace {

int report(const mfd::core::Error& error) {
    std::fprintf(stderr, "storage_crash_writer: %s\n", error.to_string().c_str());
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: storage_crash_writer DIR [MAX_BLOCKS]\n");
        return 2;
    }
    const std::uint64_t max_blocks = argc == 3 ? std::strtoull(argv[2], nullptr, 10)
                                               : std::numeric_limits<std::uint64_t>::max();
    auto store = mfd::storage::RocksStore::open(argv[1]);
    if (!store) return report(store.error());
    auto committed = mfd::storage::last_committed_height(**store);
    if (!committed) return report(committed.error());
    const std::uint64_t first = committed->value_or(0) + 1;
    (void)mfd::storage::test::account_key(0);  // builds the key table before "opened"
    std::printf("opened %llu\n", static_cast<unsigned long long>(first - 1));
    std::fflush(stdout);
    for (std::uint64_t height = first; height - first < max_blocks; ++height) {
        auto written = (*store)->write(mfd::storage::test::block_batch(height), height % 2 == 1);
        if (!written) return report(written.error());
        std::printf("committed %llu\n", static_cast<unsigned long long>(height));
        std::fflush(stdout);
    }
    return 0;
}
