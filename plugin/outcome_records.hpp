#pragma once
/// What the plugin keeps in its data directory besides the detector's account histories, and the
/// byte layout of each record (versioned, little-endian):
///
///   fraud_scores  32-byte tx hash               -> TxOutcome (the consensus outcome of a tx)
///   fraud_scores  "f" || height BE8 || tx hash  -> Finding (a committed flag, by block)
///   fraud_scores  "a" || 20-byte address        -> AccountFlags (committed flags on its txs)
///   meta          "fraud_plugin.head"           -> Head (the last block applied)
///
/// Pure functions; thread-safe.

#include <cstdint>
#include <optional>

#include "core/bytes.hpp"

namespace mfd::plugin {

/// The consensus outcome of one transaction, as the last block that mentioned it left it.
struct TxOutcome {
    std::uint64_t height = 0;        ///< the block that executed or excluded it
    bool included = false;           ///< executed by that block
    bool excluded = false;           ///< left out by the flag rule
    std::int64_t flagged_power = 0;  ///< stake that flagged it (0: nobody did)
    std::int64_t total_power = 0;
    std::uint16_t mean_score = 0;  ///< basis points

    friend bool operator==(const TxOutcome&, const TxOutcome&) = default;
};

/// A committed flag as fraud_getFlags reports it, with what this validator knew of the tx.
struct Finding {
    core::Hash tx;
    std::uint64_t height = 0;
    std::int64_t flagged_power = 0;
    std::int64_t total_power = 0;
    std::uint16_t mean_score = 0;  ///< basis points
    bool excluded = false;
    std::optional<core::Address> sender;  ///< when this validator had seen the tx
    std::optional<core::Address> to;
    std::optional<float> local_probability;

    friend bool operator==(const Finding&, const Finding&) = default;
};

/// Committed flags on the transactions an account sent.
struct AccountFlags {
    std::uint32_t flagged = 0;
    std::uint32_t excluded = 0;

    friend bool operator==(const AccountFlags&, const AccountFlags&) = default;
};

/// The last block the plugin applied.
struct Head {
    std::uint64_t height = 0;
    std::int64_t time_ms = 0;
    core::Hash block_hash;

    friend bool operator==(const Head&, const Head&) = default;
};

/// The key of the outcome of `tx` (the hash itself).
[[nodiscard]] core::Bytes outcome_key(const core::Hash& tx);
/// The key of a finding; keys of one height share finding_prefix(height).
[[nodiscard]] core::Bytes finding_key(std::uint64_t height, const core::Hash& tx);
/// "f" || height BE8.
[[nodiscard]] core::Bytes finding_prefix(std::uint64_t height);
/// True when `key` has the length and tag of a finding key.
[[nodiscard]] bool is_finding_key(core::ByteView key) noexcept;
/// The key of an account's flag counters.
[[nodiscard]] core::Bytes account_flags_key(const core::Address& account);
/// The meta key of the head.
[[nodiscard]] core::Bytes head_key();

[[nodiscard]] core::Bytes encode_outcome(const TxOutcome& o);
/// Fails with kCorruption naming the problem (version, length, flags).
[[nodiscard]] core::Result<TxOutcome> decode_outcome(core::ByteView bytes);

/// Encodes everything but the height and hash, which live in the key.
[[nodiscard]] core::Bytes encode_finding(const Finding& f);
/// Decodes a finding from its key and value; kCorruption naming the problem.
[[nodiscard]] core::Result<Finding> decode_finding(core::ByteView key, core::ByteView value);

[[nodiscard]] core::Bytes encode_account_flags(const AccountFlags& a);
/// Fails with kCorruption on another version or length.
[[nodiscard]] core::Result<AccountFlags> decode_account_flags(core::ByteView bytes);

[[nodiscard]] core::Bytes encode_head(const Head& h);
/// Fails with kCorruption on another version or length.
[[nodiscard]] core::Result<Head> decode_head(core::ByteView bytes);

}  // namespace mfd::plugin
