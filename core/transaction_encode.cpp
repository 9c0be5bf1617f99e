// encode_transaction, transaction_hash and signing_hash: the canonical envelopes.
#include "core/keccak.hpp"
#include "core/rlp.hpp"
#include "core/transaction.hpp"

namespace mfd::core {
namespace {

void add_access_list(RlpEncoder& enc, const AccessList& list) {
    enc.begin_list();
    for (const AccessListEntry& entry : list) {
        enc.begin_list().add_bytes(entry.address.view()).begin_list();
        for (const Hash& key : entry.storage_keys) enc.add_bytes(key.view());
        enc.end_list().end_list();
    }
    enc.end_list();
}

// The fields every type shares, from the nonce to the data (and the access list when typed).
void add_body(RlpEncoder& enc, const Transaction& tx) {
    if (tx.type != TxType::kLegacy) enc.add_uint(tx.chain_id.value_or(0));
    enc.add_uint(tx.nonce);
    if (tx.type == TxType::kDynamicFee) {
        enc.add_uint(tx.max_priority_fee_per_gas).add_uint(tx.max_fee_per_gas);
    } else {
        enc.add_uint(tx.gas_price);
    }
    enc.add_uint(tx.gas_limit);
    enc.add_bytes(tx.to ? tx.to->view() : ByteView{});
    enc.add_uint(tx.value).add_bytes(tx.data);
    if (tx.type != TxType::kLegacy) add_access_list(enc, tx.access_list);
}

// Type byte (typed only) followed by the RLP list `enc` built.
Bytes envelope(const Transaction& tx, RlpEncoder& enc) {
    Bytes list = *enc.take();
    if (tx.type == TxType::kLegacy) return list;
    Bytes out{static_cast<std::uint8_t>(tx.type)};
    append(out, list);
    return out;
}

}  // namespace

Bytes encode_transaction(const Transaction& tx) {
    RlpEncoder enc;
    enc.begin_list();
    add_body(enc, tx);
    if (tx.type == TxType::kLegacy) {
        enc.add_uint(tx.v);
    } else {
        enc.add_uint(std::uint64_t{tx.y_parity});
    }
    enc.add_uint(tx.r).add_uint(tx.s).end_list();
    return envelope(tx, enc);
}

Hash transaction_hash(const Transaction& tx) {
    return keccak256(encode_transaction(tx));
}

Hash signing_hash(const Transaction& tx) {
    RlpEncoder enc;
    enc.begin_list();
    add_body(enc, tx);
    if (tx.type == TxType::kLegacy && tx.chain_id) {
        enc.add_uint(*tx.chain_id).add_uint(std::uint64_t{0}).add_uint(std::uint64_t{0});
    }
    enc.end_list();
    return keccak256(envelope(tx, enc));
}

}  // namespace mfd::core
