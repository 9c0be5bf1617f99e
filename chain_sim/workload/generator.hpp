#pragma once
/// The workload generator: signed Ethereum transactions from honest behaviours and fraud
/// typologies (docs/typologies.md), with ground truth per transaction, written as a labelled
/// stream (docs/workload.md). Deterministic: one seed gives byte-identical output.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "chain_sim/workload/stream_format.hpp"
#include "chain_sim/workload/stream_reader.hpp"

namespace mfd::chain::workload {

/// What to generate.
struct GeneratorConfig {
    std::uint64_t seed = 1;
    WorkloadParams params;
    ChainParams chain;
    std::int64_t start_time_ms = 0;
};

/// Receives the stream as it is generated: the header once, then each record in order.
class RecordSink {
public:
    virtual ~RecordSink() = default;
    /// Called once before any record; an error stops the generator.
    [[nodiscard]] virtual core::Result<void> begin(const StreamHeader& header) = 0;
    /// Called for each record in stream order; an error stops the generator.
    [[nodiscard]] virtual core::Result<void> add(StreamRecord record) = 0;
};

/// What was generated.
struct GenerationSummary {
    std::uint64_t txs = 0;
    std::uint64_t fraud_txs = 0;       ///< label 1
    std::uint64_t rejected_txs = 0;    ///< expected verdict other than valid
    std::uint64_t fresh_accounts = 0;  ///< addresses created after genesis
    std::map<std::string, std::uint64_t> by_typology;
};

/// Checks a configuration: accounts in [40, 10^7], txs in [1, 10^9], fraud_rate in [0, 0.5],
/// tx_interval_ms in [1, 3.6e6], chain id >= 1, min fee cap >= initial base fee, block gas
/// limit >= 1,000,000. Fails with kInvalidArgument naming the parameter.
[[nodiscard]] core::Result<void> validate_config(const GeneratorConfig& config);

/// Generates exactly `config.params.txs` records into `sink`. Fails with kInvalidArgument for
/// a bad configuration, or with the sink's error. Thread-safe (no shared state).
[[nodiscard]] core::Result<GenerationSummary> generate(const GeneratorConfig& config,
                                                       RecordSink& sink);

/// Generates into a stream file at `path` (gzip level `gzip_level`); errors as `generate` and
/// StreamWriter's.
[[nodiscard]] core::Result<GenerationSummary> generate_file(const GeneratorConfig& config,
                                                            const std::filesystem::path& path,
                                                            int gzip_level = 6);

/// Generates into memory (records carry the events the generator built, with the signature
/// status and stateless verdict it planted); errors as `generate`.
[[nodiscard]] core::Result<Stream> generate_stream(const GeneratorConfig& config);

}  // namespace mfd::chain::workload
