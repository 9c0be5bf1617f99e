// The generator: determinism, typologies with labels and roles, fraud rate, signatures that
// are what they claim, and stream round trip.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "chain_sim/workload/generator.hpp"
#include "chain_sim/workload/stream_reader.hpp"
#include "core/keccak.hpp"
#include "tests/workload/workload_testing.hpp"

namespace mfd::chain::workload {
namespace {

using core::Errc;
using test::error_code;
using test::error_message;

GeneratorConfig config(std::uint64_t seed, std::uint64_t txs = 6000, double rate = 0.08) {
    GeneratorConfig c;
    c.seed = seed;
    c.params.accounts = 300;
    c.params.txs = txs;
    c.params.fraud_rate = rate;
    c.params.tx_interval_ms = 100;
    return c;
}

/// One generated stream shared by the tests that only read it.
const Stream& modest_stream() {
    static const Stream stream = [] {
        auto s = generate_stream(config(11));
        EXPECT_TRUE(s) << error_message(s);
        return s ? std::move(*s) : Stream{};
    }();
    return stream;
}

std::vector<const StreamRecord*> of_typology(const Stream& s, std::string_view typology) {
    std::vector<const StreamRecord*> out;
    for (const auto& r : s.records) {
        if (r.event.typology == typology) out.push_back(&r);
    }
    return out;
}

TEST(Generator, SameSeedGivesIdenticalBytesAndAnotherSeedDoesNot) {
    test::TempDir dir;
    ASSERT_TRUE(generate_file(config(5, 1500), dir / "a.gz"));
    ASSERT_TRUE(generate_file(config(5, 1500), dir / "b.gz"));
    ASSERT_TRUE(generate_file(config(6, 1500), dir / "c.gz"));
    const std::string a = test::read_file(dir / "a.gz");
    EXPECT_GT(a.size(), 1000u);
    EXPECT_EQ(a, test::read_file(dir / "b.gz"));
    EXPECT_NE(a, test::read_file(dir / "c.gz"));
}

TEST(Generator, WritesExactlyTheRequestedCountWithSequentialIndexAndTime) {
    const Stream& s = modest_stream();
    ASSERT_EQ(s.records.size(), 6000u);
    std::set<core::Hash> hashes;
    for (std::size_t i = 0; i < s.records.size(); ++i) {
        EXPECT_EQ(s.records[i].index, i);
        if (i > 0) {
            EXPECT_LE(s.records[i - 1].event.time_ms, s.records[i].event.time_ms);
        }
        hashes.insert(s.records[i].event.hash);
    }
    EXPECT_EQ(hashes.size(), s.records.size()) << "every transaction hash is unique";
    EXPECT_EQ(s.header.params.accounts, 300u);
    EXPECT_EQ(s.header.genesis.size(), 300u);
    EXPECT_EQ(s.header.chain.chain_id, 1337u);
}

TEST(Generator, EveryTypologyIsPresentWithLabelsAndRoles) {
    const Stream& s = modest_stream();
    const std::map<std::string, std::pair<std::string, std::string>> expected_roles = {
        {"fraud:drain", {"compromised", "attacker"}},
        {"fraud:phishing", {"victim", "collector"}},
        {"fraud:approval_phishing", {"victim", "token_contract"}},
        {"fraud:peel_chain", {"mule", "mule"}},
        {"fraud:sybil", {"fraud_funder", "sybil"}},
        {"fraud:wash_trading", {"wash_trader", "wash_trader"}},
        {"fraud:nonce_reuse", {"weak_key", ""}},
        {"fraud:replay", {"victim", "attacker"}},
        {"fraud:high_s", {"victim", ""}},
        {"fraud:sig_mismatch", {"spoofed", "attacker"}},
    };
    for (const auto& [typology, roles] : expected_roles) {
        SCOPED_TRACE(typology);
        const auto records = of_typology(s, typology);
        ASSERT_FALSE(records.empty());
        bool seen = false;
        for (const auto* r : records) {
            EXPECT_EQ(r->event.label, 1);
            EXPECT_FALSE(r->event.sender_role.empty());
            EXPECT_FALSE(r->event.recipient_role.empty());
            seen = seen || (r->event.sender_role == roles.first &&
                            (roles.second.empty() || r->event.recipient_role == roles.second));
        }
        EXPECT_TRUE(seen) << "no " << roles.first << " -> " << roles.second;
    }
    for (const auto& r : s.records) {
        const bool fraud = r.event.typology.rfind("fraud:", 0) == 0;
        ASSERT_EQ(r.event.label, fraud ? 1 : 0) << r.event.typology;
        if (!fraud) {
            ASSERT_EQ(r.event.typology.rfind("honest:", 0), 0u) << r.event.typology;
        }
    }
    for (const char* honest : {"honest:retail", "honest:payroll", "honest:token_transfer",
                               "honest:swap", "honest:deploy", "honest:exchange_deposit",
                               "honest:exchange_withdrawal", "honest:liquidity"}) {
        EXPECT_FALSE(of_typology(s, honest).empty()) << honest;
    }
}

TEST(Generator, LateResendsAreHonestFeeBumpedCopiesOfAMinedTransaction) {
    auto s = generate_stream(config(4, 8000, 0.05));
    ASSERT_TRUE(s);
    std::map<std::pair<core::Address, std::uint64_t>, const core::TxEvent*> mined;
    std::size_t resends = 0;
    for (const auto& r : s->records) {
        const auto& e = r.event;
        ASSERT_TRUE(e.sender());
        const auto key = std::make_pair(*e.sender(), e.tx.nonce);
        if (e.typology != "honest:late_resend") {
            if (r.expected == core::Errc::kOk) mined[key] = &e;
            continue;
        }
        ++resends;
        EXPECT_EQ(e.label, 0);
        EXPECT_EQ(r.expected, core::Errc::kTxNonceTooLow);
        const auto original = mined.find(key);
        ASSERT_NE(original, mined.end()) << "a resend of nothing mined before it";
        const core::TxEvent& o = *original->second;
        EXPECT_EQ(e.tx.to, o.tx.to);
        EXPECT_EQ(e.tx.value, o.tx.value);
        EXPECT_EQ(e.tx.type, o.tx.type);
        EXPECT_GT(e.tx.fee_cap(), o.tx.fee_cap());
        EXPECT_NE(e.hash, o.hash);
    }
    EXPECT_GT(resends, 10U);
}

TEST(Generator, FraudRateIsNearTheTarget) {
    for (double rate : {0.02, 0.08, 0.2}) {
        auto s = generate_stream(config(3, 8000, rate));
        ASSERT_TRUE(s);
        std::size_t fraud = 0;
        for (const auto& r : s->records) fraud += r.event.label == 1 ? 1 : 0;
        const double measured = static_cast<double>(fraud) / static_cast<double>(s->records.size());
        EXPECT_NEAR(measured, rate, 0.25 * rate) << "target " << rate;
    }
    auto none = generate_stream(config(3, 2000, 0.0));
    ASSERT_TRUE(none);
    for (const auto& r : none->records) ASSERT_EQ(r.event.label, 0);
}

TEST(Generator, MixesTransactionTypesAndFeeLevels) {
    std::map<std::pair<core::TxType, bool>, int> kinds;  // (type, has chain id)
    std::set<core::U256> fee_caps;
    for (const auto& r : modest_stream().records) {
        ++kinds[{r.event.tx.type, r.event.tx.chain_id.has_value()}];
        fee_caps.insert(r.event.tx.fee_cap());
        ASSERT_GE(r.event.tx.fee_cap(), modest_stream().header.chain.min_fee_cap);
    }
    EXPECT_GT((kinds[{core::TxType::kLegacy, true}]), 300);
    EXPECT_GT((kinds[{core::TxType::kLegacy, false}]), 5);
    EXPECT_GT((kinds[{core::TxType::kAccessList, true}]), 50);
    EXPECT_GT((kinds[{core::TxType::kDynamicFee, true}]), 1000);
    EXPECT_GT(fee_caps.size(), 1000u);
}

TEST(Generator, EveryRawTransactionDecodesAndValidOnesRecoverToTheClaimedSender) {
    const Stream& s = modest_stream();
    const core::TxRules rules{.chain_id = 1337, .allow_unprotected = true};
    for (const auto& r : s.records) {
        auto ev = core::tx_event_from_raw(r.event.raw, rules, r.event.time_ms);
        ASSERT_TRUE(ev) << r.index << ": " << error_message(ev);
        EXPECT_EQ(ev->tx, r.event.tx) << r.index;
        EXPECT_EQ(ev->hash, r.event.hash) << r.index;
        EXPECT_EQ(ev->recovered_sender, r.event.recovered_sender) << r.index;
        EXPECT_EQ(ev->signature, r.event.signature) << r.index;
        EXPECT_EQ(ev->validity, r.event.validity) << r.index;
        if (r.expected == Errc::kOk) {
            ASSERT_EQ(ev->validity, Errc::kOk) << r.index;
            ASSERT_EQ(ev->recovered_sender, r.event.claimed_sender) << r.index;
        }
    }
}

TEST(Generator, NonceReuseSharesRAcrossTwoSignaturesOfOneKey) {
    const auto records = of_typology(modest_stream(), "fraud:nonce_reuse");
    std::map<core::Address, std::vector<const StreamRecord*>> weak;
    for (const auto* r : records) {
        const auto& role = r->event.sender_role;
        if (role == "weak_key_first" || role == "weak_key") {
            weak[*r->event.recovered_sender].push_back(r);
        }
    }
    ASSERT_FALSE(weak.empty());
    for (const auto& [signer, signed_by] : weak) {
        ASSERT_EQ(signed_by.size(), 2u);
        EXPECT_EQ(signed_by[0]->event.sender_role, "weak_key_first");  // in stream order
        EXPECT_EQ(signed_by[1]->event.sender_role, "weak_key");
        EXPECT_EQ(signed_by[0]->event.tx.r, signed_by[1]->event.tx.r);
        EXPECT_NE(signed_by[0]->event.tx.s, signed_by[1]->event.tx.s);
        EXPECT_EQ(signed_by[0]->expected, Errc::kOk);
    }
    std::map<core::U256, std::set<core::Address>> signers_by_r;
    for (const auto& r : modest_stream().records) {
        if (r.event.typology != "fraud:high_s")
            signers_by_r[r.event.tx.r].insert(*r.event.recovered_sender);
    }
    std::size_t shared = 0;
    for (const auto& [r, signers] : signers_by_r) shared += signers.size() == 1 ? 0 : 1;
    EXPECT_EQ(shared, 0u) << "an r value is shared only by two signatures of one key";
}

TEST(Generator, HighSTwinRecoversToTheSameSenderButFailsValidation) {
    const Stream& s = modest_stream();
    const auto twins = of_typology(s, "fraud:high_s");
    ASSERT_FALSE(twins.empty());
    for (const auto* twin : twins) {
        EXPECT_EQ(twin->expected, Errc::kTxSignatureHighS);
        EXPECT_EQ(twin->event.validity, Errc::kTxSignatureHighS);
        EXPECT_TRUE(core::is_high_s(twin->event.tx.s.to_be32()));
        const StreamRecord* original = nullptr;
        for (const auto& r : s.records) {
            if (r.index < twin->index && r.event.tx.r == twin->event.tx.r) original = &r;
        }
        ASSERT_NE(original, nullptr);
        EXPECT_EQ(original->event.label, 0);
        EXPECT_EQ(original->expected, Errc::kOk);
        EXPECT_EQ(original->event.recovered_sender, twin->event.recovered_sender);
        EXPECT_EQ(twin->event.claimed_sender, twin->event.recovered_sender);
        EXPECT_NE(original->event.hash, twin->event.hash);
        core::Transaction same = twin->event.tx;
        same.s = original->event.tx.s;
        same.v = original->event.tx.v;
        same.y_parity = original->event.tx.y_parity;
        EXPECT_EQ(same, original->event.tx);
    }
}

TEST(Generator, ReplayedTransactionsHaveNoChainId) {
    const auto records = of_typology(modest_stream(), "fraud:replay");
    int stale = 0, accepted = 0;
    for (const auto* r : records) {
        if (r->event.sender_role != "victim") continue;
        EXPECT_EQ(r->event.tx.type, core::TxType::kLegacy);
        EXPECT_FALSE(r->event.tx.chain_id.has_value());
        EXPECT_TRUE(r->event.tx.v == core::U256(27) || r->event.tx.v == core::U256(28));
        EXPECT_EQ(r->event.recovered_sender, r->event.claimed_sender);
        (r->expected == Errc::kTxNonceTooLow ? stale : accepted)++;
        EXPECT_TRUE(r->expected == Errc::kTxNonceTooLow || r->expected == Errc::kOk);
    }
    EXPECT_GT(stale, 0);
    EXPECT_GT(accepted, 0);
}

TEST(Generator, MismatchedSignatureRecoversToAnotherAddress) {
    const auto records = of_typology(modest_stream(), "fraud:sig_mismatch");
    ASSERT_FALSE(records.empty());
    for (const auto* r : records) {
        EXPECT_TRUE(r->event.sender_mismatch());
        EXPECT_EQ(r->event.validity, Errc::kOk);
        EXPECT_EQ(r->expected, Errc::kTxInsufficientFunds);
        EXPECT_EQ(r->event.tx.nonce, 0u);
    }
}

TEST(Generator, StreamRoundTripsThroughWriterAndReader) {
    test::TempDir dir;
    const GeneratorConfig c = config(11);
    ASSERT_TRUE(generate_file(c, dir / "s.gz"));
    auto read = read_stream(dir / "s.gz", 3);
    ASSERT_TRUE(read) << error_message(read);
    const Stream& made = modest_stream();
    EXPECT_EQ(read->header, made.header);
    ASSERT_EQ(read->records.size(), made.records.size());
    for (std::size_t i = 0; i < made.records.size(); ++i) {
        const auto& a = read->records[i];
        const auto& b = made.records[i];
        ASSERT_EQ(a.event.raw, b.event.raw) << i;
        ASSERT_EQ(a.expected, b.expected) << i;
        ASSERT_EQ(a.event.claimed_sender, b.event.claimed_sender) << i;
        ASSERT_EQ(a.event.recovered_sender, b.event.recovered_sender) << i;
        ASSERT_EQ(a.event.time_ms, b.event.time_ms) << i;
        ASSERT_EQ(a.event.label, b.event.label) << i;
        ASSERT_EQ(a.event.typology, b.event.typology) << i;
        ASSERT_EQ(a.event.sender_role, b.event.sender_role) << i;
        ASSERT_EQ(a.event.recipient_role, b.event.recipient_role) << i;
        ASSERT_EQ(a.event.signature, b.event.signature) << i;
        ASSERT_EQ(a.event.validity, b.event.validity) << i;
    }
}

TEST(Generator, BadConfigurationsAreRefused) {
    GeneratorConfig c = config(1);
    c.params.accounts = 10;
    EXPECT_EQ(error_code(generate_stream(c)), Errc::kInvalidArgument);
    c = config(1);
    c.params.fraud_rate = 0.9;
    EXPECT_EQ(error_code(generate_stream(c)), Errc::kInvalidArgument);
    c = config(1);
    c.params.txs = 0;
    EXPECT_EQ(error_code(generate_stream(c)), Errc::kInvalidArgument);
    c = config(1);
    c.chain.min_fee_cap = core::U256(1);
    EXPECT_EQ(error_code(generate_stream(c)), Errc::kInvalidArgument);
    test::TempDir dir;
    EXPECT_EQ(error_code(generate_file(config(1, 10), dir / "no" / "dir.gz")), Errc::kNotFound);
}

}  // namespace
}  // namespace mfd::chain::workload
