#include "chain_sim/workload/generator.hpp"

#include "chain_sim/workload/simulation.hpp"
#include "chain_sim/workload/stream_writer.hpp"

namespace mfd::chain::workload {
namespace {

core::Unexpected invalid(const std::string& what) {
    return core::fail(core::Errc::kInvalidArgument, what);
}

/// Writes what it receives to a stream file.
class FileSink final : public RecordSink {
public:
    FileSink(std::filesystem::path path, int level) : path_(std::move(path)), level_(level) {}

    core::Result<void> begin(const StreamHeader& header) override {
        auto writer = StreamWriter::create(path_, header, level_);
        if (!writer) return core::fail(writer.error());
        writer_.emplace(std::move(*writer));
        return {};
    }
    core::Result<void> add(StreamRecord record) override { return writer_->write(record); }
    core::Result<void> close() { return writer_ ? writer_->close() : core::Result<void>{}; }

private:
    std::filesystem::path path_;
    int level_;
    std::optional<StreamWriter> writer_;
};

/// Keeps what it receives.
class MemorySink final : public RecordSink {
public:
    core::Result<void> begin(const StreamHeader& header) override {
        stream.header = header;
        return {};
    }
    core::Result<void> add(StreamRecord record) override {
        stream.records.push_back(std::move(record));
        return {};
    }
    Stream stream;
};

}  // namespace

core::Result<void> validate_config(const GeneratorConfig& c) {
    const WorkloadParams& p = c.params;
    if (p.accounts < 40 || p.accounts > 10'000'000) return invalid("accounts must be 40..10^7");
    if (p.txs < 1 || p.txs > 1'000'000'000) return invalid("txs must be 1..10^9");
    if (!(p.fraud_rate >= 0.0 && p.fraud_rate <= 0.5)) return invalid("fraud rate must be 0..0.5");
    if (p.tx_interval_ms < 1 || p.tx_interval_ms > 3'600'000) {
        return invalid("tx interval must be 1..3,600,000 ms");
    }
    if (c.chain.chain_id < 1) return invalid("chain id must be at least 1");
    if (c.chain.min_fee_cap < c.chain.initial_base_fee) {
        return invalid("min fee cap must be at least the initial base fee");
    }
    if (c.chain.min_fee_cap > core::U256(1'000'000'000'000ULL)) {
        return invalid("min fee cap must be at most 1000 gwei");
    }
    if (c.chain.block_gas_limit < 1'000'000) return invalid("block gas limit must be >= 1,000,000");
    return {};
}

core::Result<GenerationSummary> generate(const GeneratorConfig& config, RecordSink& sink) {
    if (auto ok = validate_config(config); !ok) return core::fail(ok.error());
    detail::Simulation sim(config, sink);
    return sim.run();
}

core::Result<GenerationSummary> generate_file(const GeneratorConfig& config,
                                              const std::filesystem::path& path, int gzip_level) {
    FileSink sink(path, gzip_level);
    auto summary = generate(config, sink);
    auto closed = sink.close();
    if (!summary) return summary;
    if (!closed) return core::fail(closed.error());
    return summary;
}

core::Result<Stream> generate_stream(const GeneratorConfig& config) {
    MemorySink sink;
    auto summary = generate(config, sink);
    if (!summary) return core::fail(summary.error());
    return std::move(sink.stream);
}

}  // namespace mfd::chain::workload
