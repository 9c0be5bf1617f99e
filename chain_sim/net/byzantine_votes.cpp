#include "chain_sim/net/byzantine_votes.hpp"

#include <utility>

#include "consensus/vote.hpp"

namespace mfd::chain::net {

consensus::VotePtr equivocal_twin(const consensus::VotePtr& vote, const core::PrivateKey& key,
                                  Rng& rng) {
    consensus::Vote other = vote->vote();
    other.flags.clear();
    if (other.is_nil()) {
        for (auto& b : other.block.bytes) b = static_cast<std::uint8_t>(rng.next());
    } else {
        other.block = consensus::BlockId{};
    }
    auto twin = consensus::SignedVote::sign(std::move(other), key);
    return twin ? *twin : consensus::VotePtr{};
}

consensus::Message forged_extension(const consensus::VotePtr& vote, Rng& rng) {
    consensus::Vote altered = vote->vote();
    consensus::FraudFlag fake;
    for (auto& b : fake.tx.bytes) b = static_cast<std::uint8_t>(rng.next());
    fake.score = consensus::kMaxScore;
    altered.flags.push_back(fake);
    altered.flags = consensus::normalise_flags(std::move(altered.flags), altered.flags.size());
    auto forged = consensus::SignedVote::make(std::move(altered), vote->signature());
    return forged ? consensus::Message(*forged) : consensus::Message(vote);
}

}  // namespace mfd::chain::net
