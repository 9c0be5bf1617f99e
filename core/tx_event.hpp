#pragma once
/// A transaction as the detector, the workload generator and the data importers see it: the
/// decoded transaction, what its signature says, when it was seen, and — for labelled data —
/// the ground truth. Simulated traffic and imported Etherscan rows share this one type.

#include <cstdint>
#include <optional>
#include <string>

#include "core/transaction.hpp"
#include "core/transaction_rules.hpp"

namespace mfd::core {

/// What the signature of a transaction says about its sender.
enum class SignatureStatus : std::uint8_t {
    kUnavailable,  ///< no signature to check (imported rows)
    kValid,        ///< recovers, low s, v consistent with the chain
    kHighS,        ///< recovers, but s is high (a malleated twin; EIP-2 rejects it)
    kBadChainId,   ///< recovers, but v carries another chain's id
    kInvalid,      ///< r/s/v out of range or no key recovers
};

/// One transaction with its context. Copyable value type.
struct TxEvent {
    Transaction tx;
    Hash hash;
    /// Canonical raw bytes; empty when the transaction was not seen as bytes (imported rows).
    Bytes raw;
    /// Who the source says sent it (Etherscan's `from`, the generator's intended sender).
    std::optional<Address> claimed_sender;
    /// The signer recovered from the signature; std::nullopt when unavailable or not recoverable.
    std::optional<Address> recovered_sender;
    SignatureStatus signature = SignatureStatus::kUnavailable;
    /// The stateless verdict (decode + Shanghai rules + recovery): kOk, or why the chain will
    /// refuse it at admission.
    Errc validity = Errc::kOk;
    /// When it was seen, in milliseconds on the source's clock. Only differences are meaningful.
    std::int64_t time_ms = 0;
    /// Execution outcome when the source knows it (Etherscan's isError / gasUsed).
    std::optional<bool> failed;
    std::optional<std::uint64_t> gas_used;

    // Ground truth for labelled data; label -1 means unknown.
    std::int8_t label = -1;
    std::string typology;        ///< "honest:retail", "fraud:drain", ... (docs/typologies.md)
    std::string sender_role;     ///< e.g. "victim", "attacker", "exchange"
    std::string recipient_role;
    std::string account;         ///< the labelled account an imported row belongs to

    /// The sender to attribute the transaction to: the recovered signer, else the claimed one.
    [[nodiscard]] std::optional<Address> sender() const {
        return recovered_sender ? recovered_sender : claimed_sender;
    }
    /// True when both a claimed and a recovered sender exist and they differ.
    [[nodiscard]] bool sender_mismatch() const {
        return claimed_sender && recovered_sender && *claimed_sender != *recovered_sender;
    }
};

/// Builds an event from raw bytes as a mempool sees them: decodes (a structural failure is the
/// only error returned), then records the stateless verdict and what the signature says under
/// `rules`. Thread-safe.
[[nodiscard]] Result<TxEvent> tx_event_from_raw(ByteView raw, const TxRules& rules,
                                                std::int64_t time_ms);

/// Stable lower-case name of a status ("valid", "high_s", ...).
[[nodiscard]] std::string_view signature_status_name(SignatureStatus s) noexcept;

}  // namespace mfd::core
