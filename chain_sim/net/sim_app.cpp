#include "chain_sim/net/sim_app.hpp"

#include "consensus/wire.hpp"

namespace mfd::chain::net {

using consensus::Verdict;

core::Bytes TxListApp::encode_payload(const std::vector<core::Bytes>& txs) {
    core::Bytes out;
    consensus::WireWriter w(out);
    for (const core::Bytes& tx : txs) {
        w.u32(static_cast<std::uint32_t>(tx.size()));
        w.bytes(tx);
    }
    return out;
}

core::Result<std::vector<core::Bytes>> TxListApp::decode_payload(core::ByteView p) {
    consensus::WireReader r(p);
    std::vector<core::Bytes> txs;
    while (r.ok() && r.remaining() > 0) {
        const std::uint32_t n = r.u32();
        txs.push_back(r.bytes(n, "payload tx"));
    }
    if (!r.ok()) return core::fail(core::Errc::kInvalidArgument, "payload: " + r.error());
    return txs;
}

bool TxListApp::blocked(const core::Hash& h) const {
    return executed_set_.count(h) != 0 || pending_.count(h) != 0 || excluded_.count(h) != 0;
}

Verdict TxListApp::check_tx(core::ByteView tx) {
    if (!decode_tx(tx)) return Verdict::kReject;
    const core::Hash h = tx_hash(tx);
    if (blocked(h) || mempool_.count(h) != 0) return Verdict::kReject;
    mempool_.emplace(h, core::Bytes(tx.begin(), tx.end()));
    mempool_order_.push_back(h);
    return Verdict::kAccept;
}

consensus::ProposalContent TxListApp::prepare_proposal(const consensus::ProposalContext& ctx) {
    consensus::ProposalContent content;
    std::vector<core::Bytes> bodies;
    std::size_t bytes = 0;
    for (const core::Hash& h : mempool_order_) {
        if (content.candidates.size() >= ctx.max_candidates) break;
        const auto it = mempool_.find(h);
        if (it == mempool_.end() || blocked(h)) continue;
        if (bytes + it->second.size() + 4 > ctx.max_payload_bytes) break;
        bytes += it->second.size() + 4;
        content.candidates.push_back(h);
        bodies.push_back(it->second);
    }
    content.payload = encode_payload(bodies);
    return content;
}

Verdict TxListApp::process_proposal(const consensus::Block& block) {
    auto txs = decode_payload(block.payload);
    if (!txs || txs->size() != block.candidates.size()) return Verdict::kReject;
    for (std::size_t i = 0; i < txs->size(); ++i) {
        const core::Hash h = tx_hash((*txs)[i]);
        if (h != block.candidates[i] || !decode_tx((*txs)[i])) return Verdict::kReject;
        if (executed_set_.count(h) != 0 || pending_.count(h) != 0) return Verdict::kReject;
    }
    return Verdict::kAccept;
}

std::vector<consensus::FraudFlag> TxListApp::extend_vote(const consensus::Block& block) {
    std::vector<consensus::FraudFlag> flags;
    auto txs = decode_payload(block.payload);
    if (!txs || (behaviours_ & kAppWithholdFlags) != 0) return flags;
    for (const core::Bytes& bytes : *txs) {
        const auto tx = decode_tx(bytes);
        if (!tx) continue;
        if (tx->kind == TxKind::kFraud) {
            flags.push_back(
                {tx_hash(bytes), static_cast<std::uint16_t>(kFraudScore + tx->id % 1000)});
        } else if ((behaviours_ & kAppFlagHonest) != 0) {
            flags.push_back({tx_hash(bytes), consensus::kMaxScore});
        }
    }
    return flags;
}

Verdict TxListApp::verify_vote_extension(const core::Address&, consensus::Height,
                                         std::span<const consensus::FraudFlag>) {
    return Verdict::kAccept;  // another validator's scores are its own: nothing to re-check
}

consensus::FinalizeResult TxListApp::finalize_block(const consensus::FinalizedBlock& fb) {
    consensus::FinalizeResult result;
    for (const core::Hash& h : fb.executed) {
        const auto body = pending_.find(h);
        if (body == pending_.end()) continue;
        const auto tx = decode_tx(body->second);
        if (tx && (tx->kind == TxKind::kBond || tx->kind == TxKind::kUnbond)) {
            result.validator_updates.push_back({core::address_of(tx->key), tx->key, tx->power});
        }
        executed_.push_back(h);
        executed_set_.insert(h);
        mempool_.erase(h);
    }
    for (const consensus::AggregatedFlag& f : fb.flags) {
        scores_[f.tx] = f;
        if (f.excluded) {
            excluded_.insert(f.tx);
            mempool_.erase(f.tx);
        }
    }
    if (mempool_order_.size() > 2 * mempool_.size() + 64) {
        std::erase_if(mempool_order_, [&](const core::Hash& h) { return mempool_.count(h) == 0; });
    }
    pending_.clear();
    auto txs = decode_payload(fb.block->payload);
    for (std::size_t i = 0; txs && i < txs->size() && i < fb.block->candidates.size(); ++i) {
        pending_.emplace(fb.block->candidates[i], (*txs)[i]);
    }
    return result;
}

}  // namespace mfd::chain::net
