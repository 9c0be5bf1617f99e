// Account records, the overlay's journal and change set, and the state root chain.
#include <gtest/gtest.h>

#include <algorithm>

#include "chain_sim/block_roots.hpp"
#include "chain_sim/parallel.hpp"
#include "chain_sim/state_cache.hpp"
#include "chain_sim/state_overlay.hpp"
#include "chain_sim/state_root.hpp"
#include "storage/memory_store.hpp"
#include "tests/chain_sim/chain_testing.hpp"

namespace mfd::chain {
namespace {

TEST(AccountRecord, RoundTripsAndRejectsDamage) {
    const AccountState a{core::U256(123456789), 42, true};
    const core::Bytes record = encode_account(a);
    ASSERT_EQ(record.size(), kAccountRecordSize);
    EXPECT_EQ(*decode_account(record), a);
    EXPECT_EQ(decode_account(core::Bytes(40)).error().code, core::Errc::kCorruption);
    core::Bytes bad_flags = record;
    bad_flags[40] = 2;
    EXPECT_EQ(decode_account(bad_flags).error().code, core::Errc::kCorruption);
}

TEST(Overlay, ReadsOnceJournalsAndReverts) {
    storage::MemoryStore store;
    const core::Address a = test::addr(0);
    const core::Address contract = test::addr(1);
    const core::Hash slot = core::U256(7).to_be32();
    StateOverlay state(store);
    state.set_account(a, {core::U256(10), 1, false});
    const std::size_t cp = state.checkpoint();
    state.set_account(a, {core::U256(5), 2, false});
    state.set_storage(contract, slot, core::U256(9).to_be32());
    state.set_code(contract, core::Bytes{1, 2, 3, 4});
    EXPECT_EQ(state.account(a).balance, core::U256(5));
    state.revert_to(cp);
    EXPECT_EQ(state.account(a), (AccountState{core::U256(10), 1, false}));
    EXPECT_TRUE(state.storage(contract, slot).is_zero());
    EXPECT_EQ(state.code(contract), nullptr);
    const auto changes = state.changes();
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].column, core::Column::kAccounts);
}

TEST(Overlay, ChangesAreSortedAndZeroesDelete) {
    storage::MemoryStore store;
    const core::Hash slot = core::U256(1).to_be32();
    core::WriteBatch seed;
    seed.put(core::Column::kContractStorage, storage::storage_slot_key(test::addr(3), slot).view(),
             core::U256(5).to_be32().view());
    seed.put(core::Column::kAccounts, test::addr(4).view(),
             encode_account({core::U256(1), 0, false}));
    ASSERT_TRUE(store.write(seed).has_value());
    StateOverlay state(store);
    state.set_storage(test::addr(3), slot, core::Hash{});
    state.set_account(test::addr(4), AccountState{});
    state.set_account(test::addr(5), {core::U256(2), 0, false});
    state.set_account(test::addr(6), AccountState{});  // never existed: no change
    const auto changes = state.changes();
    ASSERT_EQ(changes.size(), 3u);
    EXPECT_EQ(changes[0].column, core::Column::kAccounts);
    EXPECT_EQ(changes[1].column, core::Column::kAccounts);
    EXPECT_LT(changes[0].key, changes[1].key);
    EXPECT_EQ(changes[2].column, core::Column::kContractStorage);
    EXPECT_FALSE(changes[2].value.has_value());
    const auto erased = changes[0].key == test::addr(4).to_bytes() ? changes[0] : changes[1];
    EXPECT_FALSE(erased.value.has_value());
}

TEST(StateRoot, ChainsOverTheParentAndEveryChange) {
    const StateChange a{core::Column::kAccounts, core::Bytes{1}, core::Bytes{2}};
    const StateChange b{core::Column::kAccounts, core::Bytes{1}, std::nullopt};
    const std::vector<StateChange> one = {a};
    const std::vector<StateChange> other = {b};
    const core::Hash parent = core::keccak256("parent");
    EXPECT_NE(next_state_root(parent, one), next_state_root(parent, other));
    EXPECT_NE(next_state_root(parent, one), next_state_root(core::Hash{}, one));
    EXPECT_EQ(next_state_root(parent, one), next_state_root(parent, std::vector<StateChange>{a}));
    // Length prefixes keep (key 1, value 23) apart from (key 12, value 3).
    const std::vector<StateChange> x = {{core::Column::kAccounts, {1}, core::Bytes{2, 3}}};
    const std::vector<StateChange> y = {{core::Column::kAccounts, {1, 2}, core::Bytes{3}}};
    EXPECT_NE(diff_hash(x), diff_hash(y));
}

}  // namespace
}  // namespace mfd::chain

