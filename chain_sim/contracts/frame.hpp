#pragma once
/// What a contract function sees while it runs (the host, the message, the contract's stored
/// constructor arguments), and the small helpers the handlers share: reverts, 32-byte words,
/// Solidity-style slot derivation and metered loads/stores of numbers. Not thread-safe (a frame
/// lives inside one call).

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "chain_sim/contracts/host.hpp"
#include "core/abi.hpp"

namespace mfd::chain::contracts {

/// One running call of a contract function.
struct Frame {
    Host& host;
    const Message& message;
    core::ByteView code_args;  ///< the constructor arguments stored with the contract

    /// The running contract.
    [[nodiscard]] const core::Address& self() const noexcept { return message.to; }
    /// Who called it (msg.sender).
    [[nodiscard]] const core::Address& caller() const noexcept { return message.caller; }
};

using Args = std::vector<core::abi::Value>;

/// A kRevert failure with `message` (Solidity's revert reason).
[[nodiscard]] core::Unexpected revert(std::string message);

/// The 32-byte big-endian word of a number.
[[nodiscard]] inline core::Hash word(const core::U256& v) noexcept {
    return v.to_be32();
}
/// The number in a 32-byte word.
[[nodiscard]] core::U256 number(const core::Hash& w) noexcept;
/// An address left-padded to a word (how Solidity keys a mapping by address).
[[nodiscard]] core::Hash address_word(const core::Address& a) noexcept;
/// The address in the low 20 bytes of a word.
[[nodiscard]] core::Address word_address(const core::Hash& w) noexcept;
/// Storage slot number `n`.
[[nodiscard]] inline core::Hash slot_at(std::uint64_t n) noexcept {
    return core::U256(n).to_be32();
}
/// Solidity's mapping slot: keccak256(key || base).
[[nodiscard]] core::Hash mapping_slot(const core::Hash& key, const core::Hash& base) noexcept;
/// `base` + `offset` as numbers (consecutive slots of a struct or array).
[[nodiscard]] core::Hash offset_slot(const core::Hash& base, std::uint64_t offset) noexcept;

/// Concatenated 32-byte words: the ABI encoding of static outputs (uint, address, bool).
[[nodiscard]] core::Bytes encode_words(std::initializer_list<core::U256> words);

/// A metered read of a number.
[[nodiscard]] core::Result<core::U256> load_number(Frame& f, const core::Hash& slot);
/// A metered write of a number.
[[nodiscard]] core::Result<void> store_number(Frame& f, const core::Hash& slot,
                                              const core::U256& v);

/// The contract's constructor arguments decoded as `types` (kInternal if the stored record no
/// longer decodes, which deployment rules out).
[[nodiscard]] core::Result<Args> code_args(const Frame& f,
                                           const std::vector<core::abi::Type>& types);

}  // namespace mfd::chain::contracts
