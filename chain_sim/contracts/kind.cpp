#include "chain_sim/contracts/kind.hpp"

#include <array>
#include <string>

#include "core/keccak.hpp"

namespace mfd::chain::contracts {

const Function* KindSpec::find(std::uint32_t selector) const noexcept {
    for (const auto& f : functions) {
        if (f.signature.selector == selector) return &f;
    }
    return nullptr;
}

std::uint32_t kind_tag(std::string_view name) {
    return core::function_selector("mfd.contract." + std::string(name));
}

const KindSpec* kind_by_tag(std::uint32_t tag) noexcept {
    static const std::array<const KindSpec*, 4> kinds = {&erc20_kind(), &escrow_kind(),
                                                         &swap_pool_kind(), &multisig_kind()};
    for (const KindSpec* k : kinds) {
        if (k->tag == tag) return k;
    }
    return nullptr;
}

Function make_function(std::string_view signature, Handler handler, bool payable) {
    return Function{*core::abi::parse_signature(signature), payable, handler};
}

}  // namespace mfd::chain::contracts
