#include "chain_sim/block_roots.hpp"

#include "core/keccak.hpp"
#include "core/rlp.hpp"

namespace mfd::chain {

core::Hash root_of_hashes(std::span<const core::Hash> hashes) {
    core::RlpEncoder rlp;
    rlp.begin_list();
    for (const auto& h : hashes) rlp.add_bytes(h.view());
    rlp.end_list();
    auto encoded = rlp.take();
    return core::keccak256(encoded ? *encoded : core::Bytes{});
}

}  // namespace mfd::chain
