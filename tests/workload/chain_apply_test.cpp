// A generated stream applied on the real chain (chain_sim's state machine over a MemoryStore),
// in stream order, blocks of consecutive transactions: every transaction marked valid is
// included and runs without failing, every one marked for rejection is refused for the
// reason the stream states.
#include <gtest/gtest.h>

#include <map>
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
        context.timestamp_ms = static_cast<std::uint64_t>(records_.back()->event.time_ms);
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
