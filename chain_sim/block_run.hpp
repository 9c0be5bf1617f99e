#pragma once
/// Executes transactions one after another on a fresh overlay of the committed state and
/// seals the result into an ExecutedBlock: the shared engine of block application and block
/// building. Not thread-safe (one run per block).

#include <cstdint>

#include "chain_sim/executed_block.hpp"
#include "chain_sim/tx_executor.hpp"

namespace mfd::chain {

class BlockRun {
public:
    /// A run over the state committed in `store`, read through `cache`, for a block with `env`
    /// and `gas_limit`; `store` and `cache` must outlive it.
    BlockRun(const core::KvStore& store, const StateCache& cache, const BlockEnv& env,
             std::uint64_t gas_limit)
        : state_(store, &cache), env_(env), gas_limit_(gas_limit) {}

    /// Executes `tx` with its canonical `raw` bytes and `hash`. An invalid transaction fails
    /// with its reason and changes nothing; a store failure fails the same way and is also kept
    /// in `store_error()`.
    [[nodiscard]] core::Result<void> add(const core::CheckedTransaction& tx, core::Bytes raw);

    /// Gas the transactions so far used.
    [[nodiscard]] std::uint64_t gas_used() const noexcept { return gas_used_; }
    /// The first store failure met, if any (the run is then useless).
    [[nodiscard]] const std::optional<core::Error>& store_error() const noexcept {
        return state_.error();
    }

    /// Seals the block: `header` with gas used, receipts root, the state root chained on
    /// `parent_state_root`, and (when `seal_body`) the transactions and consensus roots;
    /// without it the header's body roots are kept (the caller checked them). The run must not
    /// be used afterwards.
    [[nodiscard]] ExecutedBlock finish(core::BlockHeader header, core::Bytes consensus_payload,
                                       const core::Hash& parent_state_root, bool seal_body);

private:
    StateOverlay state_;
    BlockEnv env_;
    std::uint64_t gas_limit_;
    std::uint64_t gas_used_ = 0;
    ExecutedBlock out_;
};

}  // namespace mfd::chain
