#pragma once
/// Labelled transactions for fraudctl's train and eval commands: simulator streams (files the
/// generator wrote, or generated in memory) and Etherscan txlist exports with per-account
/// labels, as the event sequences the detector replays.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/tx_event.hpp"
#include "fraud/feature_extractor.hpp"
#include "fraud/feature_rows.hpp"

namespace mfd::tools {

/// A labelled sequence in replay order.
struct LabelledEvents {
    std::vector<core::TxEvent> events;
    /// Per event: fraud::kObserve (the chain included it), kRefusedStale or kSkip.
    std::vector<std::uint8_t> observe;
    std::vector<fraud::TxContext> contexts;  ///< empty, or one per event (sender balances)
    std::vector<float> labels;               ///< 0/1 per event
    std::vector<std::string> typologies;     ///< per event
    std::vector<core::Address> accounts;     ///< Etherscan: the labelled account of each row
};

/// Simulated traffic: a stream file, or `sim:SEED:ACCOUNTS:TXS:FRAUD_RATE` generated in memory.
/// Events are in stream order; those the chain rejects are scored but not observed; contexts
/// carry each sender's balance from the genesis allocations and the included transactions.
/// Fails with the stream reader's or the generator's error, or kInvalidArgument for a bad spec.
[[nodiscard]] core::Result<LabelledEvents> load_simulated(std::string_view source);

/// An Etherscan export: rows merged in chain order (by time), each labelled with its account's
/// label; a transaction listed under two accounts is observed once. Rows of accounts missing
/// from `labels` are dropped. Fails with the importer's error.
[[nodiscard]] core::Result<LabelledEvents> load_etherscan(const std::filesystem::path& txs,
                                                          const std::filesystem::path& labels);

/// Appends `b` to `a` (the histories of the two replays do not mix when replayed separately;
/// use this only to pool rows).
void append(LabelledEvents& a, LabelledEvents&& b);

}  // namespace mfd::tools
