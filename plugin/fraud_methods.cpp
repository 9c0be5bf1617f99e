#include "plugin/fraud_methods.hpp"

#include "plugin/result_json.hpp"
#include "plugin/rpc/eth_params.hpp"
#include "plugin/rpc/params.hpp"

namespace mfd::plugin {
namespace {

using json = nlohmann::json;
using rpc::CallContext;
using rpc::MethodResult;
using rpc::Params;

/// The largest raw transaction fraud_scoreRawTransaction reads (the check_tx cap applies too).
constexpr std::size_t kMaxRawBytes = 128 * 1024;

MethodResult score_raw_transaction(FraudService& s, const json& params) {
    auto p = Params::bind(params, {"rawTx"}, 1);
    if (!p) return p.error();
    auto raw =
        rpc::read_data(p->at(0), p->what(0), std::min(kMaxRawBytes, s.config().max_tx_bytes));
    if (!raw) return raw.error();
    auto scored = s.score_raw(*raw);
    if (!scored) return scored.error();
    return score_json(*scored, s.model()->detector->threshold());
}

MethodResult get_score(FraudService& s, const json& params) {
    auto p = Params::bind(params, {"txHash"}, 1);
    if (!p) return p.error();
    auto hash = rpc::read_hash(p->at(0), p->what(0));
    if (!hash) return hash.error();
    auto outcome = s.outcome(*hash);
    if (!outcome) return outcome.error();
    const auto local = s.local_score(*hash);
    if (!local && !*outcome) return json(nullptr);
    const float threshold = s.model()->detector->threshold();
    return json{{"txHash", hash->hex()},
                {"local", local ? score_json(*local, threshold) : json(nullptr)},
                {"consensus", *outcome ? outcome_json(**outcome) : json(nullptr)}};
}

MethodResult get_account_risk(FraudService& s, const json& params) {
    auto p = Params::bind(params, {"address"}, 1);
    if (!p) return p.error();
    auto address = rpc::read_address(p->at(0), p->what(0));
    if (!address) return address.error();
    auto report = s.account(*address);
    if (!report) return report.error();
    return account_json(*address, *report, s.model()->detector->threshold());
}

/// A block of the filter: a number, or a tag (earliest is 0, every other tag the last block
/// this instance finalised); `fallback` when absent.
core::Result<std::uint64_t> filter_block(const json& filter, const char* key,
                                         std::uint64_t latest) {
    if (!filter.contains(key) || filter[key].is_null()) return latest;
    auto tag = rpc::read_block_tag(filter[key], std::string("param 0 (filter).") + key);
    if (!tag) return core::fail(tag.error());
    if (tag->kind == rpc::BlockTag::Kind::kNumber) return tag->number;
    return tag->kind == rpc::BlockTag::Kind::kEarliest ? 0 : latest;
}

MethodResult get_flags(FraudService& s, const json& params) {
    auto p = Params::bind(params, {"filter"}, 0);
    if (!p) return p.error();
    const json& filter = p->at(0);
    if (!filter.is_null() && !filter.is_object()) {
        return rpc::RpcError::invalid_params(p->what(0) + ": expected an object");
    }
    const json empty = json::object();
    const json& f = filter.is_null() ? empty : filter;
    for (const auto& [key, value] : f.items()) {
        if (key != "fromBlock" && key != "toBlock") {
            return rpc::RpcError::invalid_params(p->what(0) + ": unknown member \"" + key + "\"");
        }
    }
    const std::uint64_t latest = s.head().height;
    auto from = filter_block(f, "fromBlock", latest);
    if (!from) return from.error();
    auto to = filter_block(f, "toBlock", latest);
    if (!to) return to.error();
    auto findings = s.findings(*from, *to);
    if (!findings) return findings.error();
    json out = json::array();
    for (const auto& finding : *findings) out.push_back(finding_json(finding));
    return out;
}

/// The transactions consensus kept out in the last `blocks` blocks (default 100, at most
/// FraudService::kMaxFlagRange), newest first, at most `limit` (default 100, at most 1000), with
/// what this instance knows of each (its score and explanation).
MethodResult get_exclusions(FraudService& s, const json& params) {
    auto p = Params::bind(params, {"blocks", "limit"}, 0);
    if (!p) return p.error();
    std::uint64_t blocks = 100;
    std::uint64_t limit = 100;
    if (p->has(0)) {
        auto b = rpc::read_quantity_u64(p->at(0), p->what(0));
        if (!b) return b.error();
        blocks = *b;
    }
    if (p->has(1)) {
        auto l = rpc::read_quantity_u64(p->at(1), p->what(1));
        if (!l) return l.error();
        limit = *l;
    }
    if (blocks == 0 || blocks > FraudService::kMaxFlagRange || limit == 0 || limit > 1000) {
        return rpc::RpcError::invalid_params("blocks must be 0x1.." +
                                             rpc::to_quantity(FraudService::kMaxFlagRange) +
                                             " and limit 0x1..0x3e8");
    }
    const std::uint64_t head = s.head().height;
    const std::uint64_t from = head >= blocks ? head - blocks + 1 : 0;
    auto findings = s.findings(from, head);
    if (!findings) return findings.error();
    json out = json::array();
    const float threshold = s.model()->detector->threshold();
    for (auto it = findings->rbegin(); it != findings->rend() && out.size() < limit; ++it) {
        if (!it->excluded) continue;
        const auto local = s.local_score(it->tx);
        out.push_back({{"txHash", it->tx.hex()},
                       {"finding", finding_json(*it)},
                       {"local", local ? score_json(*local, threshold) : json(nullptr)}});
    }
    return out;
}

MethodResult get_model_info(FraudService& s, const json& params) {
    if (auto p = Params::bind(params, {}, 0); !p) return p.error();
    return model_info_json(*s.model(), s.config(), s.reloads());
}

MethodResult get_expert_stats(FraudService& s, const json& params) {
    if (auto p = Params::bind(params, {}, 0); !p) return p.error();
    s.refresh_utilisation();
    return expert_stats_json(*s.model());
}

// The last block the plugin finalised: what a host compares with its own chain at start (as
// an ABCI application's Info answers CometBFT's handshake).
MethodResult get_head(FraudService& s, const json& params) {
    if (auto p = Params::bind(params, {}, 0); !p) return p.error();
    const Head head = s.head();
    return json{{"blockNumber", rpc::to_quantity(head.height)},
                {"blockHash", head.height == 0 ? json(nullptr) : json(head.block_hash.hex())},
                {"timestamp", rpc::to_quantity(static_cast<std::uint64_t>(head.time_ms / 1000))}};
}

}  // namespace

core::Result<void> add_fraud_methods(rpc::Dispatcher& dispatcher, FraudService& service) {
    using Method = MethodResult (*)(FraudService&, const json&);
    const std::array<Method, kFraudMethods.size()> methods = {
        score_raw_transaction, get_score,        get_account_risk, get_flags,
        get_model_info,        get_expert_stats, get_exclusions,   get_head};
    for (std::size_t i = 0; i < methods.size(); ++i) {
        const Method m = methods[i];
        auto added = dispatcher.add(
            std::string(kFraudMethods[i]),
            [m, &service](const json& params, const CallContext&) { return m(service, params); });
        if (!added) return added;
    }
    return {};
}

}  // namespace mfd::plugin
