#pragma once
/// Byzantine validators of a simulated run: the --byzantine SPEC ("2:equivocate,3:silent") and
/// what each behaviour does to the messages a validator's engine sends. Behaviours are those of
/// chain_sim/net (net::Behaviour); the two that live in the vote extension (withhold-extension,
/// flag-honest) are carried out by the node itself (NodeConfig::flag_behaviour).

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chain_sim/net/node.hpp"
#include "chain_sim/net/rng.hpp"
#include "chain_sim/node/node_config.hpp"
#include "consensus/effects.hpp"
#include "core/result.hpp"

namespace mfd::chain::sim {

/// Validator index -> net::Behaviour bits.
using ByzantineSpec = std::map<std::size_t, std::uint32_t>;

/// Parses "I:NAME[+NAME...],..." with names equivocate, silent, propose-flagged,
/// withhold-extension, forge-extension, flag-honest ("" is no Byzantine validator). Fails with
/// kInvalidArgument naming the bad item: a malformed pair, an unknown name, an index listed
/// twice or not below `validators`. Thread-safe.
[[nodiscard]] core::Result<ByzantineSpec> parse_byzantine(std::string_view spec,
                                                          std::size_t validators);

/// Fails with kInvalidArgument when the validators `spec` makes silent hold a third of the
/// stake or more (every validator has the same): the others can never make the more than two
/// thirds a block needs, and the run would wait forever at its first height.
[[nodiscard]] core::Result<void> check_quorum(const ByzantineSpec& spec, std::size_t validators);

/// The behaviour names, for --help and error messages.
[[nodiscard]] std::string byzantine_names();

/// The vote-extension behaviour a validator with `behaviours` takes on.
[[nodiscard]] node::FlagBehaviour flag_behaviour_of(std::uint32_t behaviours) noexcept;

/// A message leaving validator `from`: to one validator, or to every other (to == kAll).
struct Routed {
    static constexpr std::size_t kAll = net::Outgoing::kAll;
    std::size_t to = kAll;
    consensus::Message message;
};

/// Applies one validator's transport-level behaviours to its engine's sends. Deterministic for
/// the seed of its generator; not thread-safe.
class ByzantineTransport {
public:
    /// For validator `id` of `addresses`, signing with `key`.
    ByzantineTransport(std::size_t id, std::uint32_t behaviours, core::PrivateKey key,
                       std::vector<core::Address> addresses, net::Rng rng);

    /// The messages to route for `sends`; `pending` is the engine's pending transactions (what
    /// a propose-flagged proposer executes in full).
    [[nodiscard]] std::vector<Routed> transform(const std::vector<consensus::Send>& sends,
                                                std::span<const core::Hash> pending);
    [[nodiscard]] std::uint32_t behaviours() const noexcept { return behaviours_; }

private:
    void equivocate(const consensus::VotePtr& vote, std::vector<Routed>& out);
    [[nodiscard]] consensus::Message forge(const consensus::VotePtr& vote);
    [[nodiscard]] consensus::Message tamper(const consensus::ProposalPtr& proposal,
                                            std::span<const core::Hash> pending);
    [[nodiscard]] std::size_t index_of(const core::Address& a) const;

    std::size_t id_;
    std::uint32_t behaviours_;
    core::PrivateKey key_;
    std::vector<core::Address> addresses_;
    net::Rng rng_;
};

}  // namespace mfd::chain::sim
