// Etherscan txlist import: hand-written files for columns, quoting, bad rows, ordering and
// labels; then the real shared file.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "chain_sim/workload/etherscan_import.hpp"
#include "chain_sim/workload/labels.hpp"
#include "tests/support/shared_data.hpp"
#include "tests/workload/workload_testing.hpp"

namespace mfd::chain::workload {
namespace {

using core::Errc;
using test::error_code;
using test::error_message;

const std::string kA = "0x" + std::string(40, 'a');
const std::string kB = "0x" + std::string(40, 'b');
const std::string kC = "0x" + std::string(40, 'c');
const std::string kD = "0x" + std::string(40, 'd');

const std::string kHeader =
    "extra,value,hash,blockNumber,timeStamp,nonce,from,to,gas,gasPrice,isError,input,"
    "contractAddress,gasUsed,account,functionName\n";

std::string hash(int n) {
    return "0x" + std::string(62, '0') + (n < 10 ? "0" : "") + std::to_string(n);
}

/// One data line in the column order of kHeader; `outcome` is
/// isError,input,contractAddress,gasUsed.
std::string line(int id, const std::string& block, const std::string& time,
                 const std::string& nonce, const std::string& from, const std::string& to,
                 const std::string& account, const std::string& value = "1000",
                 const std::string& outcome = "0,0x,,21000", const std::string& function = "") {
    return "x," + value + "," + hash(id) + "," + block + "," + time + "," + nonce + "," + from +
           "," + to + ",21000,30000000000," + outcome + "," + account + "," + function + "\n";
}

/// Ten records (one spans two lines); four are bad: lines 8, 9, 11 and 12.
std::string sample_csv() {
    std::string text = kHeader;
    text += line(2, "20", "2000", "2", kA, kB, kA);
    text += line(3, "10", "1000", "0", kA, kB, kA);
    text += line(4, "20", "2000", "1", kA, kB, kA);
    text += line(5, "20", "2000", "9", kB, kA, kA, "123456789012345678901234");
    text += line(6, "30", "3000", "1", kC, kB, kC, "1000", "0,0xa9059cbb,,21000",
                 "\"transfer(address to, uint256 \"\"x\"\")\nsecond line\"");
    text += line(8, "31", "3100", "abc", kC, kB, kC);
    text += line(9, "0", "0", "", "GENESIS", kC, kC);
    text += line(16, "15", "1500", "0", kC, "", kC, "1000", "1,0x6080," + kD + ",21000");
    text += "x,1,2,3\n";
    text += line(12, "40", "4000", "2", kC, kB, kC, "1000", "0,0x,,21000", "\"open");
    return text;
}

struct Files {
    test::TempDir dir;
    std::filesystem::path txs = dir / "txs.csv";
    std::filesystem::path labels = dir / "labels.csv";
    Files(const std::string& csv, bool gzip = false) {
        if (gzip) {
            txs = dir / "txs.csv.gz";
            test::write_gzip(txs, csv);
        } else {
            test::write_plain(txs, csv);
        }
        test::write_plain(labels, "label,address\n1," + kA + "\n0," + kC.substr(0, 2) +
                                      std::string(40, 'C') + "\n");
    }
};

EtherscanOptions options(const std::filesystem::path& txs,
                         std::optional<std::filesystem::path> labels = std::nullopt,
                         EtherscanOrder order = EtherscanOrder::kByTime) {
    EtherscanOptions o;
    o.txs = txs;
    o.labels = std::move(labels);
    o.order = order;
    return o;
}

std::vector<std::uint64_t> ids(const EtherscanImport& in) {
    std::vector<std::uint64_t> out;
    for (const auto& e : in.events) out.push_back(e.hash.bytes[31]);
    return out;
}

TEST(EtherscanImport, ReadsColumnsByNameQuotesAndBadRows) {
    Files files(sample_csv());
    auto in = import_etherscan(options(files.txs, files.labels));
    ASSERT_TRUE(in) << error_message(in);
    EXPECT_EQ(in->rows_read, 10u);
    EXPECT_EQ(in->bad_row_count, 4u);
    ASSERT_EQ(in->bad_rows.size(), 4u);
    EXPECT_EQ(in->bad_rows[0].line, 8u);
    EXPECT_NE(in->bad_rows[0].reason.find("nonce"), std::string::npos) << in->bad_rows[0].reason;
    EXPECT_EQ(in->bad_rows[1].line, 9u);
    EXPECT_NE(in->bad_rows[1].reason.find("from"), std::string::npos) << in->bad_rows[1].reason;
    EXPECT_EQ(in->bad_rows[2].line, 11u);
    EXPECT_EQ(in->bad_rows[3].line, 12u);
    EXPECT_NE(in->bad_rows[3].reason.find("quote"), std::string::npos) << in->bad_rows[3].reason;
    EXPECT_EQ(in->accounts, 2u);
    EXPECT_EQ(in->unlabelled_accounts, 0u);
    ASSERT_EQ(in->events.size(), 6u);
    ASSERT_EQ(in->rows.size(), 6u);
}

TEST(EtherscanImport, EventsCarryTheRowsFields) {
    Files files(sample_csv());
    auto in = import_etherscan(options(files.txs, files.labels, EtherscanOrder::kByAccount));
    ASSERT_TRUE(in) << error_message(in);
    ASSERT_EQ(ids(*in), (std::vector<std::uint64_t>{3, 4, 2, 5, 0x16, 6}));
    const core::TxEvent& big = in->events[3];
    EXPECT_EQ(big.tx.value, *core::U256::from_string("123456789012345678901234"));
    EXPECT_EQ(big.claimed_sender->hex(), kB);
    EXPECT_EQ(big.sender_role, "counterparty");
    EXPECT_EQ(big.recipient_role, "account");
    EXPECT_EQ(big.account, kA);
    EXPECT_EQ(big.label, 1);
    EXPECT_EQ(big.time_ms, 2'000'000);
    EXPECT_EQ(big.signature, core::SignatureStatus::kUnavailable);
    EXPECT_EQ(big.tx.nonce, 9u);
    EXPECT_EQ(big.tx.gas_limit, 21000u);
    EXPECT_EQ(big.tx.gas_price, core::U256(30'000'000'000));
    EXPECT_EQ(big.failed, false);
    EXPECT_EQ(big.gas_used, 21000u);
    const core::TxEvent& create = in->events[4];
    EXPECT_TRUE(create.tx.is_create());
    EXPECT_EQ(create.tx.data, (core::Bytes{0x60, 0x80}));
    EXPECT_EQ(create.failed, true);
    EXPECT_EQ(create.recipient_role, "contract");
    EXPECT_EQ(create.sender_role, "account");
    EXPECT_EQ(create.label, 0);
    EXPECT_EQ(in->rows[4].contract_address->hex(), kD);
    EXPECT_EQ(in->rows[4].block_number, 15u);
    EXPECT_EQ(in->rows[4].line, 10u);
    EXPECT_EQ(in->events[5].tx.data, (core::Bytes{0xa9, 0x05, 0x9c, 0xbb}));
    EXPECT_EQ(in->rows[5].line, 6u);
}

TEST(EtherscanImport, MergesAccountsByTimeKeepingChainOrder) {
    Files files(sample_csv(), true);
    auto in = import_etherscan(options(files.txs, files.labels));
    ASSERT_TRUE(in) << error_message(in);
    EXPECT_EQ(ids(*in), (std::vector<std::uint64_t>{3, 0x16, 4, 2, 5, 6}));
}

TEST(EtherscanImport, GzipAndPlainGiveTheSameEvents) {
    Files plain(sample_csv()), gz(sample_csv(), true);
    auto a = import_etherscan(options(plain.txs));
    auto b = import_etherscan(options(gz.txs));
    ASSERT_TRUE(a && b);
    EXPECT_EQ(ids(*a), ids(*b));
    EXPECT_EQ(a->unlabelled_accounts, 2u);
    for (const auto& e : a->events) EXPECT_EQ(e.label, -1);
}

TEST(EtherscanImport, MissingRequiredColumnIsAClearError) {
    std::string csv = sample_csv();
    csv.replace(csv.find("gasPrice"), 8, "gasCost");
    Files files(csv);
    auto in = import_etherscan(options(files.txs));
    ASSERT_EQ(error_code(in), Errc::kCorruption);
    EXPECT_NE(error_message(in).find("gasPrice"), std::string::npos) << error_message(in);
    EXPECT_NE(error_message(in).find(":1:"), std::string::npos) << error_message(in);
}

TEST(EtherscanImport, FileWithoutAccountColumnUsesTheGivenAccount) {
    const std::string csv =
        "blockNumber,timeStamp,hash,nonce,from,to,value,gas,gasPrice\n"
        "5,50," +
        hash(1) + ",3," + kA + "," + kB +
        ",7,21000,1\n"
        "4,40," +
        hash(2) + ",2," + kA + "," + kB + ",7,21000,1\n";
    Files files(csv);
    EtherscanOptions o = options(files.txs, files.labels);
    o.account = kA;
    auto in = import_etherscan(o);
    ASSERT_TRUE(in) << error_message(in);
    ASSERT_EQ(in->events.size(), 2u);
    EXPECT_EQ(in->events[0].tx.nonce, 2u);
    EXPECT_EQ(in->events[0].account, kA);
    EXPECT_EQ(in->events[0].label, 1);
    EXPECT_FALSE(in->events[0].failed.has_value());
}

TEST(EtherscanImport, MissingFilesAndBadLabelsAreErrors) {
    Files files(sample_csv());
    EXPECT_EQ(error_code(import_etherscan(options(files.dir / "none.csv"))), Errc::kNotFound);
    test::write_plain(files.labels, "address,label\n" + kA + ",2\n");
    auto in = import_etherscan(options(files.txs, files.labels));
    EXPECT_EQ(error_code(in), Errc::kCorruption);
    EXPECT_NE(error_message(in).find("labels.csv:2"), std::string::npos) << error_message(in);
    test::write_plain(files.labels, "address,label\n" + kA + ",1\n" + kA + ",0\n");
    EXPECT_EQ(error_code(read_labels(files.labels)), Errc::kCorruption);
    test::write_plain(files.labels, "addr,label\n");
    EXPECT_EQ(error_code(read_labels(files.labels)), Errc::kCorruption);
}

TEST(EtherscanImport, ReportsOnlyTheFirstBadRowsButCountsAll) {
    std::string csv = kHeader;
    for (int i = 0; i < 5; ++i) csv += "x,1,2\n";
    Files files(csv);
    EtherscanOptions o = options(files.txs);
    o.max_reported_bad_rows = 2;
    auto in = import_etherscan(o);
    ASSERT_TRUE(in);
    EXPECT_EQ(in->bad_row_count, 5u);
    EXPECT_EQ(in->bad_rows.size(), 2u);
    EXPECT_TRUE(in->events.empty());
}

/// Each account's events are in chain order: block number, then nonce among one sender's.
void expect_chain_order(const EtherscanImport& in) {
    std::map<std::string, std::pair<std::uint64_t, std::int64_t>> last;  // block, time
    std::map<std::pair<std::string, core::Address>, std::pair<std::uint64_t, std::uint64_t>>
        last_nonce;  // (account, sender) -> block, nonce
    std::size_t violations = 0;
    for (std::size_t i = 0; i < in.events.size(); ++i) {
        const auto& e = in.events[i];
        const std::uint64_t block = in.rows[i].block_number;
        auto it = last.find(e.account);
        if (it != last.end() && (block < it->second.first || e.time_ms < it->second.second)) {
            ++violations;
        }
        last[e.account] = {block, e.time_ms};
        const auto key = std::make_pair(e.account, *e.claimed_sender);
        auto n = last_nonce.find(key);
        if (n != last_nonce.end() && n->second.first == block && e.tx.nonce < n->second.second) {
            ++violations;
        }
        last_nonce[key] = {block, e.tx.nonce};
    }
    EXPECT_EQ(violations, 0u);
}

TEST(EtherscanImportSharedData, ReadsAllRowsAccountsAndLabels) {
    const auto dir = mfd::test::shared_path("data/etherscan-phishing");
    auto in = import_etherscan(options(dir / "txs.csv.gz", dir / "labels.csv"));
    ASSERT_TRUE(in) << error_message(in);
    EXPECT_EQ(in->rows_read, 185'958u);
    // One row is Etherscan's genesis allocation pseudo-transaction ("GENESIS" sender, no nonce).
    EXPECT_EQ(in->bad_row_count, 1u);
    ASSERT_EQ(in->bad_rows.size(), 1u);
    EXPECT_EQ(in->bad_rows[0].line, 52'748u);
    EXPECT_EQ(in->events.size(), 185'957u);
    EXPECT_EQ(in->accounts, 3'000u);
    EXPECT_EQ(in->unlabelled_accounts, 0u);
    std::map<std::string, int> account_label;
    for (const auto& e : in->events) account_label[e.account] = e.label;
    int fraud = 0, normal = 0;
    for (const auto& [account, label] : account_label) (label == 1 ? fraud : normal)++;
    EXPECT_EQ(fraud, 1'500);
    EXPECT_EQ(normal, 1'500);
    expect_chain_order(*in);
    for (std::size_t i = 1; i < in->events.size(); ++i) {
        ASSERT_LE(in->events[i - 1].time_ms, in->events[i].time_ms) << i;
    }
}

TEST(EtherscanImportSharedData, ByAccountOrderKeepsTheFirstRowsFields) {
    const auto dir = mfd::test::shared_path("data/etherscan-phishing");
    auto in = import_etherscan(
        options(dir / "txs.csv.gz", dir / "labels.csv", EtherscanOrder::kByAccount));
    ASSERT_TRUE(in) << error_message(in);
    expect_chain_order(*in);
    // The file's first row (account 0x0000...5865, block 10445179).
    const core::TxEvent& first = in->events.front();
    EXPECT_EQ(first.account, "0x000000000532b45f47779fce440748893b257865");
    EXPECT_EQ(first.hash.hex(),
              "0xe4b07fb597da668afef4c1bf3fe9497cba37f21d34d4e38ccca1f17cc6319661");
    EXPECT_EQ(first.tx.nonce, 20u);
    EXPECT_EQ(first.tx.value, core::U256(10'000'000'000'000'000ULL));
    EXPECT_EQ(first.time_ms, 1'594'562'749'000);
    EXPECT_EQ(first.label, 1);
    EXPECT_EQ(first.recipient_role, "account");
    EXPECT_EQ(in->rows.front().block_number, 10'445'179u);
}

}  // namespace
}  // namespace mfd::chain::workload
