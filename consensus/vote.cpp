#include "consensus/vote.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "consensus/wire.hpp"
#include "core/keccak.hpp"

namespace mfd::consensus {

core::Result<void> check_vote_shape(const Vote& vote) {
    if (vote.type != VoteType::kPrevote && vote.type != VoteType::kPrecommit) {
        return core::fail(core::Errc::kInvalidArgument, "unknown vote type");
    }
    if (vote.height < 1 || vote.round < 0) {
        return core::fail(core::Errc::kInvalidArgument,
                          "vote height " + std::to_string(vote.height) + " / round " +
                              std::to_string(vote.round) + " out of range");
    }
    if (!vote.has_extension() && !vote.flags.empty()) {
        return core::fail(core::Errc::kInvalidArgument,
                          "only a precommit for a block may carry flags");
    }
    if (vote.flags.size() > kMaxWireFlags) {
        return core::fail(core::Errc::kLimitExceeded,
                          std::to_string(vote.flags.size()) + " flags exceed the wire limit");
    }
    for (std::size_t i = 0; i < vote.flags.size(); ++i) {
        if (vote.flags[i].score > kMaxScore) {
            return core::fail(core::Errc::kInvalidArgument, "flag score above kMaxScore");
        }
        if (i > 0 && !(vote.flags[i - 1].tx < vote.flags[i].tx)) {
            return core::fail(core::Errc::kInvalidArgument,
                              "flags must be strictly ascending by transaction hash");
        }
    }
    return {};
}

std::vector<FraudFlag> normalise_flags(std::vector<FraudFlag> flags, std::size_t cap) {
    for (FraudFlag& f : flags) f.score = std::min(f.score, kMaxScore);
    std::sort(flags.begin(), flags.end(), [](const FraudFlag& a, const FraudFlag& b) {
        return a.tx != b.tx ? a.tx < b.tx : a.score > b.score;
    });
    flags.erase(std::unique(flags.begin(), flags.end(),
                            [](const FraudFlag& a, const FraudFlag& b) { return a.tx == b.tx; }),
                flags.end());
    if (flags.size() > cap) {
        std::sort(flags.begin(), flags.end(), [](const FraudFlag& a, const FraudFlag& b) {
            return a.score != b.score ? a.score > b.score : a.tx < b.tx;
        });
        flags.resize(cap);
        std::sort(flags.begin(), flags.end(),
                  [](const FraudFlag& a, const FraudFlag& b) { return a.tx < b.tx; });
    }
    return flags;
}

core::Result<void> check_signature_shape(const core::Signature& signature) {
    if (!core::is_valid_scalar(signature.r) || !core::is_valid_scalar(signature.s)) {
        return core::fail(core::Errc::kInvalidArgument, "signature r or s outside [1, n-1]");
    }
    if (core::is_high_s(signature.s)) {
        return core::fail(core::Errc::kInvalidArgument, "signature s is high (not canonical)");
    }
    if (signature.y_parity > 1) {
        return core::fail(core::Errc::kInvalidArgument, "signature parity must be 0 or 1");
    }
    return {};
}

SignedVote::SignedVote(Key, Vote vote, const core::Signature& signature, const core::Hash& digest)
    : vote_(std::move(vote)), signature_(signature), digest_(digest) {}

void SignedVote::remember_signer(const core::PublicKey& key) const {
    std::call_once(remembered_, [&] {
        signer_ = key;
        known_.store(true, std::memory_order_release);
    });
}

bool SignedVote::verified_for(const core::PublicKey& key) const noexcept {
    return known_.load(std::memory_order_acquire) &&
           std::memcmp(signer_.xy.data(), key.xy.data(), key.xy.size()) == 0;
}

core::Result<VotePtr> SignedVote::make(Vote vote, const core::Signature& signature) {
    if (auto r = check_vote_shape(vote); !r) return core::fail(r.error());
    if (auto r = check_signature_shape(signature); !r) return core::fail(r.error());
    const core::Hash digest = core::keccak256(vote_sign_bytes(vote));
    return std::make_shared<const SignedVote>(Key{}, std::move(vote), signature, digest);
}

core::Result<VotePtr> SignedVote::sign(Vote vote, const core::PrivateKey& key) {
    if (auto r = check_vote_shape(vote); !r) return core::fail(r.error());
    const core::Hash digest = core::keccak256(vote_sign_bytes(vote));
    const core::Signature signature = core::sign(key, digest);
    return std::make_shared<const SignedVote>(Key{}, std::move(vote), signature, digest);
}

}  // namespace mfd::consensus
