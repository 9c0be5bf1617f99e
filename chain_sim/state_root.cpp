#include "chain_sim/state_root.hpp"

#include <array>

#include "core/keccak.hpp"

namespace mfd::chain {
namespace {

void update_length(core::Keccak256& h, std::size_t n) {
    const std::array<std::uint8_t, 4> be = {
        static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
        static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
    h.update(be);
}

}  // namespace

core::Hash diff_hash(std::span<const StateChange> changes) noexcept {
    core::Keccak256 h;
    for (const auto& c : changes) {
        const std::array<std::uint8_t, 1> column = {static_cast<std::uint8_t>(c.column)};
        h.update(column);
        update_length(h, c.key.size());
        h.update(c.key);
        const std::array<std::uint8_t, 1> present = {c.value ? std::uint8_t{1} : std::uint8_t{0}};
        h.update(present);
        update_length(h, c.value ? c.value->size() : 0);
        if (c.value) h.update(*c.value);
    }
    return h.finish();
}

core::Hash next_state_root(const core::Hash& parent_root,
                           std::span<const StateChange> changes) noexcept {
    const core::Hash diff = diff_hash(changes);
    core::Keccak256 h;
    h.update(parent_root.view());
    h.update(diff.view());
    return h.finish();
}

void add_changes(core::WriteBatch& batch, std::span<const StateChange> changes) {
    for (const auto& c : changes) {
        if (c.value) {
            batch.put(c.column, c.key, *c.value);
        } else {
            batch.erase(c.column, c.key);
        }
    }
}

}  // namespace mfd::chain
