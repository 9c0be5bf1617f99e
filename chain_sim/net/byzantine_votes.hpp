#pragma once
/// Byzantine vote tampering shared by the simulated network's nodes and the chain simulator's
/// Byzantine transport. Pure functions of their arguments and the caller's Rng; not thread-safe
/// on a shared Rng.

#include "chain_sim/net/rng.hpp"
#include "consensus/message.hpp"
#include "core/secp256k1.hpp"

namespace mfd::chain::net {

/// A vote of the same validator, height, round and type that conflicts with `vote` (another
/// block for a block vote, a random block for a nil vote), without flags, signed with `key`;
/// null when signing fails. Draws from `rng` only for a nil vote.
[[nodiscard]] consensus::VotePtr equivocal_twin(const consensus::VotePtr& vote,
                                                const core::PrivateKey& key, Rng& rng);

/// `vote` with one random flag added after signing, so its signature no longer matches; `vote`
/// itself when the altered vote cannot be built.
[[nodiscard]] consensus::Message forged_extension(const consensus::VotePtr& vote, Rng& rng);

}  // namespace mfd::chain::net
