#include "tools/fraudctl/labelled_data.hpp"

#include <charconv>
#include <unordered_set>

#include "chain_sim/workload/etherscan_import.hpp"
#include "chain_sim/workload/generator.hpp"
#include "chain_sim/workload/stream_reader.hpp"

namespace mfd::tools {
namespace {

namespace wl = chain::workload;

/// Accounts as the generator's view keeps them: genesis, minus value and the upfront gas cost
/// of each included transaction, plus the value received; nonces counted.
class Ledger {
public:
    explicit Ledger(const wl::StreamHeader& header) {
        for (const auto& g : header.genesis) accounts_[g.address].balance = g.balance;
    }
    [[nodiscard]] fraud::AccountState state(const core::Address& a) const {
        auto it = accounts_.find(a);
        return it == accounts_.end() ? fraud::AccountState{} : it->second;
    }
    void apply(const core::TxEvent& e) {
        const auto sender = e.sender();
        if (!sender) return;
        const core::U256 cost = e.tx.value + core::U256(e.tx.gas_limit) * e.tx.fee_cap();
        fraud::AccountState& from = accounts_[*sender];
        from.balance = from.balance > cost ? from.balance - cost : core::U256{};
        from.nonce = e.tx.nonce + 1;
        if (e.tx.to) accounts_[*e.tx.to].balance += e.tx.value;
    }

private:
    std::unordered_map<core::Address, fraud::AccountState> accounts_;
};

LabelledEvents from_stream(wl::Stream&& stream) {
    LabelledEvents out;
    Ledger ledger(stream.header);
    for (auto& record : stream.records) {
        auto& e = record.event;
        const bool included = record.expected == core::Errc::kOk;
        fraud::TxContext ctx;
        if (const auto s = e.sender()) ctx.sender = ledger.state(*s);
        if (e.tx.to) ctx.recipient = ledger.state(*e.tx.to);
        if (included) ledger.apply(e);
        out.contexts.push_back(ctx);
        // What the chain does with it: executes it, refuses it for a spent nonce (the plugin
        // hears of that through report_refusal), or refuses it otherwise.
        out.observe.push_back(included                                        ? fraud::kObserve
                              : record.expected == core::Errc::kTxNonceTooLow ? fraud::kRefusedStale
                                                                              : fraud::kSkip);
        out.labels.push_back(e.label == 1 ? 1.0F : 0.0F);
        out.typologies.push_back(e.typology);
        out.events.push_back(std::move(e));
    }
    return out;
}

core::Result<double> number(std::string_view text, std::string_view what) {
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return core::fail(
            core::Errc::kInvalidArgument,
            "sim spec: " + std::string(what) + " is not a number: '" + std::string(text) + "'");
    }
    return v;
}

core::Result<wl::GeneratorConfig> parse_spec(std::string_view spec) {
    std::vector<std::string_view> parts;
    for (std::size_t start = 4; start <= spec.size();) {
        const std::size_t colon = std::min(spec.find(':', start), spec.size());
        parts.push_back(spec.substr(start, colon - start));
        start = colon + 1;
    }
    if (parts.size() != 4) {
        return core::fail(
            core::Errc::kInvalidArgument,
            "sim spec must be sim:SEED:ACCOUNTS:TXS:FRAUD_RATE, got '" + std::string(spec) + "'");
    }
    const char* names[] = {"SEED", "ACCOUNTS", "TXS", "FRAUD_RATE"};
    double v[4];
    for (int i = 0; i < 4; ++i) {
        auto n = number(parts[static_cast<std::size_t>(i)], names[i]);
        if (!n) return core::fail(n.error());
        v[i] = *n;
    }
    wl::GeneratorConfig c;
    c.seed = static_cast<std::uint64_t>(v[0]);
    c.params.accounts = static_cast<std::uint64_t>(v[1]);
    c.params.txs = static_cast<std::uint64_t>(v[2]);
    c.params.fraud_rate = v[3];
    return c;
}

}  // namespace

core::Result<LabelledEvents> load_simulated(std::string_view source) {
    if (source.starts_with("sim:")) {
        auto config = parse_spec(source);
        if (!config) return core::fail(config.error());
        auto stream = wl::generate_stream(*config);
        if (!stream) return core::fail(stream.error());
        return from_stream(std::move(*stream));
    }
    auto stream = wl::read_stream(std::filesystem::path(source));
    if (!stream) return core::fail(stream.error());
    return from_stream(std::move(*stream));
}

core::Result<LabelledEvents> load_etherscan(const std::filesystem::path& txs,
                                            const std::filesystem::path& labels) {
    wl::EtherscanOptions options;
    options.txs = txs;
    options.labels = labels;
    options.order = wl::EtherscanOrder::kByTime;
    auto imported = wl::import_etherscan(options);
    if (!imported) return core::fail(imported.error());
    LabelledEvents out;
    std::unordered_set<core::Hash> seen;
    for (auto& e : imported->events) {
        if (e.label < 0) continue;
        auto account = core::fixed_from_hex<20>(e.account);
        if (!account) continue;
        out.observe.push_back(seen.insert(e.hash).second ? 1 : 0);
        out.labels.push_back(e.label == 1 ? 1.0F : 0.0F);
        out.typologies.push_back(e.label == 1 ? "etherscan:phish-hack" : "etherscan:normal");
        out.accounts.push_back(*account);
        out.events.push_back(std::move(e));
    }
    return out;
}

void append(LabelledEvents& a, LabelledEvents&& b) {
    const bool contexts = !a.contexts.empty() || !b.contexts.empty();
    if (contexts) {
        a.contexts.resize(a.events.size());
        b.contexts.resize(b.events.size());
    }
    auto move_all = [](auto& to, auto& from) {
        to.insert(to.end(), std::make_move_iterator(from.begin()),
                  std::make_move_iterator(from.end()));
    };
    move_all(a.events, b.events);
    move_all(a.observe, b.observe);
    move_all(a.contexts, b.contexts);
    move_all(a.labels, b.labels);
    move_all(a.typologies, b.typologies);
    move_all(a.accounts, b.accounts);
}

}  // namespace mfd::tools
