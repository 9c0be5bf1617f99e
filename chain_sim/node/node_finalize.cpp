// NodeApp::finalize_block: executing and committing a decided block, telling the plugin, and
// pruning the mempool; at restart, re-applying blocks the chain already holds.
#include "chain_sim/node/node_app.hpp"
#include "storage/chain_records.hpp"

namespace mfd::chain::node {
namespace {

std::vector<plugin::CommittedFlag> committed_flags(std::span<const consensus::AggregatedFlag> fs) {
    std::vector<plugin::CommittedFlag> out;
    out.reserve(fs.size());
    for (const auto& f : fs) {
        out.push_back({f.tx, f.flagged_power, f.total_power, f.mean_score, f.excluded});
    }
    return out;
}

}  // namespace

consensus::FinalizeResult NodeApp::finalize_block(const consensus::FinalizedBlock& fb) {
    if (failure_) return {};
    const auto height = static_cast<std::uint64_t>(fb.block->height);
    if (height <= chain_.head().number) {
        replay_block(fb);
    } else {
        auto payload = decode_payload(fb.block->payload);
        commit_block(fb, payload ? *payload : ProposalPayload{});
    }
    auto payload = decode_payload(fb.block->payload);
    remember_pending((*fb.block), payload ? *payload : ProposalPayload{});
    return {};
}

std::vector<core::CheckedTransaction> NodeApp::executed_txs(const consensus::FinalizedBlock& fb) {
    std::vector<core::ByteView> raws;
    raws.reserve(fb.executed.size());
    for (const auto& h : fb.executed) {
        if (auto it = pending_raw_.find(h); it != pending_raw_.end()) raws.push_back(it->second);
    }
    std::vector<core::CheckedTransaction> out;
    out.reserve(raws.size());
    PhaseTimer t(stats_, Phase::kStatelessCheck);
    for (auto& verdict : cache_.check_all(raws)) {
        if (verdict) out.push_back(std::move(*verdict));
    }
    return out;
}

core::Bytes NodeApp::decision_bytes(consensus::Height height) const {
    const consensus::DecisionPtr d = decision_source_ ? decision_source_(height) : nullptr;
    return d ? consensus::encode(consensus::Message(d)) : core::Bytes{};
}

void NodeApp::commit_block(const consensus::FinalizedBlock& fb, const ProposalPayload& payload) {
    const std::vector<core::CheckedTransaction> txs = executed_txs(fb);
    BlockContext context;
    context.timestamp_ms = std::max(payload.timestamp_ms, chain_.head().timestamp_ms);
    context.proposer = fb.block->proposer;
    context.consensus_payload = decision_bytes(fb.block->height);
    core::Result<BuiltBlock> built = [&] {
        PhaseTimer t(stats_, Phase::kExecute);
        return chain_.build_block(txs, context);
    }();
    if (!built) {
        failure_ = built.error();
        return;
    }
    {
        PhaseTimer t(stats_, Phase::kCommit);
        if (auto ok = chain_.commit(built->executed); !ok) {
            failure_ = ok.error();
            return;
        }
    }
    const auto& body = built->executed.block.transactions;
    const std::vector<core::ByteView> executed(body.begin(), body.end());
    notify_plugin(fb, context.timestamp_ms, chain_.head_hash(), executed);
    prune_mempool(fb, *built);
    ++stats_.blocks_committed;
    stats_.txs_executed += body.size();
    stats_.txs_skipped += built->skipped.size();
    report(fb, *built);
}

// A block this chain already committed (restart): it must be the decided one; the plugin
// catches up with it when its own store is behind.
void NodeApp::replay_block(const consensus::FinalizedBlock& fb) {
    const auto height = static_cast<std::uint64_t>(fb.block->height);
    auto stored = storage::get_block(store_, height);
    if (!stored || !*stored) {
        failure_ = stored ? core::Error{core::Errc::kCorruption,
                                        "block " + std::to_string(height) + " is missing"}
                          : stored.error();
        return;
    }
    auto message = consensus::decode((*stored)->consensus_payload);
    const auto* decision = message ? std::get_if<consensus::DecisionPtr>(&*message) : nullptr;
    if (decision == nullptr || (*decision)->block->id() != fb.id) {
        failure_ =
            core::Error{core::Errc::kCorruption, "committed block " + std::to_string(height) +
                                                     " is not the block consensus decided"};
        return;
    }
    const auto& body = (*stored)->transactions;
    const std::vector<core::ByteView> executed(body.begin(), body.end());
    notify_plugin(fb, (*stored)->header.timestamp_ms, core::block_hash((*stored)->header),
                  executed);
    ++stats_.blocks_replayed;
}

void NodeApp::notify_plugin(const consensus::FinalizedBlock& fb, std::uint64_t time_ms,
                            const core::Hash& hash, std::span<const core::ByteView> executed) {
    if (!hooks_) return;
    plugin::BlockInput input;
    input.height = static_cast<std::uint64_t>(fb.block->height);
    input.hash = hash;
    input.time_ms = static_cast<std::int64_t>(time_ms);
    input.executed.assign(executed.begin(), executed.end());
    input.flags = committed_flags(fb.flags);
    PhaseTimer t(stats_, Phase::kPluginFinalize);
    if (auto ok = hooks_->finalize_block(input); !ok) note_plugin_error(ok.error());
}

// Drops what executed, what the flag rule left out, and what was announced too often without
// executing; counts this block's announcements; forgets raw bytes the mempool no longer holds.
void NodeApp::prune_mempool(const consensus::FinalizedBlock& fb, const BuiltBlock& built) {
    PhaseTimer t(stats_, Phase::kMempool);
    ExecutedBlock gone;  // Mempool::on_committed reads only tx_hashes
    gone.tx_hashes = built.executed.tx_hashes;
    const auto drop = [&](const core::Hash& h) {
        if (!mempool_.contains(h)) return;
        gone.tx_hashes.push_back(h);
        ++stats_.txs_dropped;
    };
    for (const auto& f : fb.flags) {
        if (f.excluded) drop(f.tx);
    }
    for (const auto& s : built.skipped) {
        if (announcements_[s.hash] >= config_.max_announcements) drop(s.hash);
    }
    if (auto ok = mempool_.on_committed(gone); !ok) {
        failure_ = ok.error();
        return;
    }
    for (const auto& h : fb.block->candidates) announcements_[h] += 1;
    std::erase_if(pooled_raw_, [&](const auto& e) { return !mempool_.contains(e.first); });
    std::erase_if(announcements_, [&](const auto& e) { return !mempool_.contains(e.first); });
}

void NodeApp::remember_pending(const consensus::Block& block, const ProposalPayload& payload) {
    pending_raw_.clear();
    const std::size_t n = std::min(block.candidates.size(), payload.txs.size());
    for (std::size_t i = 0; i < n; ++i) pending_raw_.emplace(block.candidates[i], payload.txs[i]);
}

void NodeApp::report(const consensus::FinalizedBlock& fb, const BuiltBlock& built) {
    if (!observer_) return;
    BlockOutcome out;
    out.height = built.executed.block.header.number;
    out.timestamp_ms = built.executed.block.header.timestamp_ms;
    out.hash = chain_.head_hash();
    out.proposer = fb.block->proposer;
    out.round = fb.round;
    out.included = built.executed.tx_hashes;
    out.skipped = built.skipped;
    out.announced = fb.block->candidates;
    out.flags.assign(fb.flags.begin(), fb.flags.end());
    out.slashed.assign(fb.slashed.begin(), fb.slashed.end());
    out.jailed.assign(fb.jailed.begin(), fb.jailed.end());
    observer_(out);
}

}  // namespace mfd::chain::node
