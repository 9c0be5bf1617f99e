#pragma once
/// Test support for the chain: deterministic keys, signed transactions, a chain over a
/// MemoryStore with funded accounts, and helpers to run transactions in blocks and read
/// results. Not thread-safe.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "chain_sim/chain.hpp"
#include "core/abi.hpp"
#include "core/keccak.hpp"
#include "core/transaction.hpp"
#include "storage/memory_store.hpp"

namespace mfd::chain::test {

inline constexpr std::uint64_t kChainId = 1337;
inline constexpr std::uint64_t kGasLimit = 30'000'000;
inline const core::U256 kBaseFee = 1'000'000'000;  // 1 gwei
inline const core::U256 kEther = core::U256(1'000'000'000'000'000'000ULL);
inline constexpr int kFundedKeys = 8;

/// Key number `i` (derived from "chain-test-key-<i>").
const core::PrivateKey& key(int i);
/// The address of key `i`.
core::Address addr(int i);
/// An address from a 20-byte hex literal.
core::Address address(std::string_view hex);
/// A proposer that holds nothing at genesis.
core::Address proposer();

/// The config of the tests: kChainId, kGasLimit, kBaseFee and 100 ether to each funded key.
ChainConfig test_config();

/// An EIP-1559 transaction with fee cap 2 gwei and tip 1 gwei unless changed afterwards.
core::Transaction tx_to(std::optional<core::Address> to, std::uint64_t nonce,
                        const core::U256& value, core::Bytes data, std::uint64_t gas_limit);

/// Signs `tx` with key `signer` for kChainId and returns it checked (sender recovered).
core::CheckedTransaction sign(core::Transaction tx, int signer);

/// Calldata: selector (hex, 8 digits) || the given words.
core::Bytes calldata(std::string_view selector_hex, std::initializer_list<core::Hash> words);
/// An address as an ABI word.
core::Hash word_of(const core::Address& a);
/// A number as an ABI word.
core::Hash word_of(const core::U256& v);

/// The deployment payload of `kind` with ABI-encoded constructor values of `types`.
core::Bytes deploy_payload(std::string_view kind, std::string_view constructor_signature,
                           const std::vector<core::abi::Value>& values);

/// A chain over a MemoryStore opened with test_config(), with helpers.
class ChainTest : public ::testing::Test {
protected:
    void SetUp() override;

    /// Builds a block of `txs` and commits it; fails the test on a skipped transaction.
    ExecutedBlock commit_block(const std::vector<core::CheckedTransaction>& txs);
    /// One transaction of key `signer` in its own block; its receipt.
    core::Receipt run(int signer, std::optional<core::Address> to, const core::U256& value,
                      core::Bytes data, std::uint64_t gas_limit = 1'000'000);
    /// Deploys a contract from key `signer`; its address (fails the test on failure).
    core::Address deploy(int signer, core::Bytes payload, const core::U256& value = 0);
    /// eth_call's output (fails the test on failure).
    core::Bytes view(const core::Address& to, core::Bytes data);
    /// The committed balance / nonce of `a`.
    core::U256 balance(const core::Address& a);
    std::uint64_t nonce(const core::Address& a);

    storage::MemoryStore store_;
    std::unique_ptr<Chain> chain_;
};

}  // namespace mfd::chain::test
