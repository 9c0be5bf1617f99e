// A generated stream applied on the real chain (chain_sim's state machine over a MemoryStore),
// in stream order, blocks of consecutive transactions: every transaction marked valid is
// included and runs without failing, every one marked for rejection is refused for the
// reason the stream states. And applied out of order as a network of wallets would: each
// record only after its signer's previous one and the records it lists in `after` executed,
// otherwise at random: the same verdicts (the dependencies are all there are).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <unordered_map>

#include "chain_sim/chain.hpp"
#include "chain_sim/workload/generator.hpp"
#include "core/transaction_rules.hpp"
#include "storage/memory_store.hpp"
#include "tests/workload/workload_testing.hpp"

namespace mfd::chain::workload {
namespace {

using core::Errc;

ChainConfig chain_config(const StreamHeader& h) {
    ChainConfig c;
    c.chain_id = h.chain.chain_id;
    c.block_gas_limit = h.chain.block_gas_limit;
    c.initial_base_fee = h.chain.initial_base_fee;
    c.min_base_fee = h.chain.initial_base_fee;
    c.genesis_timestamp_ms = static_cast<std::uint64_t>(h.start_time_ms);
    for (const auto& g : h.genesis) c.allocations.push_back({g.address, g.balance});
    return c;
}

/// What went differently from the stream's promise, by typology and outcome.
using Mismatches = std::map<std::string, int>;

class Replay {
public:
    Replay(Chain& chain, Mismatches& wrong) : chain_(chain), wrong_(wrong) {}

    void add(const StreamRecord& r) {
        auto checked = core::check_transaction(r.event.raw, chain_.tx_rules());
        if (!checked) {
            note(r, checked.error().code);
            return;
        }
        candidates_.push_back(std::move(*checked));
        records_.push_back(&r);
        if (candidates_.size() == kBlockSize) flush();
    }

    void flush() {
        if (candidates_.empty()) return;
        BlockContext context;
        context.timestamp_ms = std::max(chain_.head().timestamp_ms,
                                        static_cast<std::uint64_t>(records_.back()->event.time_ms));
        auto built = chain_.build_block(candidates_, context);
        ASSERT_TRUE(built) << built.error().to_string();
        std::unordered_map<core::Hash, Errc> outcome;
        for (const auto& s : built->skipped) outcome[s.hash] = s.reason.code;
        const auto& executed = built->executed;
        for (std::size_t i = 0; i < executed.tx_hashes.size(); ++i) {
            const auto& receipt = executed.receipts[i];
            outcome[executed.tx_hashes[i]] = receipt.success ? Errc::kOk : Errc::kRevert;
            if (!receipt.success) failures_.push_back(receipt.message);
        }
        for (const StreamRecord* r : records_) {
            auto it = outcome.find(r->event.hash);
            note(*r, it == outcome.end() ? Errc::kNotFound : it->second);
        }
        ASSERT_TRUE(chain_.commit(executed));
        candidates_.clear();
        records_.clear();
        ++blocks_;
    }

    [[nodiscard]] std::size_t blocks() const noexcept { return blocks_; }
    [[nodiscard]] const std::vector<std::string>& failures() const noexcept { return failures_; }

private:
    static constexpr std::size_t kBlockSize = 40;

    void note(const StreamRecord& r, Errc got) {
        if (got == r.expected) return;
        ++wrong_[r.event.typology + ": expected " + std::string(core::reason_name(r.expected)) +
                 ", chain says " + std::string(core::reason_name(got))];
    }

