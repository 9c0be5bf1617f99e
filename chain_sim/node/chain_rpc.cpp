#include "chain_sim/node/chain_rpc.hpp"

#include <optional>

#include "core/keccak.hpp"
#include "core/receipt.hpp"
#include "plugin/rpc/params.hpp"
#include "storage/chain_records.hpp"

namespace mfd::chain::node {
namespace {

using rpc::ErrorCode;
using rpc::MethodResult;
using rpc::RpcError;
using Json = nlohmann::json;

/// The tip suggested to wallets (eth_maxPriorityFeePerGas), 1 gwei.
const core::U256 kSuggestedTip(1'000'000'000);

core::Result<rpc::Params> bind(const Json& params, std::initializer_list<std::string_view> names,
                               std::size_t required) {
    return rpc::Params::bind(params, names, required);
}

/// The optional "full transactions" flag at `index` of eth_getBlockBy*: false when absent.
core::Result<bool> read_full_flag(const rpc::Params& p, std::size_t index) {
    if (!p.has(index)) return false;
    return rpc::read_bool(p.at(index), p.what(index));
}

core::Bloom block_bloom(const core::KvStore& store, const core::Block& block) {
    core::Bloom bloom;
    for (const auto& raw : block.transactions) {
        auto r = storage::get_receipt(store, core::keccak256(raw));
        if (!r || !*r) continue;
        for (std::size_t i = 0; i < bloom.bytes.size(); ++i) {
            bloom.bytes[i] |= (*r)->logs_bloom.bytes[i];
        }
    }
    return bloom;
}

}  // namespace

ChainRpc::ChainRpc(TaskQueue& queue, const Node& node, Submit submit, PluginQuery plugin)
    : queue_(queue), node_(node), submit_(std::move(submit)), plugin_(std::move(plugin)) {}

template <class F>
MethodResult ChainRpc::on_driver(const rpc::CallContext& ctx, F&& f) {
    std::optional<MethodResult> out;
    const bool ran = queue_.run(
        [&] {
            try {
                out.emplace(f());
            } catch (const RpcError& e) {
                out.emplace(e);
            } catch (const std::exception& e) {
                out.emplace(RpcError(ErrorCode::kInternalError));
            }
        },
        ctx.deadline);
    if (!ran || !out) {
        return RpcError(ErrorCode::kResourceUnavailable,
                        "the node is not running or did not answer before the deadline");
    }
    return std::move(*out);
}

core::Result<std::uint64_t> ChainRpc::resolve(const rpc::BlockTag& tag) const {
    const std::uint64_t head = node_.chain().head().number;
    switch (tag.kind) {
    case rpc::BlockTag::Kind::kEarliest:
        return std::uint64_t{0};
    case rpc::BlockTag::Kind::kNumber:
        if (tag.number > head) {
            return core::fail(core::Errc::kNotFound,
                              "block " + std::to_string(tag.number) + " is not committed yet");
        }
        return tag.number;
    default:
        return head;  // latest, pending, safe and finalized: BFT finality is immediate
    }
}

core::Result<void> ChainRpc::require_latest(const Json& tag, std::string_view what) const {
    if (tag.is_null()) return {};
    auto t = rpc::read_block_tag(tag, what);
    if (!t) return core::fail(t.error());
    if (t->kind == rpc::BlockTag::Kind::kNumber && t->number != node_.chain().head().number) {
        return core::fail(core::Errc::kUnavailable,
                          std::string(what) + ": only the latest state is kept (block " +
                              std::to_string(node_.chain().head().number) + ")");
    }
    if (t->kind == rpc::BlockTag::Kind::kEarliest && node_.chain().head().number != 0) {
        return core::fail(core::Errc::kUnavailable,
                          std::string(what) + ": only the latest state is kept");
    }
    return {};
}

core::Result<CheckedTxView> ChainRpc::checked(core::ByteView raw) const {
    auto c = node_.app().cache().check(raw);
    if (!c) return core::fail(c.error());
    return CheckedTxView{std::move(c->tx), c->sender};
}

core::Result<std::uint64_t> ChainRpc::first_log_index(const core::Block& block,
                                                      std::uint32_t index) const {
    std::uint64_t logs = 0;
    for (std::uint32_t i = 0; i < index && i < block.transactions.size(); ++i) {
        auto r = storage::get_receipt(node_.store(), core::keccak256(block.transactions[i]));
        if (!r) return core::fail(r.error());
        if (*r) logs += (*r)->logs.size();
    }
    return logs;
}

MethodResult ChainRpc::block_object(const core::Block& block, bool full) const {
    const core::Hash hash = core::block_hash(block.header);
    std::vector<core::Hash> hashes;
    Json txs = Json::array();
    for (std::uint32_t i = 0; i < block.transactions.size(); ++i) {
        hashes.push_back(core::keccak256(block.transactions[i]));
        if (!full) continue;
        auto c = checked(block.transactions[i]);
        if (!c) return core::fail(c.error());
        txs.push_back(tx_json(c->tx, hashes.back(), c->from, MinedAt{hash, block.header.number, i},
                              block.header.base_fee));
    }
    const std::size_t size = core::encode_block(block).size();
    return block_json(block, hash, hashes, block_bloom(node_.store(), block), size,
                      full ? std::optional<Json>(std::move(txs)) : std::nullopt);
}

MethodResult ChainRpc::block_by_number(const Json& params, const rpc::CallContext& ctx) {
    auto p = bind(params, {"block", "full"}, 1);
    if (!p) return p.error();
    auto tag = rpc::read_block_tag(p->at(0), p->what(0));
    if (!tag) return tag.error();
    auto full = read_full_flag(*p, 1);
    if (!full) return full.error();
    return on_driver(ctx, [&]() -> MethodResult {
        auto number = resolve(*tag);
        if (!number) return Json(nullptr);
        auto block = storage::get_block(node_.store(), *number);
        if (!block) return block.error();
        return *block ? block_object(**block, *full) : MethodResult(Json(nullptr));
    });
}

MethodResult ChainRpc::block_by_hash(const Json& params, const rpc::CallContext& ctx) {
    auto p = bind(params, {"hash", "full"}, 1);
    if (!p) return p.error();
    auto hash = rpc::read_hash(p->at(0), p->what(0));
    if (!hash) return hash.error();
    auto full = read_full_flag(*p, 1);
    if (!full) return full.error();
    return on_driver(ctx, [&]() -> MethodResult {
        auto block = storage::get_block_by_hash(node_.store(), *hash);
        if (!block) return block.error();
        return *block ? block_object(**block, *full) : MethodResult(Json(nullptr));
    });
}

MethodResult ChainRpc::tx_by_hash(const Json& params, const rpc::CallContext& ctx) {
    auto p = bind(params, {"hash"}, 1);
    if (!p) return p.error();
    auto hash = rpc::read_hash(p->at(0), p->what(0));
    if (!hash) return hash.error();
    return on_driver(ctx, [&]() -> MethodResult {
        auto stored = storage::get_transaction(node_.store(), *hash);
        if (!stored) return stored.error();
        if (!*stored) {
            const core::Bytes* pooled = node_.app().pooled_raw(*hash);
            if (pooled == nullptr) return Json(nullptr);
            auto c = checked(*pooled);
            if (!c) return c.error();
            return tx_json(c->tx, *hash, c->from, std::nullopt, std::nullopt);
        }
        const auto& loc = (*stored)->location;
        auto block = storage::get_block(node_.store(), loc.block_number);
        if (!block || !*block) return core::fail(core::Errc::kCorruption, "block missing");
        auto c = checked((*stored)->raw);
        if (!c) return c.error();
        const MinedAt at{core::block_hash((*block)->header), loc.block_number, loc.index};
        return tx_json(c->tx, *hash, c->from, at, (*block)->header.base_fee);
    });
}

MethodResult ChainRpc::receipt(const Json& params, const rpc::CallContext& ctx) {
    auto p = bind(params, {"hash"}, 1);
    if (!p) return p.error();
    auto hash = rpc::read_hash(p->at(0), p->what(0));
    if (!hash) return hash.error();
    return on_driver(ctx, [&]() -> MethodResult {
        auto stored = storage::get_transaction(node_.store(), *hash);
        if (!stored) return stored.error();
        if (!*stored) return Json(nullptr);
        auto r = storage::get_receipt(node_.store(), *hash);
        if (!r) return r.error();
        const auto& loc = (*stored)->location;
        auto block = storage::get_block(node_.store(), loc.block_number);
        if (!*r || !block || !*block) {
            return core::fail(core::Errc::kCorruption, "receipt or block missing");
        }
        auto c = checked((*stored)->raw);
        if (!c) return c.error();
        auto first = first_log_index(**block, loc.index);
        if (!first) return first.error();
        const MinedAt at{core::block_hash((*block)->header), loc.block_number, loc.index};
        return receipt_json(**r, c->tx, *hash, c->from, at, *first);
    });
}

MethodResult ChainRpc::balance(const Json& params, const rpc::CallContext& ctx) {
    auto p = bind(params, {"address", "block"}, 1);
    if (!p) return p.error();
    auto address = rpc::read_address(p->at(0), p->what(0));
    if (!address) return address.error();
    return on_driver(ctx, [&]() -> MethodResult {
        if (auto ok = require_latest(p->at(1), p->what(1)); !ok) return ok.error();
        auto account = node_.chain().account(*address);
        if (!account) return account.error();
        return rpc::to_quantity(account->balance);
    });
}

MethodResult ChainRpc::tx_count(const Json& params, const rpc::CallContext& ctx) {
    auto p = bind(params, {"address", "block"}, 1);
    if (!p) return p.error();
    auto address = rpc::read_address(p->at(0), p->what(0));
    if (!address) return address.error();
    const bool pending = p->at(1).is_string() && p->at(1).get<std::string>() == "pending";
    return on_driver(ctx, [&]() -> MethodResult {
        if (pending) {
            auto n = node_.app().pending_nonce(*address);
            if (!n) return n.error();
            return rpc::to_quantity(*n);
        }
        if (auto ok = require_latest(p->at(1), p->what(1)); !ok) return ok.error();
        auto account = node_.chain().account(*address);
        if (!account) return account.error();
        return rpc::to_quantity(account->nonce);
    });
}

// Built-in contracts have no EVM bytecode: a contract answers one INVALID opcode (0xfe), so
// that clients that test for "0x" see that code exists.
MethodResult ChainRpc::code(const Json& params, const rpc::CallContext& ctx) {
    auto p = bind(params, {"address", "block"}, 1);
    if (!p) return p.error();
    auto address = rpc::read_address(p->at(0), p->what(0));
    if (!address) return address.error();
    return on_driver(ctx, [&]() -> MethodResult {
        if (auto ok = require_latest(p->at(1), p->what(1)); !ok) return ok.error();
        auto account = node_.chain().account(*address);
        if (!account) return account.error();
        return std::string(account->is_contract ? "0xfe" : "0x");
    });
}

MethodResult ChainRpc::call(const Json& params, const rpc::CallContext& ctx, bool estimate) {
    auto p = bind(params, {"transaction", "block"}, 1);
    if (!p) return p.error();
    const Json& t = p->at(0);
    if (!t.is_object()) return RpcError::invalid_params(p->what(0) + ": expected an object");
    CallRequest req;
    if (t.contains("from") && !t["from"].is_null()) {
        auto a = rpc::read_address(t["from"], "transaction.from");
        if (!a) return a.error();
        req.from = *a;
    }
    if (t.contains("to") && !t["to"].is_null()) {
        auto a = rpc::read_address(t["to"], "transaction.to");
        if (!a) return a.error();
        req.to = *a;
    }
    std::optional<core::Bytes> data;
    for (const char* key : {"data", "input"}) {
        if (!t.contains(key) || t[key].is_null()) continue;
        auto d = rpc::read_data(t[key], std::string("transaction.") + key);
        if (!d) return d.error();
        // As geth: both may be given only when they agree.
        if (data && *data != *d) {
            return RpcError::invalid_params(
                "transaction: both \"data\" and \"input\" are set and not equal; use "
                "\"input\" to pass the call data");
        }
        data = std::move(*d);
    }
    if (data) req.data = std::move(*data);
    if (t.contains("value") && !t["value"].is_null()) {
        auto v = rpc::read_quantity(t["value"], "transaction.value");
        if (!v) return v.error();
        req.value = *v;
    }
    if (t.contains("gas") && !t["gas"].is_null()) {
        auto g = rpc::read_quantity_u64(t["gas"], "transaction.gas");
        if (!g) return g.error();
        req.gas = *g;
    }
    return on_driver(ctx, [&]() -> MethodResult {
        if (auto ok = require_latest(p->at(1), p->what(1)); !ok) return ok.error();
        auto result = node_.chain().call(req);
        if (!result) return result.error();
        if (estimate) return rpc::to_quantity(result->gas_used);
        return rpc::to_data(result->output);
    });
}

MethodResult ChainRpc::send_raw(const Json& params, const rpc::CallContext& ctx) {
    auto p = bind(params, {"data"}, 1);
    if (!p) return p.error();
    auto raw = rpc::read_data(p->at(0), p->what(0));
    if (!raw) return raw.error();
    return on_driver(ctx, [&]() -> MethodResult {
        const Admission a = submit_(*raw);
        if (a.accepted) return a.hash.hex();
        const double score = a.score_bp / 10000.0;
        std::string message = "transaction rejected: " + a.reason;
        if (a.flagged) message += " (fraud score " + std::to_string(score).substr(0, 6) + ")";
        return RpcError(ErrorCode::kTransactionRejected, message,
                        Json{{"reason", std::string(core::reason_name(a.code))},
                             {"detail", a.reason},
                             {"hash", a.hash.hex()},
                             {"score", score},
                             {"flagged", a.flagged}});
    });
}

// pending, executed, excluded, rejected or dropped: from the node (its chain, pool and recent
// refusals) and its plugin (the consensus outcome, the local score and its explanation).
MethodResult ChainRpc::tx_status(const Json& params, const rpc::CallContext& ctx) {
    auto p = bind(params, {"txHash"}, 1);
    if (!p) return p.error();
    auto hash = rpc::read_hash(p->at(0), p->what(0));
    if (!hash) return hash.error();
    const Json params_out = Json::array({hash->hex()});
    const std::optional<Json> score =
        plugin_ ? plugin_("fraud_getScore", params_out) : std::nullopt;
    const Json local = score && score->is_object() ? score->value("local", Json()) : Json();
    const Json consensus = score && score->is_object() ? score->value("consensus", Json()) : Json();
    return on_driver(ctx, [&]() -> MethodResult {
        Json out = {{"txHash", hash->hex()},
                    {"score", nullptr},
                    {"flagged", nullptr},
                    {"explanation", nullptr},
                    {"consensus", consensus}};
        if (local.is_object()) {
            out["score"] = local.value("score", Json());
            out["flagged"] = local.value("flagged", Json());
            out["explanation"] = local.value("explanation", Json());
        }
        auto stored = storage::get_transaction(node_.store(), *hash);
        if (!stored) return stored.error();
        if (*stored) {
            out["status"] = "executed";
            out["blockNumber"] = rpc::to_quantity((*stored)->location.block_number);
            return out;
        }
        if (node_.app().pooled_raw(*hash) != nullptr) {
            out["status"] = "pending";
            return out;
        }
        if (consensus.is_object() && consensus.value("excluded", false)) {
            out["status"] = "excluded";
            out["blockNumber"] = consensus.value("blockNumber", Json());
            return out;
        }
        if (const auto refused = node_.app().refusal(*hash)) {
            out["status"] = "rejected";
            out["reason"] = std::string(core::reason_name(refused->code));
            out["detail"] = refused->reason;
            if (!local.is_object()) {
                out["score"] = refused->score_bp / 10000.0;
                out["flagged"] = refused->flagged;
            }
            return out;
        }
        if (!local.is_object()) return Json(nullptr);
        out["status"] = "dropped";  // it was seen, and left the pool without executing
        return out;
    });
}

MethodResult ChainRpc::validators(const rpc::CallContext& ctx) {
    return on_driver(ctx, [&]() -> MethodResult {
        const auto& state = node_.engine().chain();
        const auto& set = state.validators();
        Json list = Json::array();
        for (const auto& v : set.validators()) {
            list.push_back({{"address", rpc::to_checksum_address(v.address)},
                            {"power", rpc::to_quantity(static_cast<std::uint64_t>(v.power))},
                            {"proposerPriority", v.priority}});
        }
        return Json{{"height", rpc::to_quantity(static_cast<std::uint64_t>(state.height()))},
                    {"totalPower", rpc::to_quantity(static_cast<std::uint64_t>(set.total_power()))},
                    {"validators", list}};
    });
}

core::Result<void> ChainRpc::add_methods(rpc::Dispatcher& d) {
    const std::uint64_t chain_id = node_.chain().config().chain_id;
    using P = const Json&;
    using C = const rpc::CallContext&;
    const std::vector<std::pair<std::string, rpc::Handler>> methods = {
        {"eth_chainId", [chain_id](P, C) -> MethodResult { return rpc::to_quantity(chain_id); }},
        {"net_version", [chain_id](P, C) -> MethodResult { return std::to_string(chain_id); }},
        {"web3_clientVersion", [](P, C) -> MethodResult { return std::string(kClientVersion); }},
        {"eth_syncing", [](P, C) -> MethodResult { return false; }},
        {"eth_accounts", [](P, C) -> MethodResult { return Json::array(); }},
        {"eth_blockNumber",
         [this](P, C c) {
             return on_driver(c, [&]() -> MethodResult {
                 return rpc::to_quantity(node_.chain().head().number);
             });
         }},
        {"eth_gasPrice",
         [this](P, C c) {
             return on_driver(c, [&]() -> MethodResult {
                 return rpc::to_quantity(node_.chain().next_base_fee() + kSuggestedTip);
             });
         }},
        {"eth_maxPriorityFeePerGas",
         [](P, C) -> MethodResult { return rpc::to_quantity(kSuggestedTip); }},
        {"eth_getBlockByNumber", [this](P p, C c) { return block_by_number(p, c); }},
        {"eth_getBlockByHash", [this](P p, C c) { return block_by_hash(p, c); }},
        {"eth_getTransactionByHash", [this](P p, C c) { return tx_by_hash(p, c); }},
        {"eth_getTransactionReceipt", [this](P p, C c) { return receipt(p, c); }},
        {"eth_getBalance", [this](P p, C c) { return balance(p, c); }},
        {"eth_getTransactionCount", [this](P p, C c) { return tx_count(p, c); }},
        {"eth_getCode", [this](P p, C c) { return code(p, c); }},
        {"eth_call", [this](P p, C c) { return call(p, c, false); }},
        {"eth_estimateGas", [this](P p, C c) { return call(p, c, true); }},
        {"eth_sendRawTransaction", [this](P p, C c) { return send_raw(p, c); }},
        {"chain_getValidators", [this](P, C c) { return validators(c); }},
        {"fraud_getTransactionStatus", [this](P p, C c) { return tx_status(p, c); }},
    };
    for (const auto& [name, handler] : methods) {
        if (auto ok = d.add(name, handler); !ok) return ok;
    }
    return {};
}

}  // namespace mfd::chain::node
