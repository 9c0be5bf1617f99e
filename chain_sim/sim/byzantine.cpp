#include "chain_sim/sim/byzantine.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <system_error>

#include "chain_sim/net/byzantine_votes.hpp"
#include "consensus/types.hpp"

namespace mfd::chain::sim {
namespace {

using consensus::Message;
using consensus::ProposalPtr;
using consensus::VotePtr;

constexpr std::array<std::pair<std::string_view, std::uint32_t>, 6> kNames{{
    {"equivocate", net::kEquivocate},
    {"silent", net::kSilent},
    {"propose-flagged", net::kProposeFlagged},
    {"withhold-extension", net::kWithholdExtension},
    {"forge-extension", net::kForgeExtension},
    {"flag-honest", net::kFlagHonest},
}};

core::Result<std::uint32_t> parse_behaviours(std::string_view names, std::string_view item) {
    std::uint32_t bits = 0;
    while (!names.empty()) {
        const auto plus = names.find('+');
        const std::string_view name = names.substr(0, plus);
        const auto it = std::find_if(kNames.begin(), kNames.end(),
                                     [&](const auto& n) { return n.first == name; });
        if (it == kNames.end()) {
            return core::fail(core::Errc::kInvalidArgument,
                              "--byzantine item '" + std::string(item) + "': unknown behaviour '" +
                                  std::string(name) + "' (known: " + byzantine_names() + ")");
        }
        bits |= it->second;
        names = plus == std::string_view::npos ? std::string_view{} : names.substr(plus + 1);
    }
    return bits;
}

}  // namespace

std::string byzantine_names() {
    std::string out;
    for (const auto& [name, bit] : kNames) out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

core::Result<ByzantineSpec> parse_byzantine(std::string_view spec, std::size_t validators) {
    ByzantineSpec out;
    bool more = !spec.empty();
    while (more) {
        const auto comma = spec.find(',');
        const std::string_view item = spec.substr(0, comma);
        more = comma != std::string_view::npos;
        spec = more ? spec.substr(comma + 1) : std::string_view{};
        const auto colon = item.find(':');
        std::size_t index = 0;
        const auto* end = item.data() + (colon == std::string_view::npos ? 0 : colon);
        const auto parsed = std::from_chars(item.data(), end, index);
        if (colon == std::string_view::npos || colon == 0 || parsed.ptr != end ||
            parsed.ec != std::errc() || colon + 1 == item.size()) {
            return core::fail(core::Errc::kInvalidArgument,
                              "--byzantine item '" + std::string(item) +
                                  "': expected INDEX:BEHAVIOUR[+BEHAVIOUR...]");
        }
        if (index >= validators || out.contains(index)) {
            return core::fail(
                core::Errc::kInvalidArgument,
                "--byzantine item '" + std::string(item) + "': validator " + std::to_string(index) +
                    (index >= validators
                         ? " does not exist (there are " + std::to_string(validators) + ")"
                         : " is listed twice"));
        }
        auto bits = parse_behaviours(item.substr(colon + 1), item);
        if (!bits) return core::fail(bits.error());
        out[index] = *bits;
    }
    return out;
}

core::Result<void> check_quorum(const ByzantineSpec& spec, std::size_t validators) {
    std::string silent;
    std::size_t n = 0;
    for (const auto& [index, bits] : spec) {
        if ((bits & net::kSilent) == 0) continue;
        silent += (n++ == 0 ? "" : ", ") + std::to_string(index);
    }
    const auto online = static_cast<std::int64_t>(validators - n);
    if (consensus::is_supermajority(online, static_cast<std::int64_t>(validators))) return {};
    return core::fail(core::Errc::kInvalidArgument,
                      "--byzantine: " + std::to_string(n) + " of " + std::to_string(validators) +
                          " validators are silent (" + silent + "); the other " +
                          std::to_string(online) +
                          " do not hold more than two thirds of the stake, so no block could "
                          "ever commit");
}

node::FlagBehaviour flag_behaviour_of(std::uint32_t behaviours) noexcept {
    if ((behaviours & net::kWithholdExtension) != 0) return node::FlagBehaviour::kWithhold;
    if ((behaviours & net::kFlagHonest) != 0) return node::FlagBehaviour::kInvert;
    return node::FlagBehaviour::kHonest;
}

ByzantineTransport::ByzantineTransport(std::size_t id, std::uint32_t behaviours,
                                       core::PrivateKey key, std::vector<core::Address> addresses,
                                       net::Rng rng)
    : id_(id),
      behaviours_(behaviours),
      key_(std::move(key)),
      addresses_(std::move(addresses)),
      rng_(rng) {}

std::size_t ByzantineTransport::index_of(const core::Address& a) const {
    const auto it = std::find(addresses_.begin(), addresses_.end(), a);
    return it == addresses_.end() ? Routed::kAll
                                  : static_cast<std::size_t>(it - addresses_.begin());
}

std::vector<Routed> ByzantineTransport::transform(const std::vector<consensus::Send>& sends,
                                                  std::span<const core::Hash> pending) {
    std::vector<Routed> out;
    if ((behaviours_ & net::kSilent) != 0) return out;
    for (const consensus::Send& s : sends) {
        const std::size_t to = s.to ? index_of(*s.to) : Routed::kAll;
        if (s.to && to == Routed::kAll) continue;
        const auto* vote = std::get_if<VotePtr>(&s.message);
        const auto* proposal = std::get_if<ProposalPtr>(&s.message);
        const bool mine = vote != nullptr && (*vote)->vote().validator == addresses_[id_];
        if (mine && (behaviours_ & net::kEquivocate) != 0) {
            equivocate(*vote, out);
        } else if (mine && (behaviours_ & net::kForgeExtension) != 0 &&
                   (*vote)->vote().has_extension()) {
            out.push_back({to, forge(*vote)});
        } else if (proposal != nullptr && (behaviours_ & net::kProposeFlagged) != 0) {
            out.push_back({to, tamper(*proposal, pending)});
        } else {
            out.push_back({to, s.message});
        }
    }
    return out;
}

// Each peer gets the real vote, a conflicting one, or both.
void ByzantineTransport::equivocate(const VotePtr& vote, std::vector<Routed>& out) {
    const VotePtr twin = net::equivocal_twin(vote, key_, rng_);
    for (std::size_t peer = 0; peer < addresses_.size(); ++peer) {
        if (peer == id_) continue;
        const std::uint64_t pick = twin ? rng_.next() % 3 : 0;
        if (pick != 1) out.push_back({peer, vote});
        if (pick != 0) out.push_back({peer, twin});
    }
}

// The extension gains a flag after signing: the signature no longer matches.
Message ByzantineTransport::forge(const VotePtr& vote) {
    return net::forged_extension(vote, rng_);
}

// As proposer: execute every pending transaction, the flagged ones included.
Message ByzantineTransport::tamper(const ProposalPtr& proposal,
                                   std::span<const core::Hash> pending) {
    const consensus::Proposal& p = proposal->proposal();
    if (p.proposer != addresses_[id_]) return proposal;
    consensus::Block block = p.block->block();
    if (block.executed.size() == pending.size()) return proposal;
    block.executed.assign(pending.begin(), pending.end());
    auto sealed = consensus::SealedBlock::make(std::move(block));
    if (!sealed) return proposal;
    consensus::Proposal changed = p;
    changed.block = *sealed;
    changed.pol_round = consensus::kNoRound;
    auto signed_proposal = consensus::SignedProposal::sign(std::move(changed), key_);
    return signed_proposal ? Message(*signed_proposal) : Message(proposal);
}

}  // namespace mfd::chain::sim
