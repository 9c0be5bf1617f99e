#include "chain_sim/node/node.hpp"

#include <chrono>
#include <numeric>

#include "storage/chain_records.hpp"

namespace mfd::chain::node {
namespace {

std::uint64_t app_nanos(const NodeStats& s) {
    const auto consensus = static_cast<std::size_t>(Phase::kConsensus);
    return std::accumulate(s.nanos.begin(), s.nanos.end(), std::uint64_t{0}) - s.nanos[consensus];
}

/// The decision stored in chain block `height`; std::nullopt when the block carries none.
core::Result<std::optional<consensus::Message>> stored_decision(const core::KvStore& store,
                                                                std::uint64_t height) {
    auto block = storage::get_block(store, height);
    if (!block) return core::fail(block.error());
    if (!*block) {
        return core::fail(core::Errc::kCorruption,
                          "committed block " + std::to_string(height) + " is missing");
    }
    if ((*block)->consensus_payload.empty()) return std::nullopt;
    auto message = consensus::decode((*block)->consensus_payload);
    if (!message || !std::holds_alternative<consensus::DecisionPtr>(*message)) {
        return core::fail(core::Errc::kCorruption, "block " + std::to_string(height) +
                                                       " does not hold a consensus decision");
    }
    return std::optional(std::move(*message));
}

}  // namespace

core::Result<std::unique_ptr<Node>> Node::open(NodeConfig config, std::shared_ptr<FraudHooks> hooks,
                                               CheckedTxCache& cache,
                                               consensus::SignatureVerifier& verifier) {
    std::unique_ptr<Node> node(new Node(std::move(config)));
    const NodeConfig& c = node->config_;
    auto store = storage::RocksStore::open(c.data_dir, c.store);
    if (!store) return core::fail(store.error());
    node->store_ = std::move(*store);
    auto chain = Chain::open(*node->store_, c.chain);
    if (!chain) return core::fail(chain.error());
    node->chain_ = std::move(*chain);
    node->opened_at_ = node->chain_->head().number;
    node->mempool_ = std::make_unique<Mempool>(*node->chain_, c.mempool);
    node->app_ = std::make_unique<NodeApp>(c, *node->store_, *node->chain_, *node->mempool_, cache,
                                           std::move(hooks), node->stats_);
    auto engine = consensus::Engine::create({c.consensus, c.genesis_validators, c.key}, *node->app_,
                                            verifier);
    if (!engine) return core::fail(engine.error());
    node->engine_ = std::move(*engine);
    Node* self = node.get();
    node->app_->set_decision_source(
        [self](consensus::Height h) { return self->engine_->decision_at(h); });
    return node;
}

Node::~Node() = default;

template <class F>
void Node::timed(F&& f) {
    const std::uint64_t before = app_nanos(stats_);
    const auto start = std::chrono::steady_clock::now();
    f();
    const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count();
    const std::uint64_t inside = app_nanos(stats_) - before;
    const auto total = static_cast<std::uint64_t>(elapsed);
    auto& slot = stats_.nanos[static_cast<std::size_t>(Phase::kConsensus)];
    slot += total > inside ? total - inside : 0;
    stats_.calls[static_cast<std::size_t>(Phase::kConsensus)] += 1;
}

core::Result<void> Node::start(consensus::Effects& out) {
    if (opened_at_ == 0) {
        timed([&] { engine_->start(out); });
        return {};
    }
    return replay(out);
}

// Feeds the stored decisions 1..head to a fresh engine in replay mode (it neither proposes nor
// votes meanwhile), then starts the next height. Only that start's effects are carried out,
// plus the gossip timer the engine's start arms.
core::Result<void> Node::replay(consensus::Effects& out) {
    consensus::Effects scratch;
    engine_->begin_replay();
    engine_->start(scratch);
    std::vector<consensus::TimeoutRequest> gossip;
    for (const auto& t : scratch.timeouts) {
        if (t.kind == consensus::TimeoutKind::kGossip) gossip.push_back(t);
    }
    for (std::uint64_t h = 1; h <= opened_at_; ++h) {
        auto decision = stored_decision(*store_, h);
        if (!decision) return core::fail(decision.error());
        if (!*decision) break;  // a block committed without its decision: peers will send it
        scratch.clear();
        const consensus::Outcome o = engine_->on_message(**decision, scratch);
        if (o != consensus::Outcome::kAccepted) {
            return core::fail(
                core::Errc::kCorruption,
                "the engine refused the stored decision of block " + std::to_string(h) + ": " +
                    std::string(consensus::outcome_name(o)) + " (the engine is at height " +
                    std::to_string(engine_->height()) + ")");
        }
        if (auto failed = app_->failure()) return core::fail(*failed);
    }
    scratch.clear();
    engine_->end_replay(scratch);
    if (auto failed = app_->failure()) return core::fail(*failed);
    scratch.commits.clear();
    out.sends.insert(out.sends.end(), scratch.sends.begin(), scratch.sends.end());
    out.timeouts.insert(out.timeouts.end(), scratch.timeouts.begin(), scratch.timeouts.end());
    out.timeouts.insert(out.timeouts.end(), gossip.begin(), gossip.end());
    return {};
}

consensus::Outcome Node::on_message(const consensus::Message& message, consensus::Effects& out) {
    consensus::Outcome outcome = consensus::Outcome::kAccepted;
    timed([&] { outcome = engine_->on_message(message, out); });
    return outcome;
}

void Node::on_timeout(const consensus::TimeoutRequest& timeout, consensus::Effects& out) {
    timed([&] { engine_->on_timeout(timeout, out); });
}

}  // namespace mfd::chain::node
