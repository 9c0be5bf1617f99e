#pragma once
/// The transactions a simulated run feeds its validators: the workload generator's labelled
/// stream, generated in process from a seed or read from a stream file (docs/workload.md), with
/// the genesis that funds its senders and the ground truth the report is measured against.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "chain_sim/chain_config.hpp"
#include "chain_sim/workload/stream_format.hpp"
#include "core/bytes.hpp"
#include "core/error.hpp"
#include "core/result.hpp"
#include "core/secp256k1.hpp"

namespace mfd::chain::sim {

/// One transaction of the traffic with its ground truth.
struct TrafficTx {
    core::Bytes raw;
    core::Hash hash;
    std::int64_t at_ms = 0;                 ///< when it is sent, from the start of the traffic
    std::int8_t label = 0;                  ///< 1 fraud, 0 honest
    std::string typology;                   ///< "fraud:phishing", "honest:retail", ...
    std::string sender_role;                ///< "victim", "weak_key_first", ...
    core::Errc expected = core::Errc::kOk;  ///< the chain's verdict applied in stream order
    core::Transaction tx;                   ///< decoded
    std::optional<core::Address> signer;    ///< recovered (else the claimed sender)
    std::vector<std::uint64_t> after;       ///< traffic indices it needs executed first
    /// The signer's key, when the traffic was generated in this process (stream files carry
    /// none): lets the wallet fill a nonce the chain kept out.
    std::optional<core::PrivateKey> key;
};

/// Where the traffic comes from.
struct TrafficOptions {
    std::optional<std::filesystem::path> file;  ///< a stream file; else generated from below
    std::uint64_t seed = 1;
    workload::WorkloadParams params;
    std::uint64_t chain_id = 1337;
    std::uint64_t block_gas_limit = 30'000'000;
};

struct Traffic {
    workload::StreamHeader header;
    std::vector<TrafficTx> txs;  ///< in stream order
};

/// Generates or reads the traffic. Fails with the generator's kInvalidArgument (a parameter out
/// of range, named) or the reader's errors (kNotFound, kCorruption naming path:line).
/// Thread-safe.
[[nodiscard]] core::Result<Traffic> load_traffic(const TrafficOptions& options);

/// The chain configuration of the stream: its chain id, gas limit, base fee and genesis, plus
/// the dev account (dev_key()) funded with kDevBalance.
[[nodiscard]] ChainConfig chain_config_of(const workload::StreamHeader& header);

/// The dev account's key: the same for every run, so that a wallet (ethers.js, cast) can send
/// transactions to a simulated chain (docs/simulator.md). Never use it on a real chain.
[[nodiscard]] core::PrivateKey dev_key();
/// The dev account's genesis balance: 1,000 ether (what the traffic's developers hold, so that
/// the dev account looks like an ordinary account to the detector).
[[nodiscard]] core::U256 dev_balance();

}  // namespace mfd::chain::sim
