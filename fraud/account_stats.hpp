#pragma once
/// The detector's incremental statistics of one account, as kept in the `account_history`
/// column family: counts, amounts, intervals, decayed velocities and a sketch of its
/// counterparties, all updated one observed transaction at a time. Times are the source's
/// milliseconds and only ever enter features as differences. Value type; thread-compatible.

#include <array>
#include <cstdint>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace mfd::fraud {

/// Running mean and variance (Welford's algorithm).
struct Welford {
    double n = 0;
    double mean = 0;
    double m2 = 0;

    /// Adds one observation.
    void add(double x) noexcept;
    /// (x - mean) / std, clipped to [-10, 10]; 0 with fewer than two observations.
    [[nodiscard]] double z(double x) const noexcept;

    friend bool operator==(const Welford&, const Welford&) = default;
};

/// A Bloom filter of 20-byte addresses (false positives possible, false negatives not).
template <std::size_t Bits>
struct AddressSketch {
    std::array<std::uint64_t, Bits / 64> words{};

    /// Adds `a`.
    void add(const core::Address& a) noexcept;
    /// True when `a` was probably added before.
    [[nodiscard]] bool contains(const core::Address& a) const noexcept;

    friend bool operator==(const AddressSketch&, const AddressSketch&) = default;
};

/// Decay half-lives of the velocity figures, in milliseconds.
inline constexpr double kShortHalfLifeMs = 60'000;
inline constexpr double kLongHalfLifeMs = 86'400'000;
inline constexpr double kNewSenderHalfLifeMs = 3'600'000;

/// What the detector remembers about one account.
struct AccountStats {
    std::int64_t first_seen_ms = 0;
    std::int64_t last_seen_ms = 0;
    std::int64_t last_out_ms = 0;
    std::int64_t last_in_ms = 0;
    std::int64_t decay_ms = 0;  ///< when the decayed figures below were last brought forward
    std::uint32_t out_count = 0;
    std::uint32_t in_count = 0;
    std::uint32_t out_new = 0;  ///< outgoing transactions to a first contact
    std::uint32_t in_new = 0;   ///< inflows from a first-time sender
    std::uint32_t failed = 0;   ///< past transactions (either side) known to have failed
    std::uint32_t calls_out = 0;
    std::uint32_t calls_in = 0;
    std::uint32_t unprotected_out = 0;  ///< outgoing legacy transactions without chain id
    std::uint32_t keyed_accounts = 0;   ///< other accounts its key signed for
    std::uint32_t excluded_out = 0;     ///< its transactions consensus kept out as fraud
    std::uint32_t excluded_in = 0;      ///< transactions to it consensus kept out as fraud
    std::uint64_t next_nonce = 0;       ///< one past the highest nonce it has sent
    double out_value = 0;               ///< ether sent
    double in_value = 0;                ///< ether received
    double last_in_value = 0;           ///< ether of its last inflow with value
    double last_out_value = 0;          ///< ether of its last outgoing transaction
    Welford out_amount;                 ///< of log1p(ether sent per transaction)
    Welford out_interval;               ///< of log1p(seconds between its outgoing transactions)
    Welford in_amount;                  ///< of log1p(ether received per inflow)
    float vel_out_short = 0;
    float vel_out_long = 0;
    float vel_in_short = 0;
    float vel_in_long = 0;
    float new_senders = 0;  ///< inflows from first-time senders, decayed
    float new_fanout = 0;   ///< outgoing transactions to first contacts, decayed
    /// Its transactions the host refused for a nonce it had already used (a conflicting copy of
    /// a spent nonce: a replay, a late replacement), decayed with the one-hour half-life.
    float stale_refused = 0;
    std::uint8_t last_style = 0;  ///< tx type | 0x10 when it had a chain id
    AddressSketch<512> counterparties;
    AddressSketch<128> claimed_for;  ///< accounts its key signed for

    /// True once the account took part in an observed transaction.
    [[nodiscard]] bool seen() const noexcept { return out_count + in_count > 0; }
    /// Brings the decayed figures forward to `now_ms` (never backwards).
    void decay_to(std::int64_t now_ms) noexcept;

    friend bool operator==(const AccountStats&, const AccountStats&) = default;
};

/// The figures of `s` decayed to `now_ms` without changing `s`.
[[nodiscard]] AccountStats decayed(const AccountStats& s, std::int64_t now_ms) noexcept;

/// Encodes `s` as a versioned fixed-size record (little-endian).
[[nodiscard]] core::Bytes encode_account_stats(const AccountStats& s);

/// Decodes a record written by encode_account_stats; kCorruption naming the problem for
/// another version, length or a non-finite number.
[[nodiscard]] core::Result<AccountStats> decode_account_stats(core::ByteView bytes);

}  // namespace mfd::fraud
