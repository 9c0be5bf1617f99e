#include "consensus/evidence.hpp"

#include "core/keccak.hpp"

namespace mfd::consensus {

core::Result<EvidencePtr> Evidence::make(VotePtr a, VotePtr b) {
    if (!a || !b) return core::fail(core::Errc::kInvalidArgument, "evidence needs two votes");
    const Vote& x = a->vote();
    const Vote& y = b->vote();
    if (x.validator != y.validator || x.validator_index != y.validator_index ||
        x.chain_id != y.chain_id || x.height != y.height || x.round != y.round ||
        x.type != y.type) {
        return core::fail(core::Errc::kInvalidArgument,
                          "evidence votes differ in validator, chain, height, round or type");
    }
    if (x.block == y.block) {
        return core::fail(core::Errc::kInvalidArgument, "evidence votes name the same block");
    }
    if (b->digest() < a->digest()) std::swap(a, b);
    return std::make_shared<const Evidence>(Key{}, std::move(a), std::move(b));
}

Evidence::Evidence(Key, VotePtr first, VotePtr second)
    : first_(std::move(first)), second_(std::move(second)) {
    core::Keccak256 h;
    h.update(first_->digest().view());
    h.update(second_->digest().view());
    hash_ = h.finish();
}

}  // namespace mfd::consensus
