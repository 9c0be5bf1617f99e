#include "fraud/feature_extractor.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "storage/memory_store.hpp"
#include "tests/fraud/tx_builder.hpp"

namespace mfd::fraud {
namespace {

using test::TxSpec;
using Row = std::array<float, kFeatures>;

/// An extractor over its own in-memory history.
struct Fixture {
    AccountHistory history{nullptr, 1000};
    FeatureExtractor extractor{history};

    Row row(const core::TxEvent& e, const TxContext& ctx = {}) {
        Row r{};
        last_mask = extractor.extract(e, ctx, r);
        return r;
    }
    void observe(const core::TxEvent& e) { ASSERT_TRUE(extractor.observe(e)); }
    GroupMask last_mask = 0;
};

const auto kAlice = test::key("alice");
const auto kBob = test::key("bob").address();
const auto kCarol = test::key("carol").address();

TEST(FeatureExtractor, PlantedNonceReuseIsFlaggedOnceTheFirstSignatureIsHistory) {
    Fixture f;
    const auto first = test::event_with_k(kAlice, {kBob, 0.5, 0, 1000}, test::hash_of(77));
    const auto second = test::event_with_k(kAlice, {kCarol, 0.7, 1, 5000}, test::hash_of(77));
    ASSERT_EQ(first.tx.r, second.tx.r);
    EXPECT_EQ(f.row(first)[kSigRReused], 0.0F);
    EXPECT_EQ(f.row(second)[kSigRReused], 0.0F) << "the first one is not history yet";
    f.observe(first);
    EXPECT_EQ(f.row(second)[kSigRReused], 1.0F);
    const auto honest = test::signed_event(kAlice, {kCarol, 0.7, 1, 5000});
    EXPECT_EQ(f.row(honest)[kSigRReused], 0.0F) << "RFC 6979 nonces do not repeat r";
}

TEST(FeatureExtractor, AStaleRefusalCountsAgainstItsSenderForAboutAnHour) {
    Fixture f;
    f.observe(test::signed_event(kAlice, {kBob, 0.5, 0, 1000}));
    const auto stale = test::signed_event(kAlice, {kCarol, 0.7, 0, 2000});
    ASSERT_TRUE(f.extractor.observe_refused_stale(stale));
    const Row soon = f.row(test::signed_event(kAlice, {kCarol, 0.7, 1, 3000}));
    EXPECT_NEAR(soon[kSenderStaleRefused], std::log1p(1.0), 1e-3);
    EXPECT_EQ(
        f.row(test::signed_event(test::key("dave"), {kCarol, 0.7, 0, 3000}))[kSenderStaleRefused],
        0.0F)
        << "only the refused transaction's sender";
    const Row later = f.row(test::signed_event(kAlice, {kCarol, 0.7, 1, 2000 + 10 * 3'600'000}));
    EXPECT_LT(later[kSenderStaleRefused], 0.002F) << "ten half-lives later";
}

TEST(FeatureExtractor, SignatureAnomaliesAreFlagged) {
    Fixture f;
    const Row high_s = f.row(test::malleated_event(kAlice, {kBob, 1, 0, 0}));
    EXPECT_EQ(high_s[kSigHighS], 1.0F);
    EXPECT_EQ(high_s[kSigNotValid], 1.0F);
    TxSpec unprotected{kBob, 1, 0, 0};
    unprotected.chain_id.reset();
    EXPECT_EQ(f.row(test::signed_event(kAlice, unprotected))[kSigNoChainId], 1.0F);
    const auto forged = test::signed_event(test::key("forger"), {kBob, 1, 0, 0}, kAlice.address());
    const Row mismatch = f.row(forged);
    EXPECT_EQ(mismatch[kSigSenderMismatch], 1.0F);
    EXPECT_GT(mismatch[kSigKeyAccounts], 0.0F);
    const Row clean = f.row(test::signed_event(kAlice, {kBob, 1, 0, 0}));
    for (std::size_t c = kSigInvalid; c <= kSigNotValid; ++c) {
        EXPECT_EQ(clean[c], 0.0F) << feature_name(c);
    }
    EXPECT_EQ(clean[kSigAvailable], 1.0F);
}

TEST(FeatureExtractor, ImportedRowsHaveNoSignatureGroup) {
    Fixture f;
    const Row r = f.row(test::imported_event(kAlice.address(), {kBob, 1, 3, 0}));
    EXPECT_EQ(f.last_mask, kAllGroups & ~(group_bit(Group::kSignature) | group_bit(Group::kState)));
    const auto sig = group_span(Group::kSignature);
    for (std::size_t c = sig.offset; c < sig.offset + sig.size; ++c) EXPECT_EQ(r[c], 0.0F);
    EXPECT_EQ(r[kAccountAvailable], 1.0F);
}

TEST(FeatureExtractor, ExtractDoesNotChangeHistoryObserveDoes) {
    Fixture f;
    const auto pay = test::signed_event(kAlice, {kBob, 1, 0, 1000});
    const auto next = test::signed_event(kAlice, {kBob, 2, 1, 61'000});
    const Row before = f.row(next);
    (void)f.row(pay);
    EXPECT_EQ(f.row(next), before);
    EXPECT_EQ(f.history.dirty_count(), 0U);
    f.observe(pay);
    const Row after = f.row(next);
    EXPECT_EQ(after[kSenderSeen], 1.0F);
    EXPECT_EQ(after[kSenderLogOutCount], static_cast<float>(std::log1p(1.0)));
    EXPECT_EQ(after[kTxFirstContact], 0.0F);
    EXPECT_FLOAT_EQ(after[kSenderLogIdle], static_cast<float>(std::log1p(60.0)));
    EXPECT_EQ(before[kTxFirstContact], 1.0F);
}

/// Rows of a short history replayed with every time shifted by `shift` and every fee scaled.
std::vector<Row> replay(std::int64_t shift, std::uint64_t fee_scale) {
    Fixture f;
    std::vector<Row> rows;
    const auto dave = test::key("dave");
    for (std::uint64_t i = 0; i < 6; ++i) {
        TxSpec s{i % 2 ? kBob : kCarol, 0.1 * static_cast<double>(i + 1), i / 2,
                 shift + static_cast<std::int64_t>(i) * 45'000};
        s.gas_price = core::U256((20 + 3 * i) * 1'000'000'000ULL * fee_scale);
        const auto e = test::signed_event(i % 2 ? kAlice : dave, s);
        rows.push_back(f.row(e));
        f.observe(e);
    }
    return rows;
}

TEST(FeatureExtractor, NoAbsoluteTimeOrGasPriceInRows) {
    const auto base = replay(0, 1);
    EXPECT_EQ(replay(1'700'000'000'000, 1), base) << "rows moved with absolute time";
    const auto scaled = replay(0, 7);
    for (std::size_t i = 0; i < base.size(); ++i) {
        for (std::size_t c = 0; c < kFeatures; ++c) {
            EXPECT_NEAR(scaled[i][c], base[i][c], 1e-5) << "row " << i << " " << feature_name(c);
        }
    }
}

TEST(FeatureExtractor, TheHostsStateGivesValueShareNonceAndEmptyRecipient) {
    Fixture f;
    TxContext ctx{AccountState{test::wei(4), 3}, AccountState{core::U256{}, 0}};
    const Row r = f.row(test::signed_event(kAlice, {kBob, 1, 5, 0}), ctx);
    EXPECT_EQ(f.last_mask & group_bit(Group::kState), group_bit(Group::kState));
    EXPECT_EQ(r[kStateAvailable], 1.0F);
    EXPECT_FLOAT_EQ(r[kStateValueToBalance], 0.25F);
    // 1 ether + 21000 gas x 30 gwei = 1.00063 ether of 4.
    EXPECT_NEAR(r[kStateCostToBalance], 1.00063F / 4, 1e-6);
    EXPECT_NEAR(r[kStateSenderLogNonce], std::log1p(3.0F), 1e-6);
    EXPECT_NEAR(r[kStateNonceAhead], std::log1p(2.0F), 1e-6);
    EXPECT_EQ(r[kStateRecipientKnown], 1.0F);
    EXPECT_EQ(r[kStateRecipientEmpty], 1.0F);
    const TxContext funded{AccountState{test::wei(4), 3}, AccountState{test::wei(1), 0}};
    EXPECT_EQ(f.row(test::signed_event(kAlice, {kBob, 1, 5, 0}), funded)[kStateRecipientEmpty],
              0.0F);
}

TEST(FeatureExtractor, WithoutTheHostsStateTheGroupIsMasked) {
    Fixture f;
    const Row r = f.row(test::signed_event(kAlice, {kBob, 1, 0, 0}));
    EXPECT_EQ(f.last_mask & group_bit(Group::kState), 0U);
    const auto state = group_span(Group::kState);
    for (std::size_t c = state.offset; c < state.offset + state.size; ++c) EXPECT_EQ(r[c], 0.0F);
}

TEST(FeatureExtractor, Erc20CallsAreReadFromCalldata) {
    Fixture f;
    core::Bytes data = {0x09, 0x5e, 0xa7, 0xb3};  // approve(address,uint256)
    core::append(data, core::U256(*core::U256::from_be(kCarol.view())).to_be32().view());
    core::append(data, core::U256::max().to_be32().view());
    TxSpec s{kBob, 0, 0, 0};
    s.data = data;
    const Row r = f.row(test::signed_event(kAlice, s));
    EXPECT_EQ(r[kTxFnApprove], 1.0F);
    EXPECT_EQ(r[kTxApproveUnlimited], 1.0F);
    EXPECT_EQ(r[kTxPartyFresh], 1.0F);
    EXPECT_EQ(r[kTxPartyFirstContact], 1.0F);
}

/// A store whose reads fail.
class BrokenStore final : public core::KvStore {
public:
    core::Result<std::optional<core::Bytes>> get(core::Column, core::ByteView) const override {
        return core::fail(core::Errc::kIo, "disk on fire");
    }
    core::Result<void> write(const core::WriteBatch&, bool) override { return {}; }
    core::Result<void> scan(
        core::Column, core::ByteView,
        const std::function<bool(core::ByteView, core::ByteView)>&) const override {
        return {};
    }
};

TEST(FeatureExtractor, UnreadableHistoryMasksTheAccountGroup) {
    BrokenStore store;
    AccountHistory history(&store, 10);
    FeatureExtractor extractor(history);
    Row r{};
    const auto e = test::signed_event(kAlice, {kBob, 1, 0, 0});
    const GroupMask mask = extractor.extract(e, {}, r);
    EXPECT_EQ(mask & (1U << static_cast<unsigned>(Group::kAccount)), 0U);
    EXPECT_EQ(r[kAccountAvailable], 0.0F);
    EXPECT_EQ(r[kTxAvailable], 1.0F);
    EXPECT_EQ(r[kSigAvailable], 1.0F);
    const auto observed = extractor.observe(e);
    ASSERT_FALSE(observed);
    EXPECT_EQ(observed.error().code, core::Errc::kIo);
}

TEST(AccountHistory, CommittedHistorySurvivesAReopenAndDiscardDropsPending) {
    storage::MemoryStore store;
    const auto pay = test::signed_event(kAlice, {kBob, 1, 0, 1000});
    const auto weak = test::event_with_k(kAlice, {kCarol, 1, 1, 2000}, test::hash_of(5));
    const auto next = test::event_with_k(kAlice, {kBob, 3, 2, 9000}, test::hash_of(5));
    Row expected{};
    {
        AccountHistory history(&store, 10);
        ASSERT_TRUE(history.load());
        FeatureExtractor x(history);
        ASSERT_TRUE(x.observe(pay));
        ASSERT_TRUE(x.observe(weak));
        core::WriteBatch batch;
        history.flush(batch);
        ASSERT_TRUE(store.write(batch));
        (void)x.extract(next, {}, expected);
        ASSERT_TRUE(x.observe(next));
        history.discard();
        Row again{};
        (void)x.extract(next, {}, again);
        EXPECT_EQ(again, expected) << "discard must drop the pending observation";
    }
    AccountHistory reopened(&store, 10);
    ASSERT_TRUE(reopened.load());
    FeatureExtractor x(reopened);
    Row r{};
    (void)x.extract(next, {}, r);
    EXPECT_EQ(r, expected);
    EXPECT_EQ(r[kSigRReused], 1.0F);
}

TEST(AccountHistory, AnAccountWhoseAddressStartsLikeAnRRecordReopens) {
    storage::MemoryStore store;
    auto address = core::Address::from(core::Bytes(20, 0x72));  // 'r', the r records' prefix
    ASSERT_TRUE(address);
    {
        AccountHistory history(&store, 10);
        ASSERT_TRUE(history.load());
        auto stats = history.modify(*address);
        ASSERT_TRUE(stats);
        (*stats)->out_count = 7;
        core::WriteBatch batch;
        history.flush(batch);
        ASSERT_TRUE(store.write(batch));
    }
    AccountHistory reopened(&store, 10);
    const auto loaded = reopened.load();
    ASSERT_TRUE(loaded) << loaded.error().to_string();
    const auto stats = reopened.find(*address);
    ASSERT_TRUE(stats);
    ASSERT_NE(*stats, nullptr);
    EXPECT_EQ((*stats)->out_count, 7U);
}

TEST(AccountStats, RoundTripsAndRejectsDamagedRecords) {
    AccountStats s;
    s.out_count = 3;
    s.first_seen_ms = -5;
    s.out_amount.add(1.5);
    s.counterparties.add(kBob);
    s.stale_refused = 1.5F;
    const auto bytes = encode_account_stats(s);
    auto back = decode_account_stats(bytes);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, s);
    EXPECT_TRUE(back->counterparties.contains(kBob));
    auto cut = bytes;
    cut.pop_back();
    EXPECT_EQ(decode_account_stats(cut).error().code, core::Errc::kCorruption);
    auto version = bytes;
    version[0] = 9;
    EXPECT_EQ(decode_account_stats(version).error().code, core::Errc::kCorruption);
    // A version 2 record (before stale_refused) still reads, with no stale refusals.
    s.stale_refused = 0;
    core::Bytes v2 = encode_account_stats(s);
    v2.resize(v2.size() - sizeof(float));
    v2[0] = 2;
    auto old = decode_account_stats(v2);
    ASSERT_TRUE(old) << old.error().to_string();
    EXPECT_EQ(*old, s);
}

}  // namespace
}  // namespace mfd::fraud
