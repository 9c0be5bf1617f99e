#pragma once
/// The discrete-event loop of a simulated run over real validator nodes: messages travel through
/// chain_sim/net's network model (latency, jitter, loss), the engines' timers fire in simulated
/// time, transactions arrive at the validators' mempools, and Byzantine validators' sends are
/// transformed on the way out. Everything random comes from the seed, so a seed replays the same
/// run. Not thread-safe: one thread drives it (and the nodes).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <span>
#include <vector>

#include "chain_sim/net/network.hpp"
#include "chain_sim/net/rng.hpp"
#include "chain_sim/node/node.hpp"
#include "chain_sim/sim/byzantine.hpp"
#include "chain_sim/sim/helper_thread.hpp"

namespace mfd::chain::sim {

/// Counters of the loop.
struct DriverCounters {
    std::uint64_t events = 0;
    std::uint64_t deliveries = 0;
    std::uint64_t lost = 0;
    std::uint64_t timers = 0;
    std::uint64_t tx_arrivals = 0;
    std::uint64_t admission_batches = 0;  ///< runs of arrivals admitted by two threads
};

class Driver {
public:
    /// Called with each admission verdict: the validator's index and the traffic index of the
    /// transaction (npos for one sent over RPC).
    using AdmissionObserver =
        std::function<void(std::size_t node, std::size_t tag, const node::Admission&)>;

    /// A loop over `nodes` (which must outlive it) with one transport per node.
    Driver(std::vector<node::Node*> nodes, std::vector<ByzantineTransport> transports,
           net::NetworkConfig network, std::uint64_t seed);

    /// Starts every node (replaying committed blocks). Fails with the first Node::start error,
    /// naming the validator.
    [[nodiscard]] core::Result<void> start();
    /// Schedules raw transaction bytes (which must outlive the event) to reach `node` at
    /// simulated time `at_us`; `tag` is passed to the admission observer.
    void send_tx(std::size_t node, core::ByteView raw, std::size_t tag, std::int64_t at_us);
    /// Handles the earliest event; false when none is left. A run of transaction arrivals with
    /// no other event between them is handled at once: each validator admits its share in
    /// order, validators in parallel on two threads (the same outcome as one by one).
    bool step();
    /// Simulated time of the next event, or INT64_MAX when none.
    [[nodiscard]] std::int64_t next_time() const noexcept;
    [[nodiscard]] std::int64_t now() const noexcept { return now_; }
    /// Moves the clock forward to `t_us` (never back) without handling events.
    void advance_to(std::int64_t t_us) noexcept;
    void set_admission_observer(AdmissionObserver observer) {
        admission_observer_ = std::move(observer);
    }
    /// The nodes' clock (block timestamps, the plugin's "now"): base_ms + scale x simulated
    /// time. A scale above 1 lets the application's clock run faster than the network's, so that
    /// traffic paced like real accounts fills one-second blocks.
    void set_clock(std::uint64_t base_ms, std::uint64_t scale) noexcept {
        base_ms_ = base_ms;
        scale_ = scale;
    }
    [[nodiscard]] const DriverCounters& counters() const noexcept { return counters_; }

private:
    enum class Kind : std::uint8_t { kDeliver, kTimer, kTx };
    struct Event {
        std::int64_t time;
        std::uint64_t seq;
        std::uint32_t node;
        Kind kind;
        std::uint32_t slot;
    };
    struct Later {
        bool operator()(const Event& a, const Event& b) const noexcept {
            return a.time != b.time ? a.time > b.time : a.seq > b.seq;
        }
    };
    struct Envelope {
        consensus::Message message;
        std::uint32_t remaining = 0;
    };
    struct TxArrival {
        core::ByteView raw;
        std::size_t tag = 0;
    };

    void push(std::int64_t time, std::size_t node, Kind kind, std::uint32_t slot);
    void process(std::size_t node, consensus::Effects& effects);
    void route(std::size_t from, Routed out);
    void deliver(std::size_t node, std::uint32_t slot);
    void arrive_batch();
    template <class T>
    static std::uint32_t put(std::vector<T>& items, std::vector<std::uint32_t>& free, T item);

    std::vector<node::Node*> nodes_;
    std::vector<ByzantineTransport> transports_;
    net::NetworkModel network_;
    net::Rng rng_;
    std::priority_queue<Event, std::vector<Event>, Later> queue_;
    std::vector<Envelope> envelopes_;
    std::vector<std::uint32_t> free_envelopes_;
    std::vector<consensus::TimeoutRequest> timers_;
    std::vector<std::uint32_t> free_timers_;
    std::vector<TxArrival> arrivals_;
    std::vector<std::uint32_t> free_arrivals_;
    consensus::Effects scratch_;
    AdmissionObserver admission_observer_;
    std::int64_t now_ = 0;
    std::uint64_t seq_ = 0;
    std::uint64_t base_ms_ = 0;
    std::uint64_t scale_ = 1;
    DriverCounters counters_;
    std::unique_ptr<HelperThread> helper_;
};

}  // namespace mfd::chain::sim
