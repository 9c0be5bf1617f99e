#include "chain_sim/workload/etherscan_row.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>

namespace mfd::chain::workload::detail {
namespace {

core::Unexpected bad(std::string_view column, const std::string& what) {
    return core::fail(core::Errc::kCorruption, std::string(column) + ": " + what);
}

core::Result<std::uint64_t> parse_u64(const std::string& s, std::string_view column) {
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
        return bad(column, "not a 64-bit unsigned integer ('" + s.substr(0, 40) + "')");
    }
    return v;
}

core::Result<core::U256> parse_u256(const std::string& s, std::string_view column) {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) {
        return bad(column, "not a decimal number ('" + s.substr(0, 40) + "')");
    }
    auto v = core::U256::from_string(s);
    if (!v) return bad(column, v.error().message);
    return *v;
}

core::Result<core::Address> parse_address(const std::string& s, std::string_view column) {
    auto a = core::fixed_from_hex<20>(s);
    if (!a) return bad(column, "not an address ('" + s.substr(0, 50) + "')");
    return *a;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

/// Fills the fields of the transaction itself: nonce, fees, gas, to, value, data.
core::Result<void> parse_transaction(const std::vector<std::string>& f, const EtherscanColumns& c,
                                     core::Transaction& tx) {
    auto nonce = parse_u64(f[c.nonce], "nonce");
    auto gas = parse_u64(f[c.gas], "gas");
    auto price = parse_u256(f[c.gas_price], "gasPrice");
    auto value = parse_u256(f[c.value], "value");
    if (!nonce) return core::fail(nonce.error());
    if (!gas) return core::fail(gas.error());
    if (!price) return core::fail(price.error());
    if (!value) return core::fail(value.error());
    tx.type = core::TxType::kLegacy;
    tx.nonce = *nonce;
    tx.gas_limit = *gas;
    tx.gas_price = *price;
    tx.value = *value;
    if (!f[c.to].empty()) {
        auto to = parse_address(f[c.to], "to");
        if (!to) return core::fail(to.error());
        tx.to = *to;
    }
    if (c.input && !f[*c.input].empty() && f[*c.input] != "0x") {
        auto data = core::from_hex(f[*c.input]);
        if (!data) return bad("input", data.error().message);
        tx.data = std::move(*data);
    }
    return {};
}

/// Fills the outcome columns: isError, gasUsed, contractAddress.
core::Result<void> parse_outcome(const std::vector<std::string>& f, const EtherscanColumns& c,
                                 ParsedRow& row) {
    if (c.is_error && !f[*c.is_error].empty()) {
        const std::string& e = f[*c.is_error];
        if (e != "0" && e != "1") return bad("isError", "not 0 or 1 ('" + e + "')");
        row.event.failed = e == "1";
    }
    if (c.gas_used && !f[*c.gas_used].empty()) {
        auto used = parse_u64(f[*c.gas_used], "gasUsed");
        if (!used) return core::fail(used.error());
        row.event.gas_used = *used;
    }
    if (c.contract_address && !f[*c.contract_address].empty()) {
        auto created = parse_address(f[*c.contract_address], "contractAddress");
        if (!created) return core::fail(created.error());
        row.info.contract_address = *created;
    }
    return {};
}

std::string role_of(const std::optional<core::Address>& a, const std::string& account) {
    return a && a->hex() == account ? "account" : "counterparty";
}

/// "account" when the recipient (or the contract a creation made) is the row's account, else
/// "counterparty" for a call or transfer and "contract" for a creation.
std::string recipient_role(const ParsedRow& row) {
    const std::string& account = row.event.account;
    if (row.event.tx.to) return role_of(row.event.tx.to, account);
    const bool own = role_of(row.info.contract_address, account) == "account";
    return own ? "account" : "contract";
}

}  // namespace

core::Result<EtherscanColumns> etherscan_columns(const CsvRecord& header) {
    auto cols = CsvColumns::from_header(header, {"blockNumber", "timeStamp", "hash", "nonce",
                                                 "from", "to", "value", "gas", "gasPrice"});
    if (!cols) return core::fail(cols.error());
    return EtherscanColumns{
        cols->index("blockNumber"),    cols->index("timeStamp"), cols->index("hash"),
        cols->index("nonce"),          cols->index("from"),      cols->index("to"),
        cols->index("value"),          cols->index("gas"),       cols->index("gasPrice"),
        cols->find("input"),           cols->find("isError"),    cols->find("gasUsed"),
        cols->find("contractAddress"), cols->find("account")};
}

core::Result<ParsedRow> parse_etherscan_row(const std::vector<std::string>& f,
                                            const EtherscanColumns& c,
                                            const std::string& default_account) {
    const std::size_t needed = 1 + std::max({c.block_number, c.time_stamp, c.hash, c.nonce, c.from,
                                             c.to, c.value, c.gas, c.gas_price,
                                             c.input.value_or(0), c.is_error.value_or(0),
                                             c.gas_used.value_or(0), c.contract_address.value_or(0),
                                             c.account.value_or(0)});
    if (f.size() < needed) {
        return bad("row", std::to_string(f.size()) + " fields, the header needs " +
                              std::to_string(needed));
    }
    ParsedRow row;
    auto block = parse_u64(f[c.block_number], "blockNumber");
    auto time = parse_u64(f[c.time_stamp], "timeStamp");
    auto hash = core::fixed_from_hex<32>(f[c.hash]);
    auto from = parse_address(f[c.from], "from");
    if (!block) return core::fail(block.error());
    if (!time) return core::fail(time.error());
    if (*time > static_cast<std::uint64_t>(INT64_MAX / 1000)) return bad("timeStamp", "too large");
    if (!hash) return bad("hash", "not 32 bytes of hex ('" + f[c.hash].substr(0, 80) + "')");
    if (!from) return core::fail(from.error());
    if (auto ok = parse_transaction(f, c, row.event.tx); !ok) return core::fail(ok.error());
    if (auto ok = parse_outcome(f, c, row); !ok) return core::fail(ok.error());
    std::string account = default_account;
    if (c.account) {
        auto a = parse_address(f[*c.account], "account");
        if (!a) return core::fail(a.error());
        account = a->hex();
    }
    row.event.account = lower(std::move(account));
    row.event.hash = *hash;
    row.event.claimed_sender = *from;
    row.event.signature = core::SignatureStatus::kUnavailable;
    row.event.time_ms = static_cast<std::int64_t>(*time) * 1000;
    row.event.sender_role = role_of(*from, row.event.account);
    row.event.recipient_role = recipient_role(row);
    row.info.block_number = *block;
    return row;
}

}  // namespace mfd::chain::workload::detail