    Chain& chain_;
    Mismatches& wrong_;
    std::vector<core::CheckedTransaction> candidates_;
    std::vector<const StreamRecord*> records_;
    std::vector<std::string> failures_;
    std::size_t blocks_ = 0;
};

std::string describe(const Mismatches& wrong, const std::vector<std::string>& failures) {
    std::string s;
    for (const auto& [what, n] : wrong) s += what + " x" + std::to_string(n) + "\n";
    for (std::size_t i = 0; i < failures.size() && i < 5; ++i)
        s += "failure: " + failures[i] + "\n";
    return s;
}

void apply_on_chain(const GeneratorConfig& config) {
    auto stream = generate_stream(config);
    ASSERT_TRUE(stream) << test::error_message(stream);
    storage::MemoryStore store;
    auto chain = Chain::open(store, chain_config(stream->header));
    ASSERT_TRUE(chain) << chain.error().to_string();
    Mismatches wrong;
    Replay replay(**chain, wrong);
    for (const auto& r : stream->records) {
        replay.add(r);
        if (testing::Test::HasFatalFailure()) return;
    }
    replay.flush();
    EXPECT_GT(replay.blocks(), config.params.txs / 50);
    EXPECT_TRUE(wrong.empty()) << describe(wrong, replay.failures());
    EXPECT_LE((*chain)->next_base_fee(), stream->header.chain.min_fee_cap);
}

/// Applies the stream in blocks of a random choice of the records that are ready: every record
/// its `after` names has executed, and so has every earlier record of the same signer.
void apply_out_of_order(const GeneratorConfig& config, std::uint64_t shuffle_seed) {
    auto stream = generate_stream(config);
    ASSERT_TRUE(stream) << test::error_message(stream);
    storage::MemoryStore store;
    auto chain = Chain::open(store, chain_config(stream->header));
    ASSERT_TRUE(chain) << chain.error().to_string();
    const auto& records = stream->records;
    std::map<core::Address, std::vector<std::size_t>> by_signer;
    for (std::size_t i = 0; i < records.size(); ++i) {
        by_signer[*records[i].event.sender()].push_back(i);
    }
    std::vector<std::size_t> previous(records.size(), SIZE_MAX);
    for (const auto& [signer, list] : by_signer) {
        for (std::size_t k = 1; k < list.size(); ++k) previous[list[k]] = list[k - 1];
    }
    std::vector<bool> done(records.size(), false);
    std::mt19937_64 gen(shuffle_seed);
    Mismatches wrong;
    Replay replay(**chain, wrong);
    std::size_t left = records.size();
    while (left > 0) {
        std::vector<std::size_t> ready;
        for (std::size_t i = 0; i < records.size(); ++i) {
            if (done[i] || (previous[i] != SIZE_MAX && !done[previous[i]])) continue;
            const auto& after = records[i].after;
            if (std::all_of(after.begin(), after.end(), [&](auto d) { return done[d]; })) {
                ready.push_back(i);
            }
        }
        ASSERT_FALSE(ready.empty()) << "records wait on each other";
        std::shuffle(ready.begin(), ready.end(), gen);
        const std::size_t take = std::max<std::size_t>(1, ready.size() / 2);
        for (std::size_t k = 0; k < take; ++k) replay.add(records[ready[k]]);
        replay.flush();
        if (testing::Test::HasFatalFailure()) return;
        for (std::size_t k = 0; k < take; ++k) done[ready[k]] = true;
        left -= take;
    }
    // Swaps priced against another order of the pool's trades may miss their minimum output
    // (and a later transfer of that output then fails): reverts, the market's doing. A missing
    // dependency would show as a refusal instead (funds, nonce).
    int market = 0;
    for (auto it = wrong.begin(); it != wrong.end();) {
        const bool revert = it->first.ends_with("expected OK, chain says REVERT");
        market += revert ? it->second : 0;
        it = revert ? wrong.erase(it) : std::next(it);
    }
    EXPECT_TRUE(wrong.empty()) << describe(wrong, replay.failures());
    EXPECT_LE(market, static_cast<int>(records.size() / 20)) << describe(wrong, replay.failures());
}

TEST(ChainApply, GeneratedStreamAppliesOnTheChainAsLabelled) {
    GeneratorConfig c;
    c.seed = 31;
    c.params.accounts = 300;
    c.params.txs = 6000;
    c.params.fraud_rate = 0.1;
    apply_on_chain(c);
}

TEST(ChainApply, SmallPopulationWithMuchFraudAppliesAsLabelled) {
    GeneratorConfig c;
    c.seed = 32;
    c.params.accounts = 40;
    c.params.txs = 3000;
    c.params.fraud_rate = 0.4;
    c.params.tx_interval_ms = 5;
    apply_on_chain(c);
}

}  // namespace
}  // namespace mfd::chain::workload

namespace mfd::chain::workload {
namespace {

TEST(ChainApply, OutOfOrderAsWalletsSendItAppliesAsLabelled) {
    GeneratorConfig c;
    c.seed = 33;
    c.params.accounts = 200;
    c.params.txs = 3000;
    c.params.fraud_rate = 0.1;
    apply_out_of_order(c, 1);
    apply_out_of_order(c, 2);
}

}  // namespace
}  // namespace mfd::chain::workload
