#pragma once
/// Internal to the generator: pieces the fraud typologies share. Not thread-safe.

#include <optional>
#include <string>

#include "chain_sim/workload/behaviours.hpp"

namespace mfd::chain::workload::detail {

/// An intent of `episode` (label 1) from `from` to `to`.
[[nodiscard]] Intent fraud_intent(const EpisodePtr& episode, std::uint32_t from,
                                  const core::Address& to, std::string sender_role,
                                  std::string recipient_role);

/// Sends all that `from` holds, less the most the transfer can cost, to `to`, signed by the
/// sender's wallet as any transfer of its. False when nothing can be sent.
bool sweep(Simulation& sim, const EpisodePtr& episode, std::uint32_t from, const core::Address& to,
           std::string sender_role, std::string recipient_role);

/// Sends `value` from `from` to `to`, signed by the sender's wallet as any transfer of its.
/// False when it cannot be afforded.
bool pay(Simulation& sim, const EpisodePtr& episode, std::uint32_t from, const core::Address& to,
         const core::U256& value, std::string sender_role, std::string recipient_role);

/// Sends `amount` of `token` from `from` to `to` (an ERC-20 transfer). False when it cannot be
/// afforded or `from` holds less.
bool send_tokens(Simulation& sim, const EpisodePtr& episode, std::uint32_t from, std::size_t token,
                 const core::Address& to, const core::U256& amount, std::string sender_role,
                 std::string recipient_role);

/// Sends every core token `from` holds to `to`, one transfer per token.
void sweep_tokens(Simulation& sim, const EpisodePtr& episode, std::uint32_t from,
                  const core::Address& to, const std::string& sender_role,
                  const std::string& recipient_role);

/// A core token (one of the first four) that `id` holds, or std::nullopt.
[[nodiscard]] std::optional<std::size_t> held_token(Simulation& sim, std::uint32_t id);

/// A retail account not taken by another episode, with at least `min_eth` and `min_nonce`
/// sent transactions; std::nullopt when a few draws find none.
[[nodiscard]] std::optional<std::uint32_t> pick_victim(Simulation& sim, double min_eth,
                                                       std::uint64_t min_nonce = 0);

/// A fraud treasury holding at least `min_eth`, or std::nullopt.
[[nodiscard]] std::optional<std::uint32_t> pick_treasury(Simulation& sim, double min_eth);

/// The address of a random exchange (where stolen funds are cashed out).
[[nodiscard]] core::Address exchange_address(Simulation& sim);

}  // namespace mfd::chain::workload::detail
