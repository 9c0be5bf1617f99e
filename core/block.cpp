#include "core/block.hpp"

#include <string>

#include "core/keccak.hpp"
#include "core/rlp.hpp"
#include "core/transaction.hpp"

namespace mfd::core {
namespace {

constexpr std::size_t kHeaderFields = 11;
constexpr std::size_t kBlockFields = 3;

void add_header(RlpEncoder& enc, const BlockHeader& h) {
    enc.begin_list().add_bytes(h.parent_hash.view()).add_uint(h.number).add_uint(h.timestamp_ms);
    enc.add_bytes(h.proposer.view()).add_bytes(h.state_root.view());
    enc.add_bytes(h.transactions_root.view()).add_bytes(h.receipts_root.view());
    enc.add_bytes(h.consensus_root.view()).add_uint(h.gas_limit).add_uint(h.gas_used);
    enc.add_uint(h.base_fee).end_list();
}

template <std::size_t N>
Result<FixedBytes<N>> fixed(const RlpItem& item, const char* name) {
    auto value = rlp_fixed_bytes<N>(item);
    if (!value) {
        return fail(Errc::kCorruption,
                    std::string("block header ") + name + ": " + value.error().message);
    }
    return value;
}

Result<std::uint64_t> number(const RlpItem& item, const char* name) {
    auto value = rlp_uint64(item);
    if (!value) {
        Error e = value.error();
        e.message = std::string("block header ") + name + ": " + e.message;
        return fail(std::move(e));
    }
    return value;
}

#define MFD_FIELD(target, expr)                   \
    do {                                          \
        auto value_ = (expr);                     \
        if (!value_) return fail(value_.error()); \
        target = *value_;                         \
    } while (false)

Result<BlockHeader> header_from(const RlpItem& top) {
    auto f = rlp_list_items(top);
    if (!f) return fail(f.error());
    if (f->size() != kHeaderFields) {
        return fail(Errc::kRlpWrongFieldCount,
                    "block header has " + std::to_string(f->size()) + " fields, not 11");
    }
    BlockHeader h;
    MFD_FIELD(h.parent_hash, fixed<32>((*f)[0], "parent_hash"));
    MFD_FIELD(h.number, number((*f)[1], "number"));
    MFD_FIELD(h.timestamp_ms, number((*f)[2], "timestamp_ms"));
    MFD_FIELD(h.proposer, fixed<20>((*f)[3], "proposer"));
    MFD_FIELD(h.state_root, fixed<32>((*f)[4], "state_root"));
    MFD_FIELD(h.transactions_root, fixed<32>((*f)[5], "transactions_root"));
    MFD_FIELD(h.receipts_root, fixed<32>((*f)[6], "receipts_root"));
    MFD_FIELD(h.consensus_root, fixed<32>((*f)[7], "consensus_root"));
    MFD_FIELD(h.gas_limit, number((*f)[8], "gas_limit"));
    MFD_FIELD(h.gas_used, number((*f)[9], "gas_used"));
    MFD_FIELD(h.base_fee, rlp_u256((*f)[10]));
    return h;
}

#undef MFD_FIELD

Result<std::vector<Bytes>> transactions_from(const RlpItem& list) {
    auto items = rlp_list_items(list);
    if (!items) return fail(items.error());
    std::vector<Bytes> out;
    out.reserve(items->size());
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto raw = rlp_string((*items)[i]);
        if (!raw) return fail(raw.error());
        auto tx = decode_transaction(*raw);
        if (!tx) {
            Error e = tx.error();
            e.message = "block transaction " + std::to_string(i) + ": " + e.message;
            return fail(std::move(e));
        }
        out.emplace_back(raw->begin(), raw->end());
    }
    return out;
}

}  // namespace

Bytes encode_block_header(const BlockHeader& header) {
    RlpEncoder enc;
    add_header(enc, header);
    return *enc.take();
}

Result<BlockHeader> decode_block_header(ByteView encoded) {
    auto top = rlp_decode(encoded);
    if (!top) return fail(top.error());
    return header_from(*top);
}

Hash block_hash(const BlockHeader& header) {
    return keccak256(encode_block_header(header));
}

Hash transactions_root(std::span<const Bytes> raw_transactions) {
    RlpEncoder enc;
    enc.begin_list();
    for (const Bytes& raw : raw_transactions) enc.add_bytes(keccak256(raw).view());
    enc.end_list();
    return keccak256(*enc.take());
}

Hash consensus_root(ByteView consensus_payload) {
    return keccak256(consensus_payload);
}

void seal_block_body(Block& block) {
    block.header.transactions_root = transactions_root(block.transactions);
    block.header.consensus_root = consensus_root(block.consensus_payload);
}

Result<void> check_block_body(const Block& block) {
    if (block.header.transactions_root != transactions_root(block.transactions)) {
        return fail(Errc::kBlockTxRootMismatch, "block " + std::to_string(block.header.number) +
                                                    ": transactions_root does not match its " +
                                                    std::to_string(block.transactions.size()) +
                                                    " transactions");
    }
    if (block.header.consensus_root != consensus_root(block.consensus_payload)) {
        return fail(Errc::kBlockConsensusRootMismatch,
                    "block " + std::to_string(block.header.number) +
                        ": consensus_root does not match the consensus payload");
    }
    return {};
}

Bytes encode_block(const Block& block) {
    RlpEncoder enc;
    enc.begin_list();
    add_header(enc, block.header);
    enc.begin_list();
    for (const Bytes& raw : block.transactions) enc.add_bytes(raw);
    enc.end_list().add_bytes(block.consensus_payload).end_list();
    return *enc.take();
}

Result<Block> decode_block(ByteView encoded) {
    auto top = rlp_decode(encoded);
    if (!top) return fail(top.error());
    auto parts = rlp_list_items(*top);
    if (!parts) return fail(parts.error());
    if (parts->size() != kBlockFields) {
        return fail(Errc::kRlpWrongFieldCount,
                    "block has " + std::to_string(parts->size()) + " parts, not 3");
    }
    Block block;
    auto header = header_from((*parts)[0]);
    if (!header) return fail(header.error());
    block.header = *header;
    auto txs = transactions_from((*parts)[1]);
    if (!txs) return fail(txs.error());
    block.transactions = std::move(*txs);
    auto payload = rlp_string((*parts)[2]);
    if (!payload) return fail(payload.error());
    block.consensus_payload.assign(payload->begin(), payload->end());
    if (auto body = check_block_body(block); !body) return fail(body.error());
    return block;
}

}  // namespace mfd::core
