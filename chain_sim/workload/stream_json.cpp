#include "chain_sim/workload/stream_json.hpp"

#include <initializer_list>

#include "json/bounded_json.hpp"

namespace mfd::chain::workload::detail {
namespace {

using Json = nlohmann::json;
using OJson = nlohmann::ordered_json;

/// The deepest stream line is a transaction with an access list (object, list, entry, keys).
constexpr std::size_t kMaxLineDepth = 16;

core::Unexpected bad(const std::string& what) {
    return core::fail(core::Errc::kCorruption, what);
}

core::Result<Json> parse_object(std::string_view line, std::string_view what) {
    auto parsed = mfd::json::parse_bounded(line, kMaxLineDepth);
    if (!parsed) return bad(std::string(what) + " is not JSON: " + parsed.error().message);
    Json j = std::move(*parsed);
    if (!j.is_object()) return bad(std::string(what) + " is not a JSON object");
    return j;
}

/// Checks that `obj` is an object with exactly `keys`.
core::Result<void> exact_keys(const Json& obj, std::initializer_list<std::string_view> keys,
                              std::string_view what) {
    if (!obj.is_object()) return bad(std::string(what) + " is not an object");
    for (auto key : keys) {
        if (!obj.contains(key))
            return bad("missing key '" + std::string(key) + "' in " + std::string(what));
    }
    for (const auto& [key, value] : obj.items()) {
        bool known = false;
        for (auto k : keys) known = known || key == k;
        if (!known) return bad("unknown key '" + key + "' in " + std::string(what));
    }
    return {};
}

core::Result<std::uint64_t> get_u64(const Json& obj, const char* key) {
    const Json& v = obj.at(key);
    if (!v.is_number_unsigned())
        return bad("'" + std::string(key) + "' is not an unsigned integer");
    return v.get<std::uint64_t>();
}

core::Result<std::int64_t> get_i64(const Json& obj, const char* key) {
    const Json& v = obj.at(key);
    if (!v.is_number_integer()) return bad("'" + std::string(key) + "' is not an integer");
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX) {
        return bad("'" + std::string(key) + "' exceeds 2^63-1");
    }
    return v.get<std::int64_t>();
}

core::Result<std::string> get_string(const Json& obj, const char* key) {
    const Json& v = obj.at(key);
    if (!v.is_string()) return bad("'" + std::string(key) + "' is not a string");
    return v.get<std::string>();
}

core::Result<core::U256> get_quantity(const Json& obj, const char* key) {
    auto s = get_string(obj, key);
    if (!s) return core::fail(s.error());
    if (s->size() < 3 || (*s)[0] != '0' || (*s)[1] != 'x') {
        return bad("'" + std::string(key) + "' is not a 0x hex quantity");
    }
    auto q = core::U256::from_string(*s);
    if (!q) return bad("'" + std::string(key) + "': " + q.error().message);
    return *q;
}

template <std::size_t N>
core::Result<core::FixedBytes<N>> get_fixed(const Json& obj, const char* key) {
    auto s = get_string(obj, key);
    if (!s) return core::fail(s.error());
    auto b = core::fixed_from_hex<N>(*s);
    if (!b) return bad("'" + std::string(key) + "': " + b.error().message);
    return *b;
}

/// The "after" list of line `index`: strictly ascending record indices below it, at most
/// kMaxAfter of them.
core::Result<std::vector<std::uint64_t>> get_after(const Json& j, std::uint64_t index) {
    constexpr std::size_t kMaxAfter = 4096;
    const Json& a = j.at("after");
    if (!a.is_array()) return bad("'after' is not an array");
    if (a.size() > kMaxAfter) return bad("'after' lists more than 4096 records");
    std::vector<std::uint64_t> out;
    out.reserve(a.size());
    for (const Json& v : a) {
        if (!v.is_number_unsigned()) return bad("'after' holds a non-index");
        const auto d = v.get<std::uint64_t>();
        if (d >= index || (!out.empty() && d <= out.back())) {
            return bad("'after' must list earlier records in ascending order");
        }
        out.push_back(d);
    }
    return out;
}

core::Result<WorkloadParams> params_from_json(const Json& j) {
    if (auto ok = exact_keys(j, {"accounts", "txs", "fraud_rate", "tx_interval_ms"}, "params");
        !ok) {
        return core::fail(ok.error());
    }
    WorkloadParams p;
    auto accounts = get_u64(j, "accounts");
    auto txs = get_u64(j, "txs");
    auto interval = get_u64(j, "tx_interval_ms");
    if (!accounts) return core::fail(accounts.error());
    if (!txs) return core::fail(txs.error());
    if (!interval) return core::fail(interval.error());
    if (!j.at("fraud_rate").is_number()) return bad("'fraud_rate' is not a number");
    p.accounts = *accounts;
    p.txs = *txs;
    p.tx_interval_ms = *interval;
    p.fraud_rate = j.at("fraud_rate").get<double>();
    return p;
}

core::Result<ChainParams> chain_from_json(const Json& j) {
    if (auto ok = exact_keys(j, {"chain_id", "initial_base_fee", "block_gas_limit", "min_fee_cap"},
                             "chain");
        !ok) {
        return core::fail(ok.error());
    }
    ChainParams c;
    auto id = get_u64(j, "chain_id");
    auto base = get_quantity(j, "initial_base_fee");
    auto limit = get_u64(j, "block_gas_limit");
    auto cap = get_quantity(j, "min_fee_cap");
    if (!id) return core::fail(id.error());
    if (!base) return core::fail(base.error());
    if (!limit) return core::fail(limit.error());
    if (!cap) return core::fail(cap.error());
    c.chain_id = *id;
    c.initial_base_fee = *base;
    c.block_gas_limit = *limit;
    c.min_fee_cap = *cap;
    return c;
}

core::Result<std::vector<GenesisAlloc>> genesis_from_json(const Json& j) {
    if (!j.is_array()) return bad("'genesis' is not an array");
    std::vector<GenesisAlloc> out;
    out.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string what = "genesis[" + std::to_string(i) + "]";
        if (auto ok = exact_keys(j[i], {"address", "balance"}, what); !ok) {
            return core::fail(ok.error());
        }
        auto address = get_fixed<20>(j[i], "address");
        auto balance = get_quantity(j[i], "balance");
        if (!address) return bad(what + ": " + address.error().message);
        if (!balance) return bad(what + ": " + balance.error().message);
        out.push_back({*address, *balance});
    }
    return out;
}

}  // namespace

