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

/// Sends all that `from` holds, less the fee, to `to` in an EIP-155 legacy transfer at the
/// sender's usual fee cap (so the view stays exact). False when nothing can be sent.
bool sweep(Simulation& sim, const EpisodePtr& episode, std::uint32_t from, const core::Address& to,
           std::string sender_role, std::string recipient_role);

/// Sends `value` from `from` to `to` in an EIP-155 legacy transfer at the sender's usual fee
/// cap (exact on the view). False when it cannot be afforded.
bool pay_exact(Simulation& sim, const EpisodePtr& episode, std::uint32_t from,
               const core::Address& to, const core::U256& value, std::string sender_role,
               std::string recipient_role);

/// A retail account not taken by another episode, with at least `min_eth` and `min_nonce`
/// sent transactions; std::nullopt when a few draws find none.
[[nodiscard]] std::optional<std::uint32_t> pick_victim(Simulation& sim, double min_eth,
                                                       std::uint64_t min_nonce = 0);

/// A fraud treasury holding at least `min_eth`, or std::nullopt.
[[nodiscard]] std::optional<std::uint32_t> pick_treasury(Simulation& sim, double min_eth);

/// The address of a random exchange (where stolen funds are cashed out).
[[nodiscard]] core::Address exchange_address(Simulation& sim);

}  // namespace mfd::chain::workload::detail
