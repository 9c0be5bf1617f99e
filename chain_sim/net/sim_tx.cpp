#include "chain_sim/net/sim_tx.hpp"

#include "consensus/wire.hpp"
#include "core/keccak.hpp"

namespace mfd::chain::net {

namespace {
bool has_key(TxKind k) {
    return k == TxKind::kBond || k == TxKind::kUnbond;
}
}  // namespace

core::Bytes encode_tx(const SimTx& tx) {
    core::Bytes out;
    consensus::WireWriter w(out);
    w.u8(static_cast<std::uint8_t>(tx.kind));
    w.u64(tx.id);
    if (has_key(tx.kind)) {
        w.bytes(core::ByteView(tx.key.xy.data(), tx.key.xy.size()));
        w.u64(static_cast<std::uint64_t>(tx.power));
    }
    return out;
}

core::Result<SimTx> decode_tx(core::ByteView bytes) {
    consensus::WireReader r(bytes);
    SimTx tx;
    const std::uint8_t kind = r.u8();
    if (kind < 1 || kind > 4) return core::fail(core::Errc::kInvalidArgument, "unknown tx kind");
    tx.kind = static_cast<TxKind>(kind);
    tx.id = r.u64();
    if (has_key(tx.kind)) {
        const auto key = r.fixed<64>("tx key");
        std::copy(key.bytes.begin(), key.bytes.end(), tx.key.xy.begin());
        tx.power = static_cast<std::int64_t>(r.u64());
    }
    if (!r.ok() || r.remaining() != 0) {
        return core::fail(core::Errc::kInvalidArgument, "malformed simulated transaction");
    }
    if ((tx.kind == TxKind::kBond && tx.power <= 0) ||
        (tx.kind == TxKind::kUnbond && tx.power != 0)) {
        return core::fail(core::Errc::kInvalidArgument, "bond needs power > 0, unbond power 0");
    }
    return tx;
}

core::Hash tx_hash(core::ByteView bytes) {
    return core::keccak256(bytes);
}

}  // namespace mfd::chain::net
