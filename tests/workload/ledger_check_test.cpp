// An independent check of the generator's promise: replaying the stream in order against the
// chain's stateful admission rules (nonce sequence, balance >= value + gas limit × fee cap, fee
// cap >= the base fee bound, gas limit within the block), every transaction marked valid passes
// and every one marked for rejection fails for the stated reason. Balances are tracked as lower
// bounds (fees charged at gas limit × fee cap), Escrow releases included.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <unordered_map>

#include "chain_sim/workload/contract_calls.hpp"
#include "chain_sim/workload/generator.hpp"
#include "core/abi.hpp"
#include "core/keccak.hpp"
#include "tests/workload/workload_testing.hpp"

namespace mfd::chain::workload {
namespace {

using core::Errc;

struct Escrow {
    core::Address depositor;
    core::Address beneficiary;
    core::U256 amount;
    bool released = false;
};

class Ledger {
public:
    explicit Ledger(const StreamHeader& h) : chain_(h.chain) {
        for (const auto& g : h.genesis) balance_[g.address] = g.balance;
    }

    /// Why the chain would refuse `r` at this point, or kOk.
    Errc verdict(const StreamRecord& r) {
        const core::TxEvent& e = r.event;
        if (e.validity != Errc::kOk) return e.validity;
        const core::Transaction& tx = e.tx;
        const core::Address sender = *e.recovered_sender;
        if (tx.fee_cap() < chain_.min_fee_cap) return Errc::kTxFeeCapBelowBaseFee;
        if (tx.gas_limit > chain_.block_gas_limit) return Errc::kTxGasLimitExceedsBlock;
        if (tx.nonce < nonce_[sender]) return Errc::kTxNonceTooLow;
        if (tx.nonce > nonce_[sender]) return Errc::kTxNonceTooHigh;
        if (balance_[sender] < upfront(tx)) return Errc::kTxInsufficientFunds;
        return Errc::kOk;
    }

    void apply(const StreamRecord& r) {
        const core::Transaction& tx = r.event.tx;
        const core::Address sender = *r.event.recovered_sender;
        balance_[sender] -= upfront(tx);
        const std::uint64_t nonce = nonce_[sender]++;
        if (!tx.to) {
            created(sender, nonce, tx);
        } else if (contracts_.contains(*tx.to)) {
            called(sender, *tx.to, tx.data);
        } else {
            balance_[*tx.to] += tx.value;
        }
    }

private:
    static core::U256 upfront(const core::Transaction& tx) {
        return tx.value + core::U256(tx.gas_limit) * tx.fee_cap();
    }

    void created(const core::Address& sender, std::uint64_t nonce, const core::Transaction& tx) {
        const core::Address at = create_address(sender, nonce);
        contracts_.insert(at);
        const core::Bytes tag = contract_kind_tag("Escrow");
        if (tx.data.size() < 4 || !std::equal(tag.begin(), tag.end(), tx.data.begin())) return;
        auto types = core::abi::parse_signature("Escrow(address,address)");
        auto args = core::abi::decode(types->inputs, core::ByteView(tx.data).subspan(4));
        ASSERT_TRUE(args);
        escrows_[at] = Escrow{sender, (*args)[0].as_address(), tx.value};
    }

    void called(const core::Address& sender, const core::Address& contract,
                const core::Bytes& data) {
        auto it = escrows_.find(contract);
        if (it == escrows_.end() || data != escrow_release()) return;
        Escrow& e = it->second;
        if (e.released || sender != e.depositor) return;
        e.released = true;
        balance_[e.beneficiary] += e.amount;
    }

    ChainParams chain_;
    std::unordered_map<core::Address, core::U256> balance_;
    std::unordered_map<core::Address, std::uint64_t> nonce_;
    std::set<core::Address> contracts_;
    std::map<core::Address, Escrow> escrows_;
};

void check_stream(const GeneratorConfig& config) {
    auto stream = generate_stream(config);
    ASSERT_TRUE(stream) << test::error_message(stream);
    Ledger ledger(stream->header);
    std::map<std::string, int> wrong;
    std::size_t rejected = 0;
    for (const auto& r : stream->records) {
        const Errc got = ledger.verdict(r);
        if (got != r.expected) {
            ++wrong[r.event.typology + ": expected " + std::string(core::reason_name(r.expected)) +
                    ", ledger says " + std::string(core::reason_name(got))];
        }
        if (got == Errc::kOk) ledger.apply(r);
        rejected += r.expected == Errc::kOk ? 0 : 1;
    }
    EXPECT_TRUE(wrong.empty()) << [&] {
        std::string s;
        for (const auto& [what, n] : wrong) s += what + " x" + std::to_string(n) + "\n";
        return s;
    }();
    EXPECT_GT(rejected, 0u);
}

TEST(LedgerCheck, EveryValidTransactionAppliesInOrderAndRejectionsHaveTheirReason) {
    GeneratorConfig c;
    c.seed = 21;
    c.params.accounts = 400;
    c.params.txs = 12000;
    c.params.fraud_rate = 0.1;
    check_stream(c);
}

TEST(LedgerCheck, HoldsForSmallPopulationsAndHighFraudRates) {
    GeneratorConfig c;
    c.seed = 22;
    c.params.accounts = 40;
    c.params.txs = 5000;
    c.params.fraud_rate = 0.4;
    c.params.tx_interval_ms = 5;
    check_stream(c);
}

}  // namespace
}  // namespace mfd::chain::workload
