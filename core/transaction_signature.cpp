// recover_sender and sign_transaction: v, yParity and chain id as EIP-155 and EIP-2718 define
// them.
#include <string>

#include "core/transaction.hpp"

namespace mfd::core {
namespace {

// The recovery id of `tx`, or why its v / yParity cannot give one.
Result<std::uint8_t> recovery_id(const Transaction& tx) {
    if (tx.type != TxType::kLegacy) {
        if (tx.y_parity > 1) return fail(Errc::kTxInvalidSignature, "yParity is not 0 or 1");
        return tx.y_parity;
    }
    for (std::uint8_t parity = 0; parity < 2; ++parity) {
        if (tx.v == legacy_v(tx.chain_id, parity)) return parity;
    }
    return fail(Errc::kTxInvalidSignature,
                "v " + tx.v.to_dec() + " matches neither 27/28 nor EIP-155 for chain id " +
                    (tx.chain_id ? std::to_string(*tx.chain_id) : std::string("none")));
}

}  // namespace

U256 legacy_v(std::optional<std::uint64_t> chain_id, std::uint8_t y_parity) {
    if (!chain_id) return U256(27U + y_parity);
    return U256(*chain_id) * U256(2) + U256(35U + y_parity);
}

Result<Address> recover_sender(const Transaction& tx) {
    auto parity = recovery_id(tx);
    if (!parity) return fail(parity.error());
    const Signature sig{tx.r.to_be32(), tx.s.to_be32(), *parity};
    auto key = recover(signing_hash(tx), sig);
    if (!key) return fail(key.error());
    return address_of(*key);
}

Result<Transaction> sign_transaction(Transaction tx, const PrivateKey& key,
                                     std::optional<std::uint64_t> chain_id) {
    if (tx.type != TxType::kLegacy && !chain_id) {
        return fail(Errc::kInvalidArgument, "a typed transaction must name its chain id");
    }
    tx.chain_id = chain_id;
    const Signature sig = sign(key, signing_hash(tx));
    tx.r = *U256::from_be(sig.r.view());
    tx.s = *U256::from_be(sig.s.view());
    tx.y_parity = sig.y_parity;
    tx.v = tx.type == TxType::kLegacy ? legacy_v(chain_id, sig.y_parity) : U256(sig.y_parity);
    return tx;
}

}  // namespace mfd::core
