#pragma once
/// The labelled transaction stream (docs/workload.md): a gzip file of JSON lines, one header
/// line then one line per transaction. These are its in-memory types; stream_writer.hpp and
/// stream_reader.hpp move them to and from files.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/secp256k1.hpp"
#include "core/tx_event.hpp"
#include "core/uint256.hpp"

namespace mfd::chain::workload {

/// The "format" value of every header line.
inline constexpr std::string_view kStreamFormatName = "mfd-workload-stream";
/// The format version this code writes and the only one it reads.
inline constexpr int kStreamFormatVersion = 2;

/// One genesis allocation: an account and the wei it starts with.
struct GenesisAlloc {
    core::Address address;
    core::U256 balance;
    friend bool operator==(const GenesisAlloc&, const GenesisAlloc&) = default;
};

/// The chain the stream was generated for. Wallets set their fees against the initial base
/// fee, which a chain that floors its base fee there (ChainConfig::min_base_fee) keeps while
/// blocks stay under the gas target; every fee cap is at least `min_fee_cap`, and the stream is
/// valid as long as the chain's base fee stays at or below it.
struct ChainParams {
    std::uint64_t chain_id = 1337;
    core::U256 initial_base_fee = core::U256(1'000'000'000);  ///< 1 gwei (EIP-1559's initial)
    std::uint64_t block_gas_limit = 30'000'000;
    core::U256 min_fee_cap = core::U256(1'000'000'000);  ///< 1 gwei
    friend bool operator==(const ChainParams&, const ChainParams&) = default;
};

/// The generator's parameters, recorded in the header so that a stream says how it was made.
struct WorkloadParams {
    std::uint64_t accounts = 1000;       ///< genesis accounts (fresh addresses come on top)
    std::uint64_t txs = 10000;           ///< transactions written
    double fraud_rate = 0.05;            ///< target fraction of transactions labelled 1
    std::uint64_t tx_interval_ms = 100;  ///< mean time between honest transactions
    friend bool operator==(const WorkloadParams&, const WorkloadParams&) = default;
};

/// The first line of a stream.
struct StreamHeader {
    int version = kStreamFormatVersion;
    std::uint64_t seed = 0;
    WorkloadParams params;
    ChainParams chain;
    std::int64_t start_time_ms = 0;
    std::vector<GenesisAlloc> genesis;
    friend bool operator==(const StreamHeader&, const StreamHeader&) = default;
};

/// One transaction line: the event (raw bytes, hash, claimed sender, time, label, typology,
/// roles), the verdict the chain must reach when the stream is applied in order, and the
/// earlier records of other senders it needs executed first (funds it spends, the contract it
/// calls, the allowance it uses); the sender's own earlier nonces come first anyway.
struct StreamRecord {
    std::uint64_t index = 0;
    core::TxEvent event;
    /// core::Errc::kOk: the chain must include it; otherwise the reason it must reject it.
    core::Errc expected = core::Errc::kOk;
    std::vector<std::uint64_t> after;  ///< ascending record indices, all below `index`
    /// The key that signed it, when generated in memory (never written to files): a
    /// simulated wallet uses it to fill a nonce that the chain kept out.
    std::optional<core::PrivateKey> signer;
};

/// "valid" for kOk, else the reason's ethereum/tests-style name (core::reason_name).
[[nodiscard]] std::string expected_verdict_name(core::Errc code);

/// The inverse of `expected_verdict_name`; kCorruption naming `name` when no reason has it.
[[nodiscard]] core::Result<core::Errc> parse_expected_verdict(std::string_view name);

}  // namespace mfd::chain::workload
