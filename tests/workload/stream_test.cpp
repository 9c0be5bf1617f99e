// The labelled stream format: writer and strict reader round-trip, and every kind of bad input
// is a clear error naming the line.
#include <gtest/gtest.h>

#include "chain_sim/workload/gz_file.hpp"
#include "chain_sim/workload/stream_reader.hpp"
#include "chain_sim/workload/stream_writer.hpp"
#include "core/keccak.hpp"
#include "core/transaction.hpp"
#include "tests/workload/workload_testing.hpp"

namespace mfd::chain::workload {
namespace {

using core::Errc;
using test::error_code;
using test::error_message;

constexpr std::uint64_t kChain = 1337;

core::PrivateKey key(std::string_view name) {
    return core::PrivateKey::derive(core::as_bytes(name));
}

core::Transaction transfer(core::TxType type, std::uint64_t nonce) {
    core::Transaction tx;
    tx.type = type;
    tx.nonce = nonce;
    tx.gas_limit = 21000;
    tx.to = key("bob").address();
    tx.value = core::U256(12345);
    if (type == core::TxType::kDynamicFee) {
        tx.max_priority_fee_per_gas = core::U256(2'000'000'000);
        tx.max_fee_per_gas = core::U256(40'000'000'000);
    } else {
        tx.gas_price = core::U256(30'000'000'000);
    }
    return tx;
}

StreamRecord record(std::uint64_t index, const core::Transaction& signed_tx, std::int8_t label,
                    std::string typology, Errc expected = Errc::kOk) {
    StreamRecord r;
    r.index = index;
    r.event.tx = signed_tx;
    r.event.raw = core::encode_transaction(signed_tx);
    r.event.hash = core::keccak256(r.event.raw);
    r.event.claimed_sender = key("alice").address();
    r.event.time_ms = 1000 + static_cast<std::int64_t>(index) * 10;
    r.event.label = label;
    r.event.typology = std::move(typology);
    r.event.sender_role = label == 1 ? "attacker" : "retail";
    r.event.recipient_role = "retail";
    r.expected = expected;
    return r;
}

core::Transaction sign(core::Transaction tx, std::optional<std::uint64_t> chain = kChain) {
    return *core::sign_transaction(std::move(tx), key("alice"), chain);
}

StreamHeader header() {
    StreamHeader h;
    h.seed = 7;
    h.params = {.accounts = 3, .txs = 4, .fraud_rate = 0.25, .tx_interval_ms = 50};
    h.chain.chain_id = kChain;
    h.start_time_ms = 1000;
    h.genesis = {{key("alice").address(), core::U256(11)},
                 {key("bob").address(), *core::U256::from_string("1000000000000000000000")}};
    return h;
}

/// Four records: legacy EIP-155, 1559, pre-155 legacy, and a high-S twin the chain rejects.
std::vector<StreamRecord> sample_records() {
    const core::Transaction first = sign(transfer(core::TxType::kLegacy, 0));
    core::Transaction twin = first;
    const auto sig = core::malleate({first.r.to_be32(), first.s.to_be32(), first.y_parity});
    twin.s = *core::U256::from_be(sig.s.view());
    twin.y_parity = sig.y_parity;
    twin.v = core::legacy_v(kChain, sig.y_parity);
    return {record(0, first, 0, "honest:retail"),
            record(1, sign(transfer(core::TxType::kDynamicFee, 1)), 0, "honest:retail"),
            record(2, sign(transfer(core::TxType::kLegacy, 2), std::nullopt), 1, "fraud:replay"),
            record(3, twin, 1, "fraud:high_s", Errc::kTxSignatureHighS)};
}

void write_stream(const std::filesystem::path& path, const std::vector<StreamRecord>& records) {
    auto writer = StreamWriter::create(path, header());
    ASSERT_TRUE(writer) << error_message(writer);
    for (const auto& r : records) ASSERT_TRUE(writer->write(r));
    ASSERT_TRUE(writer->close());
}

TEST(Stream, RoundTripsThroughWriterAndReader) {
    test::TempDir dir;
    const auto records = sample_records();
    write_stream(dir / "s.jsonl.gz", records);
    auto stream = read_stream(dir / "s.jsonl.gz");
    ASSERT_TRUE(stream) << error_message(stream);
    EXPECT_EQ(stream->header, header());
    ASSERT_EQ(stream->records.size(), records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& got = stream->records[i];
        const auto& want = records[i];
        EXPECT_EQ(got.index, want.index);
        EXPECT_EQ(got.expected, want.expected);
        EXPECT_EQ(got.event.tx, want.event.tx);
        EXPECT_EQ(got.event.raw, want.event.raw);
        EXPECT_EQ(got.event.hash, want.event.hash);
        EXPECT_EQ(got.event.claimed_sender, want.event.claimed_sender);
        EXPECT_EQ(got.event.time_ms, want.event.time_ms);
        EXPECT_EQ(got.event.label, want.event.label);
        EXPECT_EQ(got.event.typology, want.event.typology);
        EXPECT_EQ(got.event.sender_role, want.event.sender_role);
        EXPECT_EQ(got.event.recipient_role, want.event.recipient_role);
        EXPECT_EQ(got.event.recovered_sender, key("alice").address());
    }
    EXPECT_EQ(stream->records[0].event.signature, core::SignatureStatus::kValid);
    EXPECT_EQ(stream->records[2].event.tx.chain_id, std::nullopt);
    EXPECT_EQ(stream->records[3].event.signature, core::SignatureStatus::kHighS);
    EXPECT_EQ(stream->records[3].event.validity, Errc::kTxSignatureHighS);
}

TEST(Stream, EqualInputGivesIdenticalBytes) {
    test::TempDir dir;
    write_stream(dir / "a.gz", sample_records());
    write_stream(dir / "b.gz", sample_records());
    EXPECT_EQ(test::read_file(dir / "a.gz"), test::read_file(dir / "b.gz"));
}

TEST(Stream, WriterRefusesInconsistentRecords) {
    test::TempDir dir;
    auto writer = StreamWriter::create(dir / "w.gz", header());
    ASSERT_TRUE(writer);
    auto records = sample_records();
    auto skipped = records[1];
    EXPECT_EQ(error_code(writer->write(skipped)), Errc::kInvalidArgument);
    auto bad_hash = records[0];
    bad_hash.event.hash.bytes[0] ^= 1;
    EXPECT_EQ(error_code(writer->write(bad_hash)), Errc::kInvalidArgument);
    auto no_sender = records[0];
    no_sender.event.claimed_sender.reset();
    EXPECT_EQ(error_code(writer->write(no_sender)), Errc::kInvalidArgument);
    auto bad_label = records[0];
    bad_label.event.label = -1;
    EXPECT_EQ(error_code(writer->write(bad_label)), Errc::kInvalidArgument);
    EXPECT_TRUE(writer->write(records[0]));
    auto earlier = records[1];
    earlier.event.time_ms = records[0].event.time_ms - 1;
    EXPECT_EQ(error_code(writer->write(earlier)), Errc::kInvalidArgument);
    EXPECT_EQ(writer->records_written(), 1u);
    EXPECT_TRUE(writer->close());
}

TEST(Stream, WriterReportsAMissingDirectory) {
    test::TempDir dir;
    auto writer = StreamWriter::create(dir / "no" / "such" / "s.gz", header());
    EXPECT_EQ(error_code(writer), Errc::kNotFound);
}

TEST(Stream, TruncatedGzipIsACorruptionError) {
    test::TempDir dir;
    write_stream(dir / "s.gz", sample_records());
    const std::string bytes = test::read_file(dir / "s.gz");
    test::write_plain(dir / "cut.gz", bytes.substr(0, bytes.size() - 12));
    auto stream = read_stream(dir / "cut.gz");
    EXPECT_EQ(error_code(stream), Errc::kCorruption);
    EXPECT_NE(error_message(stream).find("truncated"), std::string::npos) << error_message(stream);
}

TEST(Stream, DamagedGzipIsACorruptionError) {
    test::TempDir dir;
    write_stream(dir / "s.gz", sample_records());
    std::string bytes = test::read_file(dir / "s.gz");
    bytes[bytes.size() - 6] ^= 0x55;  // the CRC-32 of the trailer
    test::write_plain(dir / "bad.gz", bytes);
    EXPECT_EQ(error_code(read_stream(dir / "bad.gz")), Errc::kCorruption);
}

TEST(Stream, PlainTextAndEmptyFilesAreRefused) {
    test::TempDir dir;
    test::write_plain(dir / "plain.jsonl", "{\"format\":\"mfd-workload-stream\"}\n");
    EXPECT_EQ(error_code(StreamReader::open(dir / "plain.jsonl")), Errc::kCorruption);
    test::write_gzip(dir / "empty.gz", "");
    EXPECT_EQ(error_code(StreamReader::open(dir / "empty.gz")), Errc::kCorruption);
    EXPECT_EQ(error_code(StreamReader::open(dir / "missing.gz")), Errc::kNotFound);
}

/// The text of a valid stream, one line per element (header first).
std::vector<std::string> stream_lines() {
    test::TempDir dir;
    write_stream(dir / "s.gz", sample_records());
    auto lines = GzLineReader::open(dir / "s.gz", true);
    std::vector<std::string> out;
    while (auto line = lines->next_line()) {
        if (!*line) break;
        out.emplace_back(**line);
    }
    return out;
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return s;
}

/// Reads a stream whose line `n` (0 = header) is replaced by `line`; returns the error.
core::Result<Stream> read_with_line(std::size_t n, const std::string& line) {
    auto lines = stream_lines();
    lines.at(n) = line;
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    test::TempDir dir;
    test::write_gzip(dir / "x.gz", text);
    return read_stream(dir / "x.gz");
}

TEST(Stream, BadLinesAreErrorsNamingTheLine) {
    const auto lines = stream_lines();
    ASSERT_EQ(lines.size(), 5u);
    const std::string third = lines[3];
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"not json", "not JSON"},
        {"[1,2]", "not a JSON object"},
        {"{\"i\":" + std::string(50'000, '[') + std::string(50'000, ']') + "}", "nests deeper"},
        {replace(third, "\"i\":2", "\"i\":5"), "out of sequence"},
        {replace(third, "\"label\":1", "\"label\":2"), "label"},
        {replace(third, "\"label\":1", "\"label\":0"), "does not match label"},
        {replace(third, "\"expect\":\"valid\"", "\"expect\":\"MAYBE\""), "MAYBE"},
        {replace(third, "\"time_ms\":1020", "\"time_ms\":1"), "backwards"},
        {replace(third, "\"time_ms\":1020", "\"time_ms\":\"1020\""), "time_ms"},
        {replace(third, "\"i\":2,", ""), "missing key 'i'"},
        {replace(third, "\"i\":2,", "\"i\":2,\"extra\":1,"), "unknown key 'extra'"},
        {replace(third, "\"raw\":\"0x", "\"raw\":\"0xzz"), "raw"},
        {replace(third, "\"raw\":\"0x", "\"raw\":\"0xc0"), "does not decode"},
        {replace(third, "\"hash\":\"0x", "\"hash\":\"0x00"), "hash"},
        {replace(third, "\"from\":\"0x", "\"from\":\"0x1"), "from"},
    };
    for (const auto& [line, what] : cases) {
        SCOPED_TRACE(line);
        auto stream = read_with_line(3, line);
        ASSERT_EQ(error_code(stream), Errc::kCorruption);
        EXPECT_NE(error_message(stream).find(":4: "), std::string::npos) << error_message(stream);
        EXPECT_NE(error_message(stream).find(what), std::string::npos) << error_message(stream);
    }
}

TEST(Stream, BatchesDecodedOnSeveralThreadsGiveTheSameRecordsAndErrors) {
    test::TempDir dir;
    write_stream(dir / "s.gz", sample_records());
    auto one = read_stream(dir / "s.gz", 1);
    auto three = read_stream(dir / "s.gz", 3);
    ASSERT_TRUE(one && three);
    ASSERT_EQ(one->records.size(), three->records.size());
    for (std::size_t i = 0; i < one->records.size(); ++i) {
        EXPECT_EQ(one->records[i].event.raw, three->records[i].event.raw);
        EXPECT_EQ(one->records[i].event.recovered_sender, three->records[i].event.recovered_sender);
        EXPECT_EQ(one->records[i].event.validity, three->records[i].event.validity);
    }
    auto reader = StreamReader::open(dir / "s.gz");
    ASSERT_TRUE(reader);
    auto first = reader->next_batch(3, 2);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->size(), 3u);
    auto rest = reader->next_batch(3, 2);
    ASSERT_TRUE(rest);
    ASSERT_EQ(rest->size(), 1u);
    EXPECT_EQ(rest->front().index, 3u);
    EXPECT_TRUE(reader->next_batch(3, 2)->empty());

    auto lines = stream_lines();
    lines[2] = replace(lines[2], "\"raw\":\"0x", "\"raw\":\"0xc0");
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    test::write_gzip(dir / "bad.gz", text);
    auto bad = read_stream(dir / "bad.gz", 2);
    ASSERT_EQ(error_code(bad), Errc::kCorruption);
    EXPECT_NE(error_message(bad).find(":3: raw does not decode"), std::string::npos)
        << error_message(bad);
}

TEST(Stream, AnOverlongLineIsALimitError) {
    test::TempDir dir;
    std::string text = stream_lines()[0] + "\n";
    text.append(GzLineReader::kMaxLineBytes + 10, 'x');
    test::write_gzip(dir / "long.gz", text);
    auto stream = read_stream(dir / "long.gz");
    EXPECT_EQ(error_code(stream), Errc::kLimitExceeded);
    EXPECT_NE(error_message(stream).find("line 2"), std::string::npos) << error_message(stream);
}

TEST(Stream, HashOfAnotherTransactionIsRefused) {
    const auto lines = stream_lines();
    const auto other_hash = lines[1].substr(lines[1].find("\"hash\":"), 75);
    const auto own_hash = lines[3].substr(lines[3].find("\"hash\":"), 75);
    auto stream = read_with_line(3, replace(lines[3], own_hash, other_hash));
    EXPECT_EQ(error_code(stream), Errc::kCorruption);
    EXPECT_NE(error_message(stream).find("keccak256(raw)"), std::string::npos);
}

TEST(Stream, BadHeadersAreErrors) {
    const std::string h = stream_lines()[0];
    for (const auto& line :
         {replace(h, "\"version\":2", "\"version\":1"), replace(h, "mfd-workload-stream", "other"),
          replace(h, "\"seed\":7", "\"seed\":-7"), replace(h, "\"accounts\":3", "\"accounts\":3.5"),
          replace(h, "\"genesis\":[", "\"genesis\":[{\"address\":\"0x12\",\"balance\":\"0x1\"},"),
          replace(h, "\"initial_base_fee\":\"0x", "\"initial_base_fee\":\"1")}) {
        SCOPED_TRACE(line);
        auto stream = read_with_line(0, line);
        EXPECT_EQ(error_code(stream), Errc::kCorruption);
        EXPECT_NE(error_message(stream).find(":1: "), std::string::npos) << error_message(stream);
    }
}

TEST(Stream, VerdictNamesRoundTrip) {
    for (Errc code : {Errc::kOk, Errc::kTxSignatureHighS, Errc::kTxNonceTooLow,
                      Errc::kTxInsufficientFunds, Errc::kTxInvalidChainId}) {
        const auto parsed = parse_expected_verdict(expected_verdict_name(code));
        ASSERT_TRUE(parsed) << parsed.error().to_string();
        EXPECT_EQ(*parsed, code);
    }
    EXPECT_EQ(expected_verdict_name(Errc::kTxSignatureHighS), "SIGNATURE_HIGH_S");
    EXPECT_EQ(error_code(parse_expected_verdict("OK")), Errc::kCorruption);
    EXPECT_EQ(error_code(parse_expected_verdict("nonsense")), Errc::kCorruption);
}

}  // namespace
}  // namespace mfd::chain::workload
