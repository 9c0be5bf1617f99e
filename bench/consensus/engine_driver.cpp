#include "bench/consensus/engine_driver.hpp"

#include <algorithm>
#include <string>

namespace mfd::bench {

namespace {

// Proposes empty blocks and flags nothing: the engine's own costs only.
class EmptyApp final : public consensus::Application {
public:
    consensus::Verdict check_tx(core::ByteView) override { return consensus::Verdict::kAccept; }
    consensus::ProposalContent prepare_proposal(const consensus::ProposalContext&) override {
        return {};
    }
    consensus::Verdict process_proposal(const consensus::Block&) override {
        return consensus::Verdict::kAccept;
    }
    std::vector<consensus::FraudFlag> extend_vote(const consensus::Block&) override { return {}; }
    consensus::Verdict verify_vote_extension(const core::Address&, consensus::Height,
                                             std::span<const consensus::FraudFlag>) override {
        return consensus::Verdict::kAccept;
    }
    consensus::FinalizeResult finalize_block(const consensus::FinalizedBlock&) override {
        return {};
    }
};

}  // namespace

EngineDriver::EngineDriver(std::size_t validators) {
    std::vector<core::PrivateKey> keys;
    consensus::EngineConfig base;
    for (std::size_t i = 0; i < validators; ++i) {
        keys.push_back(core::PrivateKey::derive(core::as_bytes("bench-" + std::to_string(i))));
        base.genesis.push_back({keys.back().address(), keys.back().public_key(), 100});
        addresses_.push_back(keys.back().address());
    }
    for (std::size_t i = 0; i < validators; ++i) {
        apps_.push_back(std::make_unique<EmptyApp>());
        consensus::EngineConfig config = base;
        config.key = keys[i];
        engines_.push_back(std::move(*consensus::Engine::create(config, *apps_.back(), verifier_)));
    }
    for (std::size_t i = 0; i < validators; ++i) {
        engines_[i]->start(scratch_);
        process(i);
    }
}

EngineDriver::~EngineDriver() = default;

consensus::Height EngineDriver::min_height() const {
    consensus::Height h = engines_.front()->chain().height();
    for (const auto& e : engines_) h = std::min(h, e->chain().height());
    return h;
}

void EngineDriver::process(std::size_t node) {
    for (const consensus::TimeoutRequest& t : scratch_.timeouts) {
        timers_.push(Timer{now_ + t.delay_us, seq_++, node, t});
    }
    for (consensus::Send& s : scratch_.sends) {
        ++counts_.messages;
        queue_.emplace_back(node, std::move(s));
    }
    scratch_.clear();
}

void EngineDriver::run_heights(consensus::Height heights) {
    const consensus::Height target = min_height() + heights;
    while (min_height() < target) {
        if (!queue_.empty()) {
            const auto [from, send] = std::move(queue_.front());
            queue_.pop_front();
            for (std::size_t to = 0; to < engines_.size(); ++to) {
                if (to == from || (send.to && *send.to != addresses_[to])) continue;
                ++counts_.deliveries;
                engines_[to]->on_message(send.message, scratch_);
                process(to);
            }
        } else if (!timers_.empty()) {
            const Timer t = timers_.top();
            timers_.pop();
            now_ = t.at;
            engines_[t.node]->on_timeout(t.request, scratch_);
            process(t.node);
        } else {
            break;
        }
    }
    counts_.signatures = 0;
    for (const auto& e : engines_) counts_.signatures += e->stats().signatures_made;
}

}  // namespace mfd::bench
