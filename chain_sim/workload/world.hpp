#pragma once
/// Internal to the generator: its own view of the chain — accounts with keys, roles, wallet
/// styles, balances and nonces; tokens with balances and approvals; pools with reserves. The
/// generator applies every transaction it writes to this view, in stream order, so each one
/// it marks valid is valid when the chain applies the stream in order. Balances are lower
/// bounds of the chain's (fees are charged at gas limit × fee cap).
///
/// The view also says what each transaction depends on: ledgers of who credited an account
/// (Ether) or a holder (tokens) in which record, so that a debit names the earlier records of
/// other senders whose credits it spends; and which record deployed a contract, opened a pool
/// or granted an allowance. A wallet that sends a transaction only once those have executed
/// sends nothing the chain must refuse for want of them. Not thread-safe.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/secp256k1.hpp"
#include "core/uint256.hpp"

namespace mfd::chain::workload {

/// How a wallet builds its transactions.
enum class TxFlavor : std::uint8_t {
    kLegacy155,          ///< legacy with EIP-155 replay protection
    kLegacyUnprotected,  ///< legacy without chain id (old wallets; replayable)
    kAccessList,         ///< EIP-2930
    kDynamicFee,         ///< EIP-1559
};

/// A wallet's habits: the transaction type it signs, its fees and its gas limit on plain
/// transfers. Drawn from one distribution for every account, honest or not (fraud.cpp's
/// typologies are about what is sent to whom, not about the wallet that signs it).
struct FeeStyle {
    TxFlavor flavor = TxFlavor::kDynamicFee;
    /// The type of its occasional other wallet (another app, a hardware wallet).
    TxFlavor other_flavor = TxFlavor::kLegacy155;
    core::U256 fee_cap;       ///< max fee per gas (EIP-1559)
    core::U256 tip;           ///< EIP-1559 max priority fee
    core::U256 gas_price;     ///< legacy and EIP-2930 gas price
    bool jitter = false;      ///< fees set by hand: they vary a little from one to the next
    double gas_margin = 1.0;  ///< gas limit of a plain transfer over 21000 (1.0: exact)
};

/// Who credited one holder of one asset (Ether or a token), in stream order, and how much of
/// that it has spent: the records its next debit depends on.
class Ledger {
public:
    Ledger() = default;
    /// A holder that starts with `opening` (a genesis balance).
    explicit Ledger(const core::U256& opening) : opening_(opening) {}

    /// `amount` credited by record `index`.
    void credit(std::uint64_t index, const core::U256& amount);
    /// Spends `amount`; appends to `deps` the records whose credits it needs that no earlier
    /// debit needed (the opening balance first, then credits in stream order).
    void debit(const core::U256& amount, std::vector<std::uint64_t>& deps);

private:
    core::U256 opening_;
    core::U256 spent_;
    std::vector<std::pair<std::uint64_t, core::U256>> credits_;  ///< (record, running total)
    std::size_t needed_ = 0;  ///< credits already depended upon
};

/// What an account is for.
enum class Role : std::uint8_t {
    kRetail,
    kEmployer,
    kExchange,
    kDeveloper,
    kDormant,
    kFraudTreasury,
    kFraud,
};

struct Account {
    core::PrivateKey key;
    core::Address address;
    Role role = Role::kRetail;
    FeeStyle style;
    core::U256 balance;  ///< a lower bound of the balance on chain
    std::uint64_t nonce = 0;
    std::vector<std::uint32_t> contacts;  ///< frequent counterparties (retail)
    std::uint32_t exchange = 0;           ///< the exchange account it uses
    bool in_episode = false;              ///< taken by a fraud episode as victim
    Ledger ether;                         ///< credits of Ether (dependencies)
};

/// An ERC20 the generator deployed.
struct Token {
    core::Address address;
    std::unordered_map<core::Address, core::U256> balances;
    std::vector<std::uint32_t> holders;  ///< accounts that ever held it, in order of arrival
    std::unordered_set<std::uint32_t> holder_set;
    std::set<std::pair<core::Address, core::Address>> unlimited;  ///< (owner, spender)
    /// The record of each (owner, spender) allowance.
    std::map<std::pair<core::Address, core::Address>, std::uint64_t> approved_in;
    std::unordered_map<core::Address, Ledger> ledgers;  ///< token credits per holder
};

/// A SwapPool with its reserves.
struct Pool {
    core::Address address;
    std::size_t token_a = 0;
    std::size_t token_b = 0;
    core::U256 reserve_a;
    core::U256 reserve_b;
    bool live = false;          ///< liquidity added
    std::uint64_t live_in = 0;  ///< the record that added it
};

class World {
public:
    /// Adds an account; its address comes from the key.
    std::uint32_t add(const core::PrivateKey& key, Role role, const FeeStyle& style,
                      const core::U256& balance);
    /// The account at `address`, or nullptr (contracts and unknown addresses).
    [[nodiscard]] Account* find(const core::Address& address);

    /// Token balance of `holder` (0 when none).
    [[nodiscard]] core::U256 token_balance(std::size_t token, const core::Address& holder) const;
    /// Moves `amount` of `token` in the current record; false (nothing moved) when `from` holds
    /// less.
    bool move_tokens(std::size_t token, const core::Address& from, const core::Address& to,
                     const core::U256& amount);
    /// Credits freshly minted tokens (in the current record).
    void mint_tokens(std::size_t token, const core::Address& to, const core::U256& amount);

    // --- dependencies of the record being written ---
    /// Starts record `index` of `sender`: what follows is part of it.
    void begin_record(std::uint64_t index, const core::Address& sender);
    /// The current record depends on record `index` (dropped when it is the same sender's:
    /// nonce order already puts it first).
    void depend_on(std::uint64_t index);
    /// Credits `amount` of Ether to `to` in the current record (nothing for unknown addresses).
    void credit_ether(const core::Address& to, const core::U256& amount);
    /// Debits `amount` of Ether from account `id` in the current record.
    void debit_ether(std::uint32_t id, const core::U256& amount);
    /// The current record is the one that deployed the contract at `address`.
    void deployed(const core::Address& address) { deployed_in_[address] = current_; }
    /// The record that deployed the contract at `address`, if the generator did.
    [[nodiscard]] std::optional<std::uint64_t> deployed_in(const core::Address& address) const;
    /// Takes the dependencies gathered for the current record (sorted, unique).
    [[nodiscard]] std::vector<std::uint64_t> take_dependencies();

    /// Lists `id` as a retail account that sends with relative rate `activity` (> 0).
    void add_retail(std::uint32_t id, double activity);
    /// A retail account drawn by activity; `u` is uniform in [0, 1). Needs one retail account.
    [[nodiscard]] std::uint32_t pick_retail(double u) const;

    std::vector<Account> accounts;
    std::vector<Token> tokens;
    std::vector<Pool> pools;
    std::vector<std::uint32_t> retail, exchanges, employers, developers, dormant, treasuries;

private:
    void note_holder(Token& token, const core::Address& holder);
    std::unordered_map<core::Address, std::uint32_t> by_address_;
    std::vector<double> activity_prefix_;  ///< running sums of retail activity
    std::uint64_t current_ = 0;
    std::vector<core::Address> record_senders_;  ///< by record index
    std::vector<std::uint64_t> deps_;
    std::unordered_map<core::Address, std::uint64_t> deployed_in_;
};

}  // namespace mfd::chain::workload
