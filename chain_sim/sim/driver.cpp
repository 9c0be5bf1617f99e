#include "chain_sim/sim/driver.hpp"

#include <limits>

namespace mfd::chain::sim {

Driver::Driver(std::vector<node::Node*> nodes, std::vector<ByzantineTransport> transports,
               net::NetworkConfig network, std::uint64_t seed)
    : nodes_(std::move(nodes)),
      transports_(std::move(transports)),
      network_(std::move(network), nodes_.size()),
      rng_(seed) {}

template <class T>
std::uint32_t Driver::put(std::vector<T>& items, std::vector<std::uint32_t>& free, T item) {
    if (free.empty()) {
        items.push_back(std::move(item));
        return static_cast<std::uint32_t>(items.size() - 1);
    }
    const std::uint32_t slot = free.back();
    free.pop_back();
    items[slot] = std::move(item);
    return slot;
}

core::Result<void> Driver::start() {
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        nodes_[i]->set_time_ms(base_ms_);
        if (auto ok = nodes_[i]->start(scratch_); !ok) {
            return core::fail(ok.error().code,
                              "validator " + std::to_string(i) + ": " + ok.error().message);
        }
        process(i, scratch_);
    }
    return {};
}

void Driver::send_tx(std::size_t node, core::ByteView raw, std::size_t tag, std::int64_t at_us) {
    const std::uint32_t slot = put(arrivals_, free_arrivals_, TxArrival{raw, tag});
    push(at_us, node, Kind::kTx, slot);
}

std::int64_t Driver::next_time() const noexcept {
    return queue_.empty() ? std::numeric_limits<std::int64_t>::max() : queue_.top().time;
}

void Driver::advance_to(std::int64_t t_us) noexcept {
    if (t_us > now_) now_ = t_us;
}

bool Driver::step() {
    if (queue_.empty()) return false;
    const Event e = queue_.top();
    queue_.pop();
    now_ = std::max(now_, e.time);
    ++counters_.events;
    nodes_[e.node]->set_time_ms(base_ms_ + scale_ * static_cast<std::uint64_t>(now_ / 1000));
    switch (e.kind) {
    case Kind::kDeliver:
        deliver(e.node, e.slot);
        break;
    case Kind::kTimer: {
        const consensus::TimeoutRequest t = timers_[e.slot];
        free_timers_.push_back(e.slot);
        ++counters_.timers;
        nodes_[e.node]->on_timeout(t, scratch_);
        process(e.node, scratch_);
        break;
    }
    case Kind::kTx:
        queue_.push(e);
        arrive_batch();
        break;
    }
    return true;
}

void Driver::push(std::int64_t time, std::size_t node, Kind kind, std::uint32_t slot) {
    queue_.push(Event{time, seq_++, static_cast<std::uint32_t>(node), kind, slot});
}

void Driver::arrive_batch() {
    constexpr std::size_t kMaxBatch = 1024;
    std::vector<Event> batch;
    while (!queue_.empty() && queue_.top().kind == Kind::kTx && batch.size() < kMaxBatch) {
        batch.push_back(queue_.top());
        queue_.pop();
    }
    std::vector<std::vector<std::size_t>> by_node(nodes_.size());
    for (std::size_t i = 0; i < batch.size(); ++i) by_node[batch[i].node].push_back(i);
    std::vector<node::Admission> verdicts(batch.size());
    const std::function<void(std::size_t)> admit_all = [&](std::size_t n) {
        for (const std::size_t i : by_node[n]) {
            verdicts[i] = nodes_[n]->admit(arrivals_[batch[i].slot].raw);
        }
    };
    if (batch.size() >= 8) {
        if (!helper_) helper_ = std::make_unique<HelperThread>();
        helper_->run(nodes_.size(), admit_all);
        ++counters_.admission_batches;
    } else {
        for (std::size_t n = 0; n < nodes_.size(); ++n) admit_all(n);
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const Event& e = batch[i];
        now_ = std::max(now_, e.time);
        const std::size_t tag = arrivals_[e.slot].tag;
        arrivals_[e.slot] = TxArrival{};
        free_arrivals_.push_back(e.slot);
        ++counters_.tx_arrivals;
        if (admission_observer_) admission_observer_(e.node, tag, verdicts[i]);
    }
}

void Driver::deliver(std::size_t node, std::uint32_t slot) {
    Envelope& env = envelopes_[slot];
    ++counters_.deliveries;
    const consensus::Message message = env.message;
    if (--env.remaining == 0) {
        env = Envelope{};
        free_envelopes_.push_back(slot);
    }
    (void)nodes_[node]->on_message(message, scratch_);
    process(node, scratch_);
}

void Driver::process(std::size_t node, consensus::Effects& effects) {
    for (const consensus::TimeoutRequest& t : effects.timeouts) {
        push(now_ + t.delay_us, node, Kind::kTimer, put(timers_, free_timers_, t));
    }
    if (!effects.sends.empty()) {
        const auto pending = nodes_[node]->engine().chain().pending();
        std::vector<Routed> out = transports_[node].transform(effects.sends, pending);
        effects.clear();
        for (Routed& r : out) route(node, std::move(r));
    }
    effects.clear();
}

void Driver::route(std::size_t from, Routed out) {
    std::vector<std::pair<std::size_t, std::int64_t>> arrivals;
    for (std::size_t to = 0; to < nodes_.size(); ++to) {
        if (to == from || (out.to != Routed::kAll && out.to != to)) continue;
        if (auto at = network_.arrival(from, to, now_, rng_)) {
            arrivals.emplace_back(to, *at);
        } else {
            ++counters_.lost;
        }
    }
    if (arrivals.empty()) return;
    const std::uint32_t slot =
        put(envelopes_, free_envelopes_,
            Envelope{std::move(out.message), static_cast<std::uint32_t>(arrivals.size())});
    for (const auto& [to, at] : arrivals) push(at, to, Kind::kDeliver, slot);
}

}  // namespace mfd::chain::sim
