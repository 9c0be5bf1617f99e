// NodeApp: mempool admission and the hooks around a proposal (prepare, process, extend and
// verify vote extensions). finalize_block is in node_finalize.cpp.
#include <algorithm>
#include <map>
#include <unordered_set>

#include "chain_sim/node/node_app.hpp"
#include "core/keccak.hpp"

namespace mfd::chain::node {
namespace {

std::vector<core::ByteView> views_of(const std::vector<core::Bytes>& raws) {
    return {raws.begin(), raws.end()};
}

std::vector<consensus::FraudFlag> to_consensus(const std::vector<plugin::Flag>& flags) {
    std::vector<consensus::FraudFlag> out;
    out.reserve(flags.size());
    for (const auto& f : flags) out.push_back({f.tx, f.score});
    return out;
}

/// Flags every candidate that `flagged` does not hold (a Byzantine validator's censorship).
std::vector<consensus::FraudFlag> invert(const std::vector<core::Hash>& candidates,
                                         const std::vector<plugin::Flag>& flagged) {
    std::unordered_set<core::Hash> honest_flags;
    for (const auto& f : flagged) honest_flags.insert(f.tx);
    std::vector<consensus::FraudFlag> out;
    for (const auto& h : candidates) {
        if (!honest_flags.contains(h)) out.push_back({h, 9000});
    }
    return out;
}

}  // namespace

NodeApp::NodeApp(const NodeConfig& config, const core::KvStore& store, Chain& chain,
                 Mempool& mempool, CheckedTxCache& cache, std::shared_ptr<FraudHooks> hooks,
                 NodeStats& stats)
    : config_(config),
      store_(store),
      chain_(chain),
      mempool_(mempool),
      cache_(cache),
      hooks_(std::move(hooks)),
      stats_(stats) {}

void NodeApp::note_plugin_error(const core::Error&) {
    ++stats_.plugin_errors;
}

Admission NodeApp::admit(core::ByteView raw) {
    Admission a;
    const auto reject = [&](const core::Error& e) {
        a.code = e.code;
        a.reason = e.to_string();
        ++stats_.rejected;
        if (a.code != core::Errc::kTxAlreadyKnown) remember_refusal(a);
        return a;
    };
    core::Result<core::CheckedTransaction> checked = [&] {
        PhaseTimer t(stats_, Phase::kStatelessCheck);
        return cache_.check(raw);
    }();
    if (!checked) {
        a.hash = core::keccak256(raw);
        return reject(checked.error());
    }
    a.hash = checked->hash;
    if (mempool_.contains(a.hash)) {
        return reject({core::Errc::kTxAlreadyKnown, "transaction " + a.hash.hex() + " is pooled"});
    }
    {
        PhaseTimer t(stats_, Phase::kStateCheck);
        if (auto ok = chain_.check_admission(*checked); !ok) {
            report_refusal(raw, ok.error().code);
            return reject(ok.error());
        }
        // The mempool's bounds on one sender, checked before the plugin scores a transaction
        // the mempool would refuse anyway.
        if (auto ok = mempool_.check_window(*checked); !ok) return reject(ok.error());
    }
    if (hooks_) {
        PhaseTimer t(stats_, Phase::kPluginCheckTx);
        const plugin::TxState state = state_of(*checked);
        auto verdict = hooks_->check_tx(raw, &state);
        if (!verdict) {
            note_plugin_error(verdict.error());
        } else {
            a.flagged = verdict->score.flagged;
            a.score_bp = verdict->score.score_bp;
            if (verdict->verdict == plugin::Verdict::kReject) {
                return reject({core::Errc::kInvalidArgument, "plugin: " + verdict->reason});
            }
        }
    }
    {
        PhaseTimer t(stats_, Phase::kMempool);
        if (auto added = mempool_.add(*checked); !added) return reject(added.error());
    }
    pooled_raw_.insert_or_assign(a.hash, core::Bytes(raw.begin(), raw.end()));
    a.accepted = true;
    ++stats_.admitted;
    refusals_.erase(a.hash);
    return a;
}

void NodeApp::report_refusal(core::ByteView raw, core::Errc code) {
    if (!hooks_) return;
    const plugin::Refusal why = code == core::Errc::kTxNonceTooLow ? plugin::Refusal::kNonceTooLow
                                : code == core::Errc::kTxInsufficientFunds
                                    ? plugin::Refusal::kInsufficientFunds
                                    : plugin::Refusal::kOther;
    PhaseTimer t(stats_, Phase::kPluginCheckTx);
    if (auto r = hooks_->report_refusal(raw, why); !r) note_plugin_error(r.error());
}

void NodeApp::remember_refusal(const Admission& a) {
    if (refusals_.insert_or_assign(a.hash, Refusal{a.code, a.reason, a.flagged, a.score_bp})
            .second) {
        refusal_order_.push_back(a.hash);
    }
    while (refusal_order_.size() > kMaxRefusals) {
        refusals_.erase(refusal_order_.front());
        refusal_order_.pop_front();
    }
}

plugin::TxState NodeApp::state_of(const core::CheckedTransaction& tx) const {
    plugin::TxState state;
    if (auto a = chain_.account(tx.sender))
        state.sender = plugin::AccountState{a->balance, a->nonce};
    if (tx.tx.to) {
        if (auto a = chain_.account(*tx.tx.to)) {
            state.recipient = plugin::AccountState{a->balance, a->nonce};
        }
    }
    return state;
}

std::vector<plugin::TxState> NodeApp::states_of(std::span<const core::ByteView> raws) {
    std::vector<plugin::TxState> out;
    out.reserve(raws.size());
    for (auto& checked : cache_.check_all(raws)) {
        out.push_back(checked ? state_of(*checked) : plugin::TxState{});
    }
    return out;
}

consensus::Verdict NodeApp::check_tx(core::ByteView tx) {
    return admit(tx).accepted ? consensus::Verdict::kAccept : consensus::Verdict::kReject;
}

core::Result<std::uint64_t> NodeApp::pending_nonce(const core::Address& sender) const {
    return mempool_.pending_nonce(sender);
}

// The mempool's candidates, minus what the block executes (their successors stay eligible)
// and what the flag rule left out (their sender's later nonces cannot execute after them),
// within the candidate count, half the block gas limit (the EIP-1559 target: the base fee
// stays put) and the payload size.
NodeApp::Selection NodeApp::select_candidates(const consensus::ProposalContext& ctx) {
    PhaseTimer t(stats_, Phase::kMempool);
    Selection out;
    const std::unordered_set<core::Hash> executing(ctx.executing.begin(), ctx.executing.end());
    std::unordered_set<core::Hash> left_out;
    for (const auto& f : ctx.flags) {
        if (f.excluded) left_out.insert(f.tx);
    }
    auto pool = mempool_.candidates(ctx.max_candidates + executing.size() + left_out.size());
    if (!pool) return out;
    std::unordered_set<core::Address> blocked;
    const std::uint64_t gas_budget = config_.chain.block_gas_limit / 2;
    const std::size_t byte_budget = ctx.max_payload_bytes > 64 ? ctx.max_payload_bytes - 64 : 0;
    std::uint64_t gas = 0;
    std::size_t bytes = 0;
    for (auto& c : *pool) {
        if (out.txs.size() >= ctx.max_candidates) break;
        if (blocked.contains(c.sender) || executing.contains(c.hash)) continue;
        const auto raw = pooled_raw_.find(c.hash);
        if (left_out.contains(c.hash) || raw == pooled_raw_.end() ||
            gas + c.tx.gas_limit > gas_budget || bytes + raw->second.size() + 8 > byte_budget) {
            blocked.insert(c.sender);
            continue;
        }
        gas += c.tx.gas_limit;
        bytes += raw->second.size() + 8;
        out.raws.push_back(raw->second);
        out.txs.push_back(std::move(c));
    }
    return out;
}

// The plugin's ranking (least suspicious first) and its drops, with each sender's
// transactions kept in nonce order in the slots the ranking gives that sender.
void NodeApp::order_by_plugin(std::uint64_t height, Selection& sel) {
    if (!hooks_ || sel.txs.empty()) return;
    const auto views = views_of(sel.raws);
    auto ranked = [&] {
        PhaseTimer t(stats_, Phase::kPrepare);
        return hooks_->prepare_proposal(height, views, states_of(views));
    }();
    if (!ranked || ranked->order.size() != sel.txs.size() ||
        ranked->keep.size() != sel.txs.size()) {
        if (!ranked) note_plugin_error(ranked.error());
        return;
    }
    std::vector<bool> dropped(sel.txs.size(), false);
    std::unordered_set<core::Address> blocked;
    for (std::size_t i = 0; i < sel.txs.size(); ++i) {
        if (blocked.contains(sel.txs[i].sender) || ranked->keep[i] == 0) {
            dropped[i] = true;
            blocked.insert(sel.txs[i].sender);
        }
    }
    std::map<core::Address, std::vector<std::size_t>> slots;  // sender -> positions in out
    std::map<core::Address, std::vector<std::size_t>> items;  // sender -> indices, nonce order
    std::vector<std::size_t> order;
    for (const std::uint32_t i : ranked->order) {
        if (i >= sel.txs.size() || dropped[i]) continue;
        slots[sel.txs[i].sender].push_back(order.size());
        order.push_back(i);
    }
    for (std::size_t i = 0; i < sel.txs.size(); ++i) {
        if (!dropped[i]) items[sel.txs[i].sender].push_back(i);
    }
    for (auto& [sender, positions] : slots) {
        const auto& mine = items[sender];
        for (std::size_t k = 0; k < positions.size() && k < mine.size(); ++k) {
            order[positions[k]] = mine[k];
        }
    }
    Selection out;
    for (const std::size_t i : order) {
        out.txs.push_back(std::move(sel.txs[i]));
        out.raws.push_back(std::move(sel.raws[i]));
    }
    sel = std::move(out);
}

consensus::ProposalContent NodeApp::prepare_proposal(const consensus::ProposalContext& ctx) {
    Selection sel = select_candidates(ctx);
    order_by_plugin(static_cast<std::uint64_t>(ctx.height), sel);
    consensus::ProposalContent out;
    out.candidates.reserve(sel.txs.size());
    for (const auto& tx : sel.txs) out.candidates.push_back(tx.hash);
    ProposalPayload payload;
    payload.timestamp_ms = std::max(now_ms_, chain_.head().timestamp_ms);
    payload.txs = std::move(sel.raws);
    out.payload = encode_payload(payload);
    return out;
}

consensus::Verdict NodeApp::process_proposal(const consensus::Block& block) {
    PhaseTimer t(stats_, Phase::kProcess);
    // A block at or below the head is one this chain committed (replayed at restart): its
    // timestamp and the plugin's verdict were checked then.
    const bool committed = static_cast<std::uint64_t>(block.height) <= chain_.head().number;
    auto payload = decode_payload(block.payload);
    if (!payload || payload->txs.size() != block.candidates.size() ||
        (!committed && payload->timestamp_ms < chain_.head().timestamp_ms)) {
        return consensus::Verdict::kReject;
    }
    for (std::size_t i = 0; i < payload->txs.size(); ++i) {
        if (core::keccak256(payload->txs[i]) != block.candidates[i]) {
            return consensus::Verdict::kReject;
        }
    }
    const auto views = views_of(payload->txs);
    for (const auto& verdict : cache_.check_all(views)) {
        if (!verdict) return consensus::Verdict::kReject;
    }
    if (!hooks_ || views.empty() || committed) return consensus::Verdict::kAccept;
    auto verdict = hooks_->process_proposal(static_cast<std::uint64_t>(block.height), views);
    if (!verdict) {
        note_plugin_error(verdict.error());
        return consensus::Verdict::kAccept;
    }
    return *verdict == plugin::Verdict::kAccept ? consensus::Verdict::kAccept
                                                : consensus::Verdict::kReject;
}

std::vector<consensus::FraudFlag> NodeApp::extend_vote(const consensus::Block& block) {
    if (config_.flag_behaviour == FlagBehaviour::kWithhold || !hooks_) return {};
    PhaseTimer t(stats_, Phase::kExtendVote);
    auto payload = decode_payload(block.payload);
    if (!payload || payload->txs.empty()) return {};
    const auto views = views_of(payload->txs);
    auto flags = hooks_->extend_vote(static_cast<std::uint64_t>(block.height), views,
                                     config_.consensus.max_extension_flags, states_of(views));
    if (!flags) {
        note_plugin_error(flags.error());
        return {};
    }
    if (config_.flag_behaviour == FlagBehaviour::kInvert) {
        return consensus::normalise_flags(invert(block.candidates, *flags),
                                          config_.consensus.max_extension_flags);
    }
    return to_consensus(*flags);
}

consensus::Verdict NodeApp::verify_vote_extension(const core::Address& validator,
                                                  consensus::Height height,
                                                  std::span<const consensus::FraudFlag> flags) {
    if (!hooks_) return consensus::Verdict::kAccept;
    PhaseTimer t(stats_, Phase::kVerifyExtension);
    std::vector<plugin::Flag> converted;
    converted.reserve(flags.size());
    for (const auto& f : flags) converted.push_back({f.tx, f.score});
    auto verdict =
        hooks_->verify_vote_extension(validator, static_cast<std::uint64_t>(height), converted);
    if (!verdict) {
        note_plugin_error(verdict.error());
        return consensus::Verdict::kAccept;
    }
    return *verdict == plugin::Verdict::kAccept ? consensus::Verdict::kAccept
                                                : consensus::Verdict::kReject;
}

}  // namespace mfd::chain::node
