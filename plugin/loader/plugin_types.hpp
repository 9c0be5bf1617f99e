#pragma once
/// C++ forms of the values that cross the plugin's C ABI (fraud_plugin.h), as the loader's
/// wrappers take and return them. Plain value types.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/uint256.hpp"
#include "plugin/fraud_plugin.h"

namespace mfd::plugin {

/// An account as the host's chain state holds it.
struct AccountState {
    core::U256 balance;
    std::uint64_t nonce = 0;
};

/// The host's state of a transaction's sender and recipient before it executes (fp_tx_state);
/// an unset one is not passed.
struct TxState {
    std::optional<AccountState> sender;
    std::optional<AccountState> recipient;
};

/// Why a host refused a transaction before scoring it (FP_REFUSED_*).
enum class Refusal : std::uint32_t {
    kNonceTooLow = FP_REFUSED_NONCE_TOO_LOW,
    kInsufficientFunds = FP_REFUSED_INSUFFICIENT_FUNDS,
    kOther = FP_REFUSED_OTHER,
};

/// ACCEPT or REJECT.
enum class Verdict : std::uint8_t { kAccept, kReject };

/// The plugin's verdict on one transaction (fp_score).
struct TxScore {
    core::Hash tx_hash;
    float probability = 0;
    std::uint16_t score_bp = 0;  ///< basis points, 0..FP_MAX_SCORE
    bool flagged = false;
    bool degraded = false;  ///< the failure policy decided
    std::uint32_t latency_us = 0;
    fp_status status = FP_OK;
};

/// Mempool admission (fp_check_result).
struct CheckResult {
    Verdict verdict = Verdict::kReject;
    TxScore score;
    std::string reason;  ///< "" when accepted without remark
};

/// The proposer's ordering: a permutation of the candidates and which to announce.
struct ProposalOrder {
    std::vector<std::uint32_t> order;
    std::vector<std::uint8_t> keep;
};

/// One flag of a vote extension (fp_flag); score in basis points.
struct Flag {
    core::Hash tx;
    std::uint16_t score = 0;
    friend bool operator==(const Flag&, const Flag&) = default;
};

/// The consensus outcome of a flagged transaction (fp_committed_flag).
struct CommittedFlag {
    core::Hash tx;
    std::int64_t flagged_power = 0;
    std::int64_t total_power = 0;
    std::uint16_t mean_score = 0;
    bool excluded = false;
};

/// A committed block for finalize_block (fp_block); the views must stay valid during the call.
struct BlockInput {
    std::uint64_t height = 0;
    core::Hash hash;
    std::int64_t time_ms = 0;
    std::vector<core::ByteView> executed;
    std::vector<CommittedFlag> flags;
};

/// The answer of a JSON-RPC method run through `query`: the result (ok) or the error object.
struct QueryResult {
    bool ok = false;
    std::string json;
};

}  // namespace mfd::plugin
