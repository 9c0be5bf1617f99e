#pragma once
/// The detector's feature schema: one fixed, versioned row layout in four groups (transaction
/// pattern, account behaviour, signature anomalies, and the sender's and recipient's state as
/// the host's chain holds it). The first column of every group is that group's availability
/// bit; a group that cannot be computed is all zeros with its bit at 0 (the state group when
/// the host passes no state). Nothing in a row is an absolute time, block number or absolute
/// gas price. Thread-safe: constants and pure functions.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "models/config.hpp"

namespace mfd::fraud {

/// The version a model must have been fit on (stored in model files as schema_version).
inline constexpr std::string_view kSchemaVersion = "mfd-features-3";

/// Column indices of a feature row. `kTx*` form the transaction group, `kSender*`/`kRecipient*`
/// the account group, `kSig*` the signature group and `kState*` the state group; each group
/// opens with its `*Available`.
enum Feature : std::uint8_t {
    // Transaction pattern.
    kTxAvailable,
    kTxLogValue,  ///< log1p(value in ether)
    kTxValueZero,
    kTxRoundValue,        ///< value has at most two significant decimal digits in ether
    kTxLogFeeRel,         ///< log(fee cap / recent geometric mean of fee caps)
    kTxTipShare,          ///< tip cap / fee cap (1 for legacy and type 1)
    kTxLogGasRel,         ///< log(gas limit / intrinsic gas)
    kTxLogDataSize,       ///< log1p(calldata bytes)
    kTxFnTransfer,        ///< ERC-20 transfer(address,uint256)
    kTxFnApprove,         ///< ERC-20 approve(address,uint256)
    kTxFnTransferFrom,    ///< ERC-20 transferFrom(address,address,uint256)
    kTxFnOther,           ///< any other selector
    kTxApproveUnlimited,  ///< approve of at least 2^255
    kTxCreate,
    kTxTypeLegacy,
    kTxTypeDynamic,
    kTxFirstContact,       ///< the sender never exchanged with `to` before
    kTxPartyFirstContact,  ///< the sender never exchanged with the calldata's address
    kTxPartyFresh,         ///< the calldata's address (spender, token recipient) has no history
    kTxPartyLogAge,        ///< log1p(seconds since the calldata's address was first seen)
    kTxToSelf,
    kTxValueToLastIn,     ///< log((value + ε) / (sender's last inflow + ε)), 0 without inflow
    kTxLogTokenAmount,    ///< log1p(token amount / 1e18) of transfer/transferFrom/approve
    kTxPartyLogInCount,   ///< log1p(inflows) of the calldata's address
    kTxPartyLogOutCount,  ///< log1p(outgoing transactions) of the calldata's address
    kTxPartyCallShare,    ///< share of the calldata address's inflows that carried calldata
    // Account behaviour: the sender.
    kAccountAvailable,
    kSenderSeen,
    kSenderLogAge,  ///< log1p(seconds since first seen)
    kSenderLogOutCount,
    kSenderLogInCount,
    kSenderLogIdle,           ///< log1p(seconds since its last transaction)
    kSenderLogSinceIn,        ///< log1p(seconds since its last inflow)
    kSenderVelShort,          ///< log1p(outgoing transactions, decayed with a 60 s half-life)
    kSenderVelLong,           ///< log1p(outgoing transactions, decayed with a one-day half-life)
    kSenderAmountZ,           ///< z-score of log value against its outgoing history (Welford)
    kSenderIntervalZ,         ///< z-score of log interval since its last outgoing transaction
    kSenderDrain,             ///< value / ether received so far (clipped to [0, 4])
    kSenderOutInRatio,        ///< ether sent / ether received so far (clipped to [0, 4])
    kSenderNonceGap,          ///< signed log1p of nonce minus the next expected (0 without history)
    kSenderNonceRepeat,       ///< nonce below the next expected one (a replay or a resend)
    kSenderNewShare,          ///< share of its outgoing transactions that were first contacts
    kSenderLogDistinct,       ///< log1p(distinct accounts it has sent to)
    kSenderFailedShare,       ///< share of its past transactions that failed
    kSenderCallShare,         ///< share of its outgoing transactions that carried calldata
    kSenderUnprotectedShare,  ///< share of its outgoing transactions without chain id
    kSenderStyleChanged,      ///< type or replay protection differs from its previous transaction
    kSenderNewFanout,         ///< log1p(outgoing first contacts, decayed with a one-hour half-life)
    kSenderSameAmount,        ///< |log(value / its previous outgoing value)|, clipped to [0, 10]
    kSenderExcludedShare,     ///< share of its transactions that consensus kept out as fraud
    kSenderStaleRefused,      ///< log1p(its transactions refused for a spent nonce, 1 h half-life)
    // Account behaviour: the recipient.
    kRecipientSeen,
    kRecipientLogAge,
    kRecipientLogInCount,
    kRecipientLogOutCount,
    kRecipientLogIdle,
    kRecipientVelShort,    ///< log1p(inflows, decayed with a 60 s half-life)
    kRecipientVelLong,     ///< log1p(inflows, decayed with a one-day half-life)
    kRecipientNewSenders,  ///< log1p(inflows from first-time senders, one-hour half-life)
    kRecipientNewShare,    ///< share of its inflows that came from first-time senders
    kRecipientLogInValue,  ///< log1p(ether received so far)
    kRecipientOutInRatio,
    kRecipientCallShare,      ///< share of its inflows that carried calldata (contract-like)
    kRecipientAmountZ,        ///< z-score of log value against its inflow history (Welford)
    kRecipientLogSinceOut,    ///< log1p(seconds since its last outgoing transaction)
    kRecipientLogDistinct,    ///< log1p(distinct accounts it received from)
    kRecipientOutCallShare,   ///< share of its outgoing transactions that carried calldata
    kRecipientFailedShare,    ///< share of its past transactions that failed
    kRecipientExcludedIn,     ///< log1p(transactions to it that consensus kept out as fraud)
    kRecipientExcludedShare,  ///< ... as a share of the transactions to it
    // Signature anomalies.
    kSigAvailable,       ///< the signature was checked (imported rows have none)
    kSigInvalid,         ///< out of range or no key recovers
    kSigHighS,           ///< malleable (EIP-2)
    kSigBadChainId,      ///< v carries another chain's id
    kSigNoChainId,       ///< legacy without EIP-155 replay protection
    kSigRReused,         ///< r seen before: ECDSA nonce reuse, the private key is recoverable
    kSigSenderMismatch,  ///< recovers to another address than the claimed sender
    kSigKeyAccounts,     ///< log1p(other accounts this key has signed for)
    kSigNotValid,        ///< the stateless verdict is not kOk
    // The host's state (balances and nonces before the transaction).
    kStateAvailable,
    kStateValueToBalance,    ///< value / sender balance, clipped to [0, 2]
    kStateCostToBalance,     ///< (value + gas limit × fee cap) / sender balance, clipped to [0, 2]
    kStateSenderLogBalance,  ///< log1p(sender balance in ether)
    kStateSenderLogNonce,    ///< log1p(the sender's account nonce)
    kStateNonceAhead,        ///< log1p(nonce − account nonce): transactions queued before it
    kStateRecipientKnown,    ///< the host gave the recipient's state (not a creation)
    kStateRecipientEmpty,    ///< ... with no balance and nonce 0 (an address nobody used)
    kStateRecipientLogBalance,
    kStateRecipientLogNonce,
    kFeatureCount,
};

inline constexpr std::size_t kFeatures = kFeatureCount;

/// The four groups, in row order.
enum class Group : std::uint8_t { kTx, kAccount, kSignature, kState };
inline constexpr std::size_t kGroups = 4;

/// Bit i set: group i was computed (the availability bits of a row, as a mask).
using GroupMask = std::uint8_t;
inline constexpr GroupMask kAllGroups = 0b1111;

/// The bit of group `g` in a GroupMask.
[[nodiscard]] constexpr GroupMask group_bit(Group g) noexcept {
    return static_cast<GroupMask>(1U << static_cast<unsigned>(g));
}

/// A group's column range and name.
struct GroupSpan {
    std::string_view name;  ///< "tx", "account", "signature", "state"
    std::size_t offset;
    std::size_t size;
};

/// The column range of `g`.
[[nodiscard]] GroupSpan group_span(Group g) noexcept;

/// The stable name of column `f` ("tx.log_value", "sender.amount_z", ...). `f` < kFeatures.
[[nodiscard]] std::string_view feature_name(std::size_t f) noexcept;

/// The group a column belongs to.
[[nodiscard]] Group feature_group(std::size_t f) noexcept;

/// Experts per group for the default architecture. The state group has none of its own by
/// default: its columns reach the experts as shared columns, and the gate sees them all.
struct ExpertCounts {
    std::size_t tx = 2;
    std::size_t account = 3;
    std::size_t signature = 1;
    std::size_t state = 0;
};

/// A mixture-of-experts config over this schema: one FeatureGroup per schema group that has
/// experts, no shared columns (each group carries its own availability bit), `hidden` widths
/// and top-k. Validates with models::validate.
[[nodiscard]] models::MoeConfig schema_config(const ExpertCounts& experts = {},
                                              std::size_t top_k = 2, std::size_t hidden = 24);

/// Names of the groups absent from `mask`, comma-separated ("" when all are present).
[[nodiscard]] std::string missing_groups(GroupMask mask);

}  // namespace mfd::fraud
