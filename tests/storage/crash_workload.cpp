#include "tests/storage/crash_workload.hpp"

#include <algorithm>
#include <vector>

#include "core/keccak.hpp"
#include "storage/chain_meta.hpp"
#include "storage/keys.hpp"

namespace mfd::storage::test {
namespace {

constexpr std::size_t kAccountValueSize = 40;
constexpr std::size_t kBlockRecordSize = 8 * 3 + 32 + 512;

std::uint64_t account_at(std::uint64_t height, std::uint64_t j) noexcept {
    return (first_account_of_block(height) + j) % kAccountSpace;
}

core::Bytes account_value(std::uint64_t height, std::uint64_t index) {
    core::Bytes value(kAccountValueSize);
    core::put_be64(value.data(), height);
    core::put_be64(value.data() + 8, index);
    for (std::size_t k = 16; k < kAccountValueSize; ++k) {
        value[k] = static_cast<std::uint8_t>(height * 31 + index * 17 + k);
    }
    return value;
}

// Keccak-256 over the values block `height` writes, in window order.
core::Hash window_digest(std::uint64_t height) {
    core::Keccak256 hasher;
    for (std::uint64_t j = 0; j < accounts_in_block(height); ++j) {
        hasher.update(account_value(height, account_at(height, j)));
    }
    return hasher.finish();
}

core::Bytes block_record(std::uint64_t height) {
    core::Bytes record(kBlockRecordSize);
    core::put_be64(record.data(), height);
    core::put_be64(record.data() + 8, accounts_in_block(height));
    core::put_be64(record.data() + 16, first_account_of_block(height));
    const core::Hash digest = window_digest(height);
    std::copy(digest.bytes.begin(), digest.bytes.end(), record.begin() + 24);
    for (std::size_t k = 56; k < kBlockRecordSize; ++k) {
        record[k] = static_cast<std::uint8_t>(height + k);
    }
    return record;
}

std::string check_committed_height(const core::KvStore& store, std::uint64_t height) {
    auto committed = last_committed_height(store);
    if (!committed) return "last_committed_height failed: " + committed.error().to_string();
    const std::uint64_t found = committed->value_or(0);
    if (committed->has_value() == (height == 0) || found != height) {
        return "committed height is " + std::to_string(found) + ", expected " +
               std::to_string(height);
    }
    return "";
}

// Every block record must name its own height; the last one must be exactly what was written.
std::string check_block_record(std::uint64_t number, core::ByteView value, std::uint64_t height) {
    if (value.size() != kBlockRecordSize || core::get_be64(value.data()) != number) {
        return "block record " + std::to_string(number) + " damaged";
    }
    if (number == height) {
        const core::Bytes expected = block_record(height);
        if (!std::equal(value.begin(), value.end(), expected.begin(), expected.end())) {
            return "block record " + std::to_string(number) + " differs from what was written";
        }
    }
    return "";
}

std::string check_block_records(const core::KvStore& store, std::uint64_t height) {
    std::uint64_t next = 1;
    std::string problem;
    auto scanned = store.scan(core::Column::kBlocks, {}, [&](core::ByteView key,
                                                             core::ByteView value) {
        auto number = decode_block_number_key(key);
        if (!number || *number != next || *number > height) {
            problem = "unexpected block record " + core::to_hex(key) + " (expected block " +
                      std::to_string(next) + " of 1.." + std::to_string(height) + ")";
        } else {
            problem = check_block_record(*number, value, height);
        }
        ++next;
        return problem.empty();
    });
    if (!scanned) return "scan of blocks failed: " + scanned.error().to_string();
    if (problem.empty() && next != height + 1) {
        problem = "found " + std::to_string(next - 1) + " block records, expected " +
                  std::to_string(height);
    }
    return problem;
}

std::vector<std::uint64_t> expected_stamps(std::uint64_t height) {
    std::vector<std::uint64_t> stamps(kAccountSpace, 0);
    for (std::uint64_t h = 1; h <= height; ++h) {
        for (std::uint64_t j = 0; j < accounts_in_block(h); ++j) stamps[account_at(h, j)] = h;
    }
    return stamps;
}

std::string check_account(core::ByteView key, core::ByteView value,
                          const std::vector<std::uint64_t>& stamps) {
    if (value.size() != kAccountValueSize) return "account value of wrong size";
    const std::uint64_t stamp = core::get_be64(value.data());
    const std::uint64_t index = core::get_be64(value.data() + 8);
    if (index >= kAccountSpace) return "account index out of range: " + std::to_string(index);
    const core::Bytes expected = account_value(stamp, index);
    const core::Bytes expected_key = account_key(index);
    if (!std::equal(key.begin(), key.end(), expected_key.begin(), expected_key.end())) {
        return "account " + std::to_string(index) + " stored under the wrong key";
    }
    if (!std::equal(value.begin(), value.end(), expected.begin(), expected.end())) {
        return "account " + std::to_string(index) + " value damaged";
    }
    if (stamp != stamps[index]) {
        return "account " + std::to_string(index) + " stamped with block " +
               std::to_string(stamp) + ", expected " + std::to_string(stamps[index]);
    }
    return "";
}

std::string check_accounts(const core::KvStore& store, std::uint64_t height) {
    const auto stamps = expected_stamps(height);
    std::uint64_t seen = 0;
    std::string problem;
    auto scanned = store.scan(core::Column::kAccounts, {}, [&](core::ByteView key,
                                                               core::ByteView value) {
        problem = check_account(key, value, stamps);
        ++seen;
        return problem.empty();
    });
    if (!scanned) return "scan of accounts failed: " + scanned.error().to_string();
    const auto stamped = static_cast<std::uint64_t>(
        std::count_if(stamps.begin(), stamps.end(), [](std::uint64_t s) { return s != 0; }));
    if (problem.empty() && seen != stamped) {
        problem = "found " + std::to_string(seen) + " account records, expected " +
                  std::to_string(stamped);
    }
    return problem;
}

}  // namespace

std::uint64_t accounts_in_block(std::uint64_t height) noexcept {
    return 2'000 + (height * 7'919) % 3'000;
}

std::uint64_t first_account_of_block(std::uint64_t height) noexcept {
    return (height * 1'237) % kAccountSpace;
}

core::Bytes account_key(std::uint64_t index) {
    static const std::vector<core::Hash> keys = [] {
        std::vector<core::Hash> out(kAccountSpace);
        std::uint8_t be[8];
        for (std::uint64_t i = 0; i < kAccountSpace; ++i) {
            core::put_be64(be, i);
            out[i] = core::keccak256(core::ByteView(be, 8));
        }
        return out;
    }();
    return keys[index % kAccountSpace].to_bytes();
}

core::WriteBatch block_batch(std::uint64_t height) {
    core::WriteBatch batch;
    batch.put(core::Column::kBlocks, block_number_key(height).view(), block_record(height));
    for (std::uint64_t j = 0; j < accounts_in_block(height); ++j) {
        const std::uint64_t index = account_at(height, j);
        batch.put(core::Column::kAccounts, account_key(index), account_value(height, index));
    }
    put_committed_height(batch, height);
    return batch;
}

std::string check_store(const core::KvStore& store, std::uint64_t height) {
    for (auto check : {check_committed_height, check_block_records, check_accounts}) {
        if (std::string problem = check(store, height); !problem.empty()) return problem;
    }
    return "";
}

}  // namespace mfd::storage::test
