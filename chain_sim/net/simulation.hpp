#pragma once
/// A whole network of validators in one process: a discrete-event scheduler with simulated
/// time (no threads, no wall clock) delivers messages through the network model and fires the
/// engines' timers. Everything random comes from the seed, so a seed replays exactly.
/// Not thread-safe.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <queue>
#include <vector>

#include "chain_sim/net/network.hpp"
#include "chain_sim/net/node.hpp"

namespace mfd::chain::net {

/// A transaction entering the mempools (each node receives it within tx_gossip_us).
struct TxSubmission {
    std::int64_t at_us = 0;
    SimTx tx;
};

struct SimConfig {
    std::uint64_t seed = 1;
    consensus::ConsensusParams params;
    std::vector<NodeSpec> nodes;
    NetworkConfig network;
    std::int64_t duration_us = 10'000'000;
    /// Stop early once every node that is not silent committed this height (0: never).
    consensus::Height target_height = 0;
    std::vector<TxSubmission> txs;
    std::int64_t tx_gossip_us = 20'000;
    /// Encode every message once when sent and decode it at each receiver (exercises the codec;
    /// otherwise receivers share the sender's immutable message objects).
    bool wire_codec = false;
};

/// A block as one node committed it, with the simulated time.
struct CommittedBlock {
    std::int64_t at_us = 0;
    consensus::CommitRecord record;
};

/// Traffic counters.
struct SimCounters {
    std::uint64_t broadcasts = 0;  ///< messages sent to every other node
    std::uint64_t unicasts = 0;    ///< messages sent to one node (catch-up, equivocation)
    std::uint64_t deliveries = 0;  ///< messages received
    std::uint64_t lost = 0;        ///< deliveries dropped by loss or partition
    std::uint64_t malformed = 0;   ///< deliveries that failed to decode (wire_codec)
    std::uint64_t timers = 0;      ///< timer events fired
    std::uint64_t events = 0;
};

class Simulation {
public:
    /// Builds the nodes. `verifier` is shared by every engine (a CachingVerifier of its own
    /// when null). Fails with kInvalidArgument when no node has genesis power or an engine
    /// cannot be built.
    [[nodiscard]] static core::Result<std::unique_ptr<Simulation>> create(
        SimConfig config, consensus::SignatureVerifier* verifier = nullptr);

    /// Runs until duration_us, the target height, or no events are left.
    void run();
    /// Runs until simulated time `until_us` (or the end).
    void run_until(std::int64_t until_us);

    [[nodiscard]] std::int64_t now() const noexcept { return now_; }
    [[nodiscard]] std::size_t size() const noexcept { return nodes_.size(); }
    [[nodiscard]] const SimNode& node(std::size_t i) const { return *nodes_[i]; }
    [[nodiscard]] const std::vector<CommittedBlock>& commits(std::size_t i) const {
        return logs_[i];
    }
    [[nodiscard]] const SimCounters& counters() const noexcept { return counters_; }
    [[nodiscard]] const SimConfig& config() const noexcept { return config_; }
    [[nodiscard]] const NetworkModel& network() const noexcept { return network_; }

private:
    enum class EventKind : std::uint8_t { kDeliver, kTimer, kTx };
    struct Event {
        std::int64_t time;
        std::uint64_t seq;
        std::uint32_t node;
        EventKind kind;
        std::uint32_t slot;
    };
    struct Later {
        bool operator()(const Event& a, const Event& b) const noexcept {
            return a.time != b.time ? a.time > b.time : a.seq > b.seq;
        }
    };
    struct Envelope {
        consensus::Message message;
        core::Bytes wire;
        std::uint32_t remaining = 0;
    };

    explicit Simulation(SimConfig config);
    void start();
    void push(std::int64_t time, std::size_t node, EventKind kind, std::uint32_t slot);
    void handle(const Event& e);
    void deliver(std::size_t node, std::uint32_t slot);
    void process(std::size_t node, consensus::Effects& effects);
    void route(std::size_t from, Outgoing out);
    std::uint32_t store(Envelope envelope);
    [[nodiscard]] bool reached_target() const;

    SimConfig config_;
    Rng rng_;
    NetworkModel network_;
    std::unique_ptr<consensus::SignatureVerifier> own_verifier_;
    std::vector<std::unique_ptr<SimNode>> nodes_;
    std::vector<std::vector<CommittedBlock>> logs_;
    std::priority_queue<Event, std::vector<Event>, Later> queue_;
    std::vector<Envelope> envelopes_;
    std::vector<std::uint32_t> free_envelopes_;
    std::vector<consensus::TimeoutRequest> timers_;
    std::vector<std::uint32_t> free_timers_;
    std::vector<std::pair<std::size_t, core::Bytes>> tx_arrivals_;
    consensus::Effects scratch_;
    std::int64_t now_ = 0;
    std::uint64_t seq_ = 0;
    bool started_ = false;
    SimCounters counters_;
};

}  // namespace mfd::chain::net
