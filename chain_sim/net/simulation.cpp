#include "chain_sim/net/simulation.hpp"

#include <algorithm>

namespace mfd::chain::net {

core::Result<std::unique_ptr<Simulation>> Simulation::create(
    SimConfig config, consensus::SignatureVerifier* verifier) {
    std::unique_ptr<Simulation> sim(new Simulation(std::move(config)));
    if (verifier == nullptr) {
        sim->own_verifier_ = std::make_unique<consensus::CachingVerifier>();
        verifier = sim->own_verifier_.get();
    }
    std::vector<core::Address> addresses;
    consensus::EngineConfig base{sim->config_.params, {}, std::nullopt};
    for (const NodeSpec& n : sim->config_.nodes) {
        addresses.push_back(n.key.address());
        if (n.genesis_power > 0) {
            base.genesis.push_back({n.key.address(), n.key.public_key(), n.genesis_power});
        }
    }
    if (base.genesis.empty()) {
        return core::fail(core::Errc::kInvalidArgument, "no node has genesis power");
    }
    for (std::size_t i = 0; i < sim->config_.nodes.size(); ++i) {
        auto node = SimNode::create(i, sim->config_.nodes[i], base, *verifier, addresses,
                                    sim->rng_.fork(i + 1));
        if (!node) return core::fail(node.error());
        sim->nodes_.push_back(std::move(*node));
    }
    sim->logs_.resize(sim->nodes_.size());
    return sim;
}

Simulation::Simulation(SimConfig config)
    : config_(std::move(config)),
      rng_(config_.seed),
      network_(config_.network, config_.nodes.size()) {}

void Simulation::start() {
    started_ = true;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        nodes_[i]->engine().start(scratch_);
        process(i, scratch_);
    }
    for (const TxSubmission& s : config_.txs) {
        const core::Bytes bytes = encode_tx(s.tx);
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
            const std::int64_t delay =
                rng_.uniform(0, std::max<std::int64_t>(0, config_.tx_gossip_us));
            tx_arrivals_.emplace_back(i, bytes);
            push(s.at_us + delay, i, EventKind::kTx,
                 static_cast<std::uint32_t>(tx_arrivals_.size() - 1));
        }
    }
}

void Simulation::run() {
    run_until(config_.duration_us);
}

void Simulation::run_until(std::int64_t until_us) {
    if (!started_) start();
    while (!queue_.empty() && queue_.top().time <= until_us && !reached_target()) {
        const Event e = queue_.top();
        queue_.pop();
        now_ = e.time;
        ++counters_.events;
        handle(e);
    }
    if (queue_.empty() || queue_.top().time > until_us) now_ = std::max(now_, until_us);
}

bool Simulation::reached_target() const {
    if (config_.target_height <= 0) return false;
    for (const auto& n : nodes_) {
        if ((n->behaviours() & kSilent) == 0 &&
            n->engine().chain().height() < config_.target_height) {
            return false;
        }
    }
    return true;
}

void Simulation::push(std::int64_t time, std::size_t node, EventKind kind, std::uint32_t slot) {
    queue_.push(Event{time, seq_++, static_cast<std::uint32_t>(node), kind, slot});
}

void Simulation::handle(const Event& e) {
    switch (e.kind) {
    case EventKind::kDeliver:
        deliver(e.node, e.slot);
        return;
    case EventKind::kTimer: {
        const consensus::TimeoutRequest t = timers_[e.slot];
        free_timers_.push_back(e.slot);
        ++counters_.timers;
        nodes_[e.node]->engine().on_timeout(t, scratch_);
        process(e.node, scratch_);
        return;
    }
    case EventKind::kTx:
        (void)nodes_[e.node]->app().check_tx(tx_arrivals_[e.slot].second);
        return;
    }
}

void Simulation::deliver(std::size_t node, std::uint32_t slot) {
    Envelope& env = envelopes_[slot];
    ++counters_.deliveries;
    consensus::Message message = env.message;
    bool ok = true;
    if (config_.wire_codec) {
        auto decoded = consensus::decode(env.wire);
        ok = decoded.has_value();
        if (ok) message = std::move(*decoded);
    }
    if (--env.remaining == 0) {
        env = Envelope{};
        free_envelopes_.push_back(slot);
    }
    if (!ok) {
        ++counters_.malformed;
        return;
    }
    nodes_[node]->engine().on_message(message, scratch_);
    process(node, scratch_);
}

void Simulation::process(std::size_t node, consensus::Effects& effects) {
    for (consensus::CommitRecord& c : effects.commits) {
        logs_[node].push_back(CommittedBlock{now_, std::move(c)});
    }
    for (const consensus::TimeoutRequest& t : effects.timeouts) {
        std::uint32_t slot = 0;
        if (free_timers_.empty()) {
            timers_.push_back(t);
            slot = static_cast<std::uint32_t>(timers_.size() - 1);
        } else {
            slot = free_timers_.back();
            free_timers_.pop_back();
            timers_[slot] = t;
        }
        push(now_ + t.delay_us, node, EventKind::kTimer, slot);
    }
    if (!effects.sends.empty()) {
        std::vector<Outgoing> outgoing = nodes_[node]->transform(effects);
        effects.clear();
        for (Outgoing& o : outgoing) route(node, std::move(o));
    }
    effects.clear();
}

void Simulation::route(std::size_t from, Outgoing out) {
    (out.to == Outgoing::kAll ? counters_.broadcasts : counters_.unicasts) += 1;
    std::vector<std::pair<std::size_t, std::int64_t>> arrivals;
    for (std::size_t to = 0; to < nodes_.size(); ++to) {
        if (to == from || (out.to != Outgoing::kAll && out.to != to)) continue;
        if (auto at = network_.arrival(from, to, now_, rng_)) {
            arrivals.emplace_back(to, *at);
        } else {
            ++counters_.lost;
        }
    }
    if (arrivals.empty()) return;
    Envelope env;
    if (config_.wire_codec) env.wire = consensus::encode(out.message);
    env.message = std::move(out.message);
    env.remaining = static_cast<std::uint32_t>(arrivals.size());
    const std::uint32_t slot = store(std::move(env));
    for (const auto& [to, at] : arrivals) push(at, to, EventKind::kDeliver, slot);
}

std::uint32_t Simulation::store(Envelope envelope) {
    if (free_envelopes_.empty()) {
        envelopes_.push_back(std::move(envelope));
        return static_cast<std::uint32_t>(envelopes_.size() - 1);
    }
    const std::uint32_t slot = free_envelopes_.back();
    free_envelopes_.pop_back();
    envelopes_[slot] = std::move(envelope);
    return slot;
}

}  // namespace mfd::chain::net
