#pragma once
/// Internal to the generator: its own view of the chain — accounts with keys, roles, wallet
/// styles, balances and nonces; tokens with balances and approvals; pools with reserves. The
/// generator applies every transaction it writes to this view, in stream order, so each one
/// it marks valid is valid when the chain applies the stream in order. Balances are lower
/// bounds of the chain's (fees are charged at gas limit × fee cap). Not thread-safe.

#include <cstdint>
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

/// A wallet's fee habits.
struct FeeStyle {
    TxFlavor flavor = TxFlavor::kDynamicFee;
    core::U256 fee_cap;       ///< gas price, or max fee per gas for EIP-1559
    core::U256 tip;           ///< EIP-1559 max priority fee
    double gas_margin = 1.0;  ///< gas limit of a plain transfer over 21000 (1.0: exact)
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
};

/// An ERC20 the generator deployed.
struct Token {
    core::Address address;
    std::unordered_map<core::Address, core::U256> balances;
    std::vector<std::uint32_t> holders;  ///< accounts that ever held it, in order of arrival
    std::unordered_set<std::uint32_t> holder_set;
    std::set<std::pair<core::Address, core::Address>> unlimited;  ///< (owner, spender)
};

/// A SwapPool with its reserves.
struct Pool {
    core::Address address;
    std::size_t token_a = 0;
    std::size_t token_b = 0;
    core::U256 reserve_a;
    core::U256 reserve_b;
    bool live = false;  ///< liquidity added
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
    /// Moves `amount` of `token`; false (nothing moved) when `from` holds less.
    bool move_tokens(std::size_t token, const core::Address& from, const core::Address& to,
                     const core::U256& amount);
    /// Credits freshly minted tokens.
    void mint_tokens(std::size_t token, const core::Address& to, const core::U256& amount);

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
};

}  // namespace mfd::chain::workload
