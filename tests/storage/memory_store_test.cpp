// MemoryStore's test-only extras: injected write failures and key counts.

#include <gtest/gtest.h>

#include "storage/memory_store.hpp"

namespace mfd::storage::test {
namespace {

using core::Column;

core::WriteBatch one_put(std::string_view key) {
    core::WriteBatch batch;
    batch.put(Column::kAccounts, core::as_bytes(key), core::as_bytes("v"));
    return batch;
}

TEST(MemoryStore, InjectedFailureRejectsWritesUntilCleared) {
    MemoryStore store;
    store.fail_writes(core::Error{core::Errc::kIo, "disk full"});
    auto failed = store.write(one_put("a"));
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, core::Errc::kIo);
    EXPECT_EQ(failed.error().message, "disk full");
    EXPECT_EQ(store.size(Column::kAccounts), 0u);
    store.fail_writes(std::nullopt);
    ASSERT_TRUE(store.write(one_put("a")));
    EXPECT_EQ(store.size(Column::kAccounts), 1u);
}

TEST(MemoryStore, SizeCountsKeysPerColumn) {
    MemoryStore store;
    ASSERT_TRUE(store.write(one_put("a")));
    ASSERT_TRUE(store.write(one_put("a")));
    ASSERT_TRUE(store.write(one_put("b")));
    EXPECT_EQ(store.size(Column::kAccounts), 2u);
    EXPECT_EQ(store.size(Column::kTxs), 0u);
    EXPECT_EQ(store.size(static_cast<Column>(99)), 0u);
}

}  // namespace
}  // namespace mfd::storage::test