OJson header_to_json(const StreamHeader& h) {
    OJson genesis = OJson::array();
    for (const auto& g : h.genesis) {
        genesis.push_back({{"address", g.address.hex()}, {"balance", g.balance.to_hex()}});
    }
    return OJson{
        {"format", std::string(kStreamFormatName)},
        {"version", h.version},
        {"seed", h.seed},
        {"params",
         {{"accounts", h.params.accounts},
          {"txs", h.params.txs},
          {"fraud_rate", h.params.fraud_rate},
          {"tx_interval_ms", h.params.tx_interval_ms}}},
        {"chain",
         {{"chain_id", h.chain.chain_id},
          {"initial_base_fee", h.chain.initial_base_fee.to_hex()},
          {"block_gas_limit", h.chain.block_gas_limit},
          {"min_fee_cap", h.chain.min_fee_cap.to_hex()}}},
        {"start_time_ms", h.start_time_ms},
        {"genesis", std::move(genesis)},
    };
}

core::Result<StreamHeader> header_from_json(std::string_view line) {
    auto parsed = parse_object(line, "header");
    if (!parsed) return core::fail(parsed.error());
    const Json& j = *parsed;
    if (auto ok = exact_keys(
            j, {"format", "version", "seed", "params", "chain", "start_time_ms", "genesis"},
            "header");
        !ok) {
        return core::fail(ok.error());
    }
    const Json& format = j.at("format");
    if (!format.is_string() || format.get<std::string>() != kStreamFormatName) {
        return bad("header: 'format' is not '" + std::string(kStreamFormatName) + "'");
    }
    const Json& version = j.at("version");
    if (!version.is_number_integer() || version.get<std::int64_t>() != kStreamFormatVersion) {
        return bad("header: unsupported version " + j.at("version").dump() +
                   " (this reader "
                   "reads version " +
                   std::to_string(kStreamFormatVersion) + ")");
    }
    StreamHeader h;
    auto seed = get_u64(j, "seed");
    auto start = get_i64(j, "start_time_ms");
    auto params = params_from_json(j.at("params"));
    auto chain = chain_from_json(j.at("chain"));
    auto genesis = genesis_from_json(j.at("genesis"));
    if (!seed) return core::fail(seed.error());
    if (!start) return core::fail(start.error());
    if (!params) return core::fail(params.error());
    if (!chain) return core::fail(chain.error());
    if (!genesis) return core::fail(genesis.error());
    h.seed = *seed;
    h.start_time_ms = *start;
    h.params = *params;
    h.chain = *chain;
    h.genesis = std::move(*genesis);
    return h;
}

