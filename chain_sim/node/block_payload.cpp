#include "chain_sim/node/block_payload.hpp"

#include "core/rlp.hpp"

namespace mfd::chain::node {

core::Bytes encode_payload(const ProposalPayload& payload) {
    core::RlpEncoder enc;
    enc.begin_list().add_uint(payload.timestamp_ms).begin_list();
    for (const auto& tx : payload.txs) enc.add_bytes(tx);
    enc.end_list().end_list();
    auto bytes = enc.take();
    return bytes ? std::move(*bytes) : core::Bytes{};
}

core::Result<ProposalPayload> decode_payload(core::ByteView bytes) {
    auto top = core::rlp_decode(bytes);
    if (!top) return core::fail(top.error());
    auto fields = core::rlp_list_items(*top);
    if (!fields) return core::fail(fields.error());
    if (fields->size() != 2) {
        return core::fail(core::Errc::kRlpWrongFieldCount,
                          "block payload: expected [timestamp, txs], got " +
                              std::to_string(fields->size()) + " items");
    }
    ProposalPayload out;
    auto ts = core::rlp_uint64((*fields)[0]);
    if (!ts) return core::fail(ts.error().code, "block payload timestamp: " + ts.error().message);
    out.timestamp_ms = *ts;
    auto txs = core::rlp_list_items((*fields)[1]);
    if (!txs) return core::fail(txs.error().code, "block payload txs: " + txs.error().message);
    out.txs.reserve(txs->size());
    for (const auto& item : *txs) {
        auto raw = core::rlp_string(item);
        if (!raw) {
            return core::fail(
                raw.error().code,
                "block payload tx " + std::to_string(out.txs.size()) + ": " + raw.error().message);
        }
        out.txs.emplace_back(raw->begin(), raw->end());
    }
    return out;
}

}  // namespace mfd::chain::node
