#pragma once
/// Transactions for the fraud tests: signed (optionally with a chosen ECDSA nonce, malleated,
/// without chain id, or under another key than the claimed sender) and imported (unsigned)
/// events, built through the same core functions a node uses.

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>

#include "core/transaction.hpp"
#include "core/tx_event.hpp"

namespace mfd::fraud::test {

inline constexpr std::uint64_t kChainId = 1337;

/// A deterministic key from `name`.
inline core::PrivateKey key(const std::string& name) {
    return core::PrivateKey::derive(core::as_bytes(name));
}

/// `eth` ether in wei (to a micro-ether).
inline core::U256 wei(double eth) {
    return core::U256(static_cast<std::uint64_t>(eth * 1e6)) * core::U256(1'000'000'000'000ULL);
}

/// What to build.
struct TxSpec {
    TxSpec(const core::Address& to_, double eth_ = 1.0, std::uint64_t nonce_ = 0,
           std::int64_t time_ms_ = 0)
        : to(to_), eth(eth_), nonce(nonce_), time_ms(time_ms_) {}

    core::Address to;
    double eth = 1.0;
    std::uint64_t nonce = 0;
    std::int64_t time_ms = 0;
    std::optional<std::uint64_t> chain_id = kChainId;
    core::U256 gas_price = core::U256(30'000'000'000ULL);
    core::Bytes data;
};

inline core::Transaction unsigned_tx(const TxSpec& s) {
    core::Transaction tx;
    tx.type = core::TxType::kLegacy;
    tx.nonce = s.nonce;
    tx.gas_price = s.gas_price;
    tx.to = s.to;
    tx.value = wei(s.eth);
    tx.data = s.data;
    tx.gas_limit = core::intrinsic_gas(tx) + (s.data.empty() ? 0 : 60'000);
    return tx;
}

/// The event a mempool builds from the raw bytes of `tx`, claimed to come from `claimed`
/// (the signer when absent).
inline core::TxEvent event_of(const core::Transaction& tx, std::int64_t time_ms,
                              std::optional<core::Address> claimed = std::nullopt) {
    auto e = core::tx_event_from_raw(core::encode_transaction(tx), {kChainId}, time_ms);
    EXPECT_TRUE(e) << e.error().to_string();
    if (!e) return {};
    e->claimed_sender = claimed ? claimed : e->recovered_sender;
    return *e;
}

/// A transaction of `signer` signed normally (RFC 6979 nonce, low s).
inline core::TxEvent signed_event(const core::PrivateKey& signer, const TxSpec& s,
                                  std::optional<core::Address> claimed = std::nullopt) {
    auto tx = core::sign_transaction(unsigned_tx(s), signer, s.chain_id);
    EXPECT_TRUE(tx);
    return event_of(*tx, s.time_ms, claimed);
}

inline void put_signature(core::Transaction& tx, const core::Signature& sig) {
    tx.r = *core::U256::from_be(sig.r.view());
    tx.s = *core::U256::from_be(sig.s.view());
    tx.y_parity = sig.y_parity;
    tx.v = core::legacy_v(tx.chain_id, sig.y_parity);
}

/// A transaction of `signer` signed with the ECDSA nonce `k` (reusing it reuses r).
inline core::TxEvent event_with_k(const core::PrivateKey& signer, const TxSpec& s,
                                  const core::Hash& k) {
    core::Transaction tx = unsigned_tx(s);
    tx.chain_id = s.chain_id;
    auto sig = core::sign_with_nonce(signer, core::signing_hash(tx), k);
    EXPECT_TRUE(sig);
    put_signature(tx, *sig);
    return event_of(tx, s.time_ms);
}

/// The high-S (malleated) twin of a signed transaction.
inline core::TxEvent malleated_event(const core::PrivateKey& signer, const TxSpec& s) {
    auto tx = *core::sign_transaction(unsigned_tx(s), signer, s.chain_id);
    put_signature(tx, core::malleate({tx.r.to_be32(), tx.s.to_be32(), tx.y_parity}));
    return event_of(tx, s.time_ms);
}

/// An imported row: no signature, claimed sender `from`.
inline core::TxEvent imported_event(const core::Address& from, const TxSpec& s) {
    core::TxEvent e;
    e.tx = unsigned_tx(s);
    e.hash = core::transaction_hash(e.tx);
    e.claimed_sender = from;
    e.time_ms = s.time_ms;
    return e;
}

/// A 32-byte value from a small number (a test ECDSA nonce).
inline core::Hash hash_of(std::uint64_t v) {
    return core::U256(v).to_be32();
}

}  // namespace mfd::fraud::test
