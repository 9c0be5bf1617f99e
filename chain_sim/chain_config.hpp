#pragma once
/// The parameters a chain starts from: chain id, block gas limit, initial base fee and the
/// genesis allocations. Thread-safe: values and pure functions.

#include <cstdint>
#include <vector>

#include "core/bytes.hpp"
#include "core/uint256.hpp"

namespace mfd::chain {

/// Ether given to an address in the genesis block.
struct GenesisAllocation {
    core::Address address;
    core::U256 balance;
};

/// What genesis (block 0) commits and every later block is checked against.
struct ChainConfig {
    std::uint64_t chain_id = 1;
    std::uint64_t block_gas_limit = 30'000'000;
    core::U256 initial_base_fee = 1'000'000'000;  ///< the base fee of blocks 0 and 1
    /// The base fee never falls below this (0: EIP-1559's rule alone). A floor keeps fees
    /// stable on a chain whose blocks stay under the gas target, as chains such as Avalanche's
    /// C-chain and OP Stack chains do; at most the initial base fee.
    core::U256 min_base_fee;
    std::uint64_t genesis_timestamp_ms = 0;
    /// Accept legacy transactions without EIP-155 replay protection.
    bool allow_unprotected = true;
    std::vector<GenesisAllocation> allocations;
};

/// Checks a configuration: chain id >= 1, block gas limit >= 21000, a non-zero initial base
/// fee, a base fee floor at most the initial base fee, distinct allocation addresses and a total allocation within 256 bits (so no balance can
/// overflow later). Fails with kInvalidArgument naming the problem.
[[nodiscard]] core::Result<void> validate_config(const ChainConfig& config);

/// A digest of the parameters that must not change across restarts (everything but the
/// transaction-acceptance flag): stored at genesis and compared when a store is reopened.
[[nodiscard]] core::Hash config_digest(const ChainConfig& config);

}  // namespace mfd::chain