std::string record_to_line(const StreamRecord& r) {
    const core::TxEvent& e = r.event;
    const OJson j{
        {"i", r.index},
        {"time_ms", e.time_ms},
        {"from", e.claimed_sender ? e.claimed_sender->hex() : std::string()},
        {"hash", e.hash.hex()},
        {"raw", core::to_hex(e.raw)},
        {"label", static_cast<int>(e.label)},
        {"typology", e.typology},
        {"sender_role", e.sender_role},
        {"recipient_role", e.recipient_role},
        {"expect", expected_verdict_name(r.expected)},
        {"after", r.after},
    };
    return j.dump();
}

core::Result<RecordFields> record_from_line(std::string_view line) {
    auto parsed = parse_object(line, "transaction line");
    if (!parsed) return core::fail(parsed.error());
    const Json& j = *parsed;
    if (auto ok = exact_keys(j,
                             {"i", "time_ms", "from", "hash", "raw", "label", "typology",
                              "sender_role", "recipient_role", "expect", "after"},
                             "transaction line");
        !ok) {
        return core::fail(ok.error());
    }
    RecordFields f;
    auto index = get_u64(j, "i");
    auto time = get_i64(j, "time_ms");
    auto from = get_fixed<20>(j, "from");
    auto hash = get_fixed<32>(j, "hash");
    auto raw = get_string(j, "raw");
    auto label = get_u64(j, "label");
    auto typology = get_string(j, "typology");
    auto sender_role = get_string(j, "sender_role");
    auto recipient_role = get_string(j, "recipient_role");
    auto expect = get_string(j, "expect");
    for (const core::Error* e :
         {index ? nullptr : &index.error(), time ? nullptr : &time.error(),
          from ? nullptr : &from.error(), hash ? nullptr : &hash.error(),
          raw ? nullptr : &raw.error(), label ? nullptr : &label.error(),
          typology ? nullptr : &typology.error(), sender_role ? nullptr : &sender_role.error(),
          recipient_role ? nullptr : &recipient_role.error(), expect ? nullptr : &expect.error()}) {
        if (e != nullptr) return core::fail(*e);
    }
    auto raw_bytes = core::from_hex(*raw);
    if (!raw_bytes || raw_bytes->empty() || raw->rfind("0x", 0) != 0) {
        return bad("'raw' is not non-empty 0x hex");
    }
    if (*label > 1) return bad("'label' must be 0 or 1, got " + std::to_string(*label));
    auto verdict = parse_expected_verdict(*expect);
    if (!verdict) return core::fail(verdict.error());
    auto after = get_after(j, *index);
    if (!after) return core::fail(after.error());
    f.after = std::move(*after);
    f.index = *index;
    f.time_ms = *time;
    f.from = *from;
    f.hash = *hash;
    f.raw = std::move(*raw_bytes);
    f.label = static_cast<std::int8_t>(*label);
    f.typology = std::move(*typology);
    f.sender_role = std::move(*sender_role);
    f.recipient_role = std::move(*recipient_role);
    f.expected = *verdict;
    return f;
}

}  // namespace mfd::chain::workload::detail
