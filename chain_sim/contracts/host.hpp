#pragma once
/// The execution environment of the built-in contracts for one transaction: gas metering,
/// storage reads and writes, logs, Ether movements, and calls dispatched by address → kind →
/// function table → handler. Every call and deployment takes a checkpoint and rolls its state
/// changes and logs back when it fails; the failure (kRevert, kOutOfGas, kAbiDecode,
/// kUnknownSelector) is passed up to the caller. Not thread-safe (one host per transaction).

#include <cstdint>
#include <vector>

#include "chain_sim/state_overlay.hpp"
#include "core/receipt.hpp"
#include "core/result.hpp"

namespace mfd::chain::contracts {

/// A call: who calls, whom, with how much Ether and which calldata.
struct Message {
    core::Address caller;
    core::Address to;
    core::U256 value;
    core::ByteView data;
};

class Host {
public:
    /// A host executing against `state` with `gas` to spend; `state` must outlive it.
    Host(StateOverlay& state, std::uint64_t gas) noexcept : state_(&state), gas_left_(gas) {}

    /// Runs a top-level call: moves the value (kRevert when the caller's balance is short), and
    /// if `to` is a contract dispatches the calldata to its function (a plain account takes the
    /// value and ignores the data). Returns the ABI-encoded output, or the failure after rolling
    /// the call back.
    [[nodiscard]] core::Result<core::Bytes> call(const Message& message);

    /// A call made by a contract: charges the call (and value) cost and the depth limit, then
    /// runs as `call`.
    [[nodiscard]] core::Result<core::Bytes> nested_call(const Message& message);

    /// Deploys `payload` (kind tag || ABI constructor arguments) at Ethereum's CREATE address of
    /// (`sender`, `nonce`) with `value`, runs the constructor and returns the address. A
    /// malformed payload, a kind that holds no Ether given some, or an occupied address fail
    /// (kUnknownSelector, kAbiDecode, kRevert), rolled back.
    [[nodiscard]] core::Result<core::Address> create(const core::Address& sender,
                                                     std::uint64_t nonce, const core::U256& value,
                                                     core::ByteView payload);

    /// Spends `gas`; kOutOfGas (leaving nothing) when less is left.
    [[nodiscard]] core::Result<void> charge(std::uint64_t gas);
    /// Reads a storage slot of `contract`, charging a read.
    [[nodiscard]] core::Result<core::Hash> load(const core::Address& contract,
                                                const core::Hash& slot);
    /// Writes a storage slot of `contract`, charging by the schedule (set, update or no-op).
    [[nodiscard]] core::Result<void> store(const core::Address& contract, const core::Hash& slot,
                                           const core::Hash& value);
    /// Records a log, charging per log, topic and data byte.
    [[nodiscard]] core::Result<void> emit(const core::Address& contract,
                                          std::vector<core::Hash> topics, core::Bytes data);
    /// Moves Ether between accounts without calling anyone; kRevert when `from` is short.
    [[nodiscard]] core::Result<void> move_value(const core::Address& from, const core::Address& to,
                                                const core::U256& amount);

    /// Whether a contract of the kind with `tag` lives at `address`.
    [[nodiscard]] bool has_kind(const core::Address& address, std::uint32_t tag);

    /// Gas not yet spent (0 after running out).
    [[nodiscard]] std::uint64_t gas_left() const noexcept { return gas_left_; }
    /// The state the calls run on.
    [[nodiscard]] StateOverlay& state() noexcept { return *state_; }
    /// The logs of the successful calls so far, in order.
    [[nodiscard]] std::vector<core::Log>& logs() noexcept { return logs_; }

private:
    [[nodiscard]] core::Result<core::Bytes> dispatch(const Message& message);
    [[nodiscard]] core::Result<void> deploy(const Message& message, core::ByteView payload);
    void roll_back(std::size_t state_checkpoint, std::size_t log_count);

    StateOverlay* state_;
    std::uint64_t gas_left_;
    unsigned depth_ = 0;
    std::vector<core::Log> logs_;
};

/// Ethereum's CREATE address: keccak256(rlp([sender, nonce]))[12:].
[[nodiscard]] core::Address create_address(const core::Address& sender, std::uint64_t nonce);

}  // namespace mfd::chain::contracts
