#pragma once
/// The registry of built-in contract kinds: each kind's tag, constructor, whether it holds
/// Ether, and its function table (selector → ABI signature, payable flag, handler). Tables are
/// built once on first use. Thread-safe: read-only after construction (static initialisation).

#include <cstdint>
#include <string_view>
#include <vector>

#include "chain_sim/contracts/frame.hpp"

namespace mfd::chain::contracts {

/// Runs a function: decoded arguments in, ABI-encoded output (or a failure) out.
using Handler = core::Result<core::Bytes> (*)(Frame& frame, const Args& args);

/// One entry of a function table.
struct Function {
    core::abi::Signature signature;
    bool payable = false;
    Handler handler = nullptr;
};

/// A contract kind.
struct KindSpec {
    std::string_view name;             ///< "ERC20", "Escrow", "SwapPool", "Multisig"
    std::uint32_t tag = 0;             ///< kind_tag(name)
    bool holds_ether = false;          ///< accepts a deployment value
    core::abi::Signature constructor;  ///< the constructor's parameter types
    Handler construct = nullptr;       ///< initialises storage (the deploy value is credited)
    std::vector<Function> functions;

    /// The function with `selector`, nullptr when the kind has none.
    [[nodiscard]] const Function* find(std::uint32_t selector) const noexcept;
};

/// The kind tag of `name`: the first 4 bytes of keccak256("mfd.contract." + name), big-endian.
[[nodiscard]] std::uint32_t kind_tag(std::string_view name);

/// The kind with `tag`, nullptr when there is none.
[[nodiscard]] const KindSpec* kind_by_tag(std::uint32_t tag) noexcept;

/// The four built-in kinds.
[[nodiscard]] const KindSpec& erc20_kind();
[[nodiscard]] const KindSpec& escrow_kind();
[[nodiscard]] const KindSpec& swap_pool_kind();
[[nodiscard]] const KindSpec& multisig_kind();

/// Builds a table entry from a signature known to parse (the tables' own constants).
[[nodiscard]] Function make_function(std::string_view signature, Handler handler,
                                     bool payable = false);

}  // namespace mfd::chain::contracts
