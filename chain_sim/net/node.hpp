#pragma once
/// One simulated validator: an engine, its test application and its key, plus the Byzantine
/// behaviours chosen for it, applied to what the engine sends. Not thread-safe.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "chain_sim/net/rng.hpp"
#include "chain_sim/net/sim_app.hpp"
#include "consensus/engine.hpp"

namespace mfd::chain::net {

/// Byzantine behaviours (bit flags; 0 is an honest validator).
enum Behaviour : std::uint32_t {
    kEquivocate = 1U << 0,         ///< signs a conflicting vote for each vote; peers get either
    kSilent = 1U << 1,             ///< sends nothing
    kProposeFlagged = 1U << 2,     ///< as proposer, executes the transactions the rule left out
    kWithholdExtension = 1U << 3,  ///< precommits without any flag
    kForgeExtension = 1U << 4,     ///< alters its extension after signing it
    kFlagHonest = 1U << 5,         ///< flags honest transactions (censorship attempt)
};
inline constexpr std::uint32_t kAllBehaviours = (1U << 6) - 1;

/// "equivocate+silent", or "honest" for 0.
[[nodiscard]] std::string behaviour_names(std::uint32_t behaviours);

/// A node of the simulation.
struct NodeSpec {
    core::PrivateKey key = core::PrivateKey::derive(core::as_bytes("node"));
    std::int64_t genesis_power = 0;  ///< 0: not a validator at genesis (may bond later)
    std::uint32_t behaviours = 0;
};

/// A message leaving a node, for one node or (kAll) every other node.
struct Outgoing {
    static constexpr std::size_t kAll = std::numeric_limits<std::size_t>::max();
    std::size_t to = kAll;
    consensus::Message message;
};

class SimNode {
public:
    /// Builds node `id` of `addresses.size()` nodes; fails as Engine::create.
    [[nodiscard]] static core::Result<std::unique_ptr<SimNode>> create(
        std::size_t id, const NodeSpec& spec, consensus::EngineConfig config,
        consensus::SignatureVerifier& verifier, std::vector<core::Address> addresses, Rng rng);

    /// What the engine's sends become once this node's behaviours are applied.
    [[nodiscard]] std::vector<Outgoing> transform(const consensus::Effects& effects);

    [[nodiscard]] consensus::Engine& engine() noexcept { return *engine_; }
    [[nodiscard]] const consensus::Engine& engine() const noexcept { return *engine_; }
    [[nodiscard]] TxListApp& app() noexcept { return *app_; }
    [[nodiscard]] const TxListApp& app() const noexcept { return *app_; }
    [[nodiscard]] std::uint32_t behaviours() const noexcept { return behaviours_; }
    [[nodiscard]] bool honest() const noexcept { return behaviours_ == 0; }
    [[nodiscard]] const core::Address& address() const noexcept { return addresses_[id_]; }
    [[nodiscard]] std::size_t id() const noexcept { return id_; }

private:
    SimNode(std::size_t id, const NodeSpec& spec, std::vector<core::Address> addresses, Rng rng);

    void equivocate(const consensus::VotePtr& vote, std::vector<Outgoing>& out);
    [[nodiscard]] consensus::Message forge(const consensus::VotePtr& vote);
    [[nodiscard]] consensus::Message tamper(const consensus::ProposalPtr& proposal);
    [[nodiscard]] std::size_t node_of(const core::Address& a) const;

    std::size_t id_;
    core::PrivateKey key_;
    std::uint32_t behaviours_;
    std::vector<core::Address> addresses_;
    Rng rng_;
    std::unique_ptr<TxListApp> app_;
    std::unique_ptr<consensus::Engine> engine_;
};

}  // namespace mfd::chain::net