namespace mfd::chain {
namespace {

TEST(Parallel, VisitsEveryItemOnce) {
    for (std::size_t n : {std::size_t{0}, std::size_t{7}, kParallelMinItems, std::size_t{1001}}) {
        std::vector<int> seen(n, 0);
        parallel_for(n, [&](std::size_t i) { seen[i] += 1; });
        EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), static_cast<std::ptrdiff_t>(n));
    }
}

TEST(BlockRoots, HashesGiveCoreTransactionsRoot) {
    const std::vector<core::Bytes> raws = {core::Bytes{1, 2, 3}, core::Bytes(300, 9), {}};
    std::vector<core::Hash> hashes;
    for (const auto& r : raws) hashes.push_back(core::keccak256(r));
    EXPECT_EQ(root_of_hashes(hashes), core::transactions_root(raws));
    EXPECT_EQ(root_of_hashes({}), core::transactions_root({}));
}

TEST(BlockRoots, EncodingsGiveCoreReceiptsRoot) {
    std::vector<core::Receipt> receipts(2);
    receipts[0].gas_used = receipts[0].cumulative_gas_used = 21'000;
    receipts[1].success = false;
    receipts[1].failure = core::Errc::kRevert;
    receipts[1].message = "no";
    receipts[1].logs.push_back({test::addr(1), {core::keccak256("t")}, core::Bytes{1}});
    core::make_receipt_bloom(receipts[1]);
    std::vector<core::Hash> hashes;
    for (const auto& r : receipts) hashes.push_back(core::keccak256(core::encode_receipt(r)));
    EXPECT_EQ(root_of_hashes(hashes), core::receipts_root(receipts));
}

TEST(StateCacheTest, LearnsCommittedChangesAndForgetsWhenFull) {
    StateCache cache(4);
    const core::Address a = test::addr(0);
    const auto slot_key = storage::storage_slot_key(a, core::U256(1).to_be32());
    EXPECT_EQ(cache.account(a), nullptr);
    const std::vector<StateChange> changes = {
        {core::Column::kAccounts, a.to_bytes(), encode_account({core::U256(3), 1, false})},
        {core::Column::kContractStorage, slot_key.to_bytes(), std::nullopt},
        {core::Column::kContractCode, a.to_bytes(), core::Bytes{1, 2, 3, 4}},
    };
    cache.apply(changes);
    ASSERT_NE(cache.account(a), nullptr);
    EXPECT_EQ(cache.account(a)->balance, core::U256(3));
    ASSERT_NE(cache.slot(slot_key), nullptr);
    EXPECT_TRUE(cache.slot(slot_key)->is_zero());
    EXPECT_EQ(*cache.code(a), (core::Bytes{1, 2, 3, 4}));
    // A damaged record is not cached; a deletion caches the empty account.
    cache.apply(std::vector<StateChange>{{core::Column::kAccounts, a.to_bytes(), core::Bytes{1}}});
    EXPECT_EQ(cache.account(a), nullptr);
    cache.apply(std::vector<StateChange>{{core::Column::kAccounts, a.to_bytes(), std::nullopt}});
    EXPECT_TRUE(cache.account(a)->empty());
    // Past the bound it starts over.
    std::vector<StateChange> many;
    for (int i = 1; i <= 4; ++i) {
        many.push_back({core::Column::kAccounts, test::addr(i).to_bytes(),
                        encode_account({core::U256(1), 0, false})});
    }
    cache.apply(many);
    EXPECT_EQ(cache.account(a), nullptr);
    EXPECT_NE(cache.account(test::addr(4)), nullptr);
}

TEST(StateCacheTest, OverlayPrefersTheCacheOverTheStore) {
    storage::MemoryStore store;
    StateCache cache;
    const core::Address a = test::addr(0);
    cache.apply(std::vector<StateChange>{
        {core::Column::kAccounts, a.to_bytes(), encode_account({core::U256(9), 2, false})}});
    StateOverlay state(store, &cache);
    EXPECT_EQ(state.account(a).balance, core::U256(9));
    EXPECT_TRUE(state.changes().empty());
}

}  // namespace
}  // namespace mfd::chain
