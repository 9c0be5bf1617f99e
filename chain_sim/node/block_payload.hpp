#pragma once
/// The application payload of a consensus block: the proposer's timestamp and the raw bytes of
/// the transactions the block announces, in announcement order, as one RLP list
/// [timestamp_ms, [raw, ...]]. Pure functions; thread-safe.

#include <cstdint>
#include <vector>

#include "core/bytes.hpp"

namespace mfd::chain::node {

/// What a proposer puts into its block's payload.
struct ProposalPayload {
    std::uint64_t timestamp_ms = 0;  ///< the chain block's timestamp (simulated clock)
    std::vector<core::Bytes> txs;    ///< raw bytes of the announced candidates, in order
    friend bool operator==(const ProposalPayload&, const ProposalPayload&) = default;
};

/// The canonical encoding.
[[nodiscard]] core::Bytes encode_payload(const ProposalPayload& payload);

/// Decodes untrusted bytes: canonical RLP, a two-item list, a 64-bit timestamp, a list of byte
/// strings. Fails with the RLP reason or kRlpWrongFieldCount / kRlpExpectedList /
/// kRlpExpectedString naming the item.
[[nodiscard]] core::Result<ProposalPayload> decode_payload(core::ByteView bytes);

}  // namespace mfd::chain::node
