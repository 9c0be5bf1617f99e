#pragma once
/// The wallets behind a run's traffic: when each transaction is sent, as a wallet that watches
/// its node would send it. A transaction goes out at its own time, but not before the earlier
/// records of other senders it depends on (the stream's `after`: funds it spends, the contract
/// it calls, the allowance it uses) are decided, plus the wallet's reaction time, and not
/// before its signer's previous transaction was sent (a wallet numbers its own nonces; the pool
/// holds a sender's later nonces behind an earlier one, as geth's does). A transaction the chain
/// keeps out for good (excluded by the flag rule, refused at admission) leaves its nonce unused:
/// the wallet fills it with a cancel — a zero-value transfer to itself at that nonce, the usual way
/// to unblock a nonce — so the signer's later transactions can still execute; meanwhile it holds
/// its later transactions back. Only traffic generated in this process carries keys; without one,
/// nothing is filled and the signer's later transactions are given up.
///
/// The cancels are the wallets' own transactions, outside the traffic and its ground truth.
/// Not thread-safe: the run's driving thread makes every call.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "chain_sim/sim/traffic.hpp"
#include "core/bytes.hpp"

namespace mfd::chain::sim {

/// What the wallets send: raw bytes (valid until the Wallets is destroyed), the traffic index
/// (or kWalletTag for a cancel) and the earliest simulated time.
struct WalletSend {
    core::ByteView raw;
    std::size_t tag = 0;
    std::int64_t at_us = 0;
};

/// The tag of the wallets' own transactions.
inline constexpr std::size_t kWalletTag = static_cast<std::size_t>(-2);

/// Counts of the wallets' own activity.
struct WalletCounters {
    std::uint64_t cancels_sent = 0;
    std::uint64_t cancels_executed = 0;
    std::uint64_t gaps_unfilled = 0;  ///< kept-out nonces that could not be filled
    std::uint64_t waited = 0;         ///< transactions sent later than their own time
};

class Wallets {
public:
    /// Wallets for `traffic` (which must outlive them); `at_us[i]` is when transaction i is
    /// due on the simulated clock, `earlier[i]` true for the ones an earlier run executed;
    /// `reaction_us` is how long a wallet takes to notice an execution.
    Wallets(const Traffic& traffic, std::vector<std::int64_t> at_us,
            const std::vector<bool>& earlier, std::int64_t reaction_us);

    /// The earliest time something is due, or INT64_MAX.
    [[nodiscard]] std::int64_t next_due() const;
    /// Hands to `send` everything due at or before `until_us`, in time order.
    void release(std::int64_t until_us, const std::function<void(const WalletSend&)>& send);

    /// The node the wallets watch admitted (`accepted`) or refused a transaction at `now_us`;
    /// `final` for a refusal that will not be sent again.
    void on_admission(const core::Hash& hash, bool accepted, bool final, std::int64_t now_us);
    /// The node executed the transaction with `hash` at `now_us`.
    void on_executed(const core::Hash& hash, std::int64_t now_us);
    /// The chain kept the transaction with `hash` out for good at `now_us`.
    void on_kept_out(const core::Hash& hash, std::int64_t now_us);

    /// True when transaction `index` is still waiting for the wallet to send it although due.
    [[nodiscard]] bool waiting(std::size_t index, std::int64_t now_us) const;
    /// True when an earlier transaction of `index`'s signer was kept out and its nonce is still
    /// unused (the wallet could not fill it): a later nonce cannot execute.
    [[nodiscard]] bool blocked_by_gap(std::size_t index) const;
    /// True when transaction `index` waits behind an earlier nonce of its signer that was kept
    /// out and that the wallet gave up filling: it can never execute.
    [[nodiscard]] bool gave_up_on(std::size_t index) const { return txs_[index].abandoned; }
    [[nodiscard]] const WalletCounters& counters() const noexcept { return counters_; }
    /// True for a cancel the wallets sent.
    [[nodiscard]] bool is_cancel(const core::Hash& hash) const {
        return cancel_hashes_.contains(hash);
    }

private:
    enum class State : std::uint8_t { kWaiting, kQueued, kSent, kPooled, kDecided };
    struct Tx {
        State state = State::kWaiting;
        std::size_t previous = kNone;  ///< the signer's previous chain transaction
        std::size_t next = kNone;      ///< the signer's next chain transaction
        std::uint32_t open_after = 0;  ///< `after` records not decided yet
        std::int64_t ready_us = 0;     ///< not before (reactions so far)
        bool previous_cleared = false;
        bool planted = false;    ///< to be refused: after `previous`, before the next
        bool abandoned = false;  ///< behind a kept-out nonce the wallet could not fill
    };
    struct Cancel {
        std::size_t index = 0;  ///< the kept-out transaction whose nonce it fills
        int attempt = 1;
    };
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    static constexpr int kMaxCancels = 3;

    void link_signers();
    void clear_previous(std::size_t i, std::int64_t now_us);
    void decided(std::size_t i, std::int64_t now_us);
    void maybe_queue(std::size_t i);
    void fill_gap(std::size_t i, int attempt, std::int64_t now_us);
    /// After the gap at `filled` closed: what its signer held back is due again.
    void release_held(std::size_t filled, std::int64_t now_us);
    [[nodiscard]] bool has_later_work(std::size_t i) const;
    void give_up(std::size_t i, std::int64_t now_us);

    const Traffic& traffic_;
    std::vector<std::int64_t> at_us_;
    std::int64_t reaction_us_;
    std::vector<Tx> txs_;
    std::vector<std::vector<std::size_t>> dependents_;  ///< i -> the ones listing i in `after`
    std::unordered_map<core::Hash, std::size_t> index_;
    using Due = std::pair<std::int64_t, std::size_t>;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> due_;
    std::deque<core::Bytes> cancel_raws_;
    std::vector<WalletSend> cancel_queue_;
    std::unordered_map<core::Hash, Cancel> cancels_;  ///< sent, not decided
    std::unordered_set<core::Hash> cancel_hashes_;    ///< every one sent
    std::vector<bool> gap_open_;  ///< by traffic index: kept out, nonce not (yet) filled
    /// Transactions a wallet holds back while an earlier nonce of its signer is unfilled (sent
    /// on, they would only queue behind the gap, past the pool's bound).
    std::unordered_map<core::Address, std::vector<std::size_t>> held_;
    WalletCounters counters_;
};

}  // namespace mfd::chain::sim
