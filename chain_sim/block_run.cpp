#include "chain_sim/block_run.hpp"

#include "chain_sim/block_roots.hpp"
#include "chain_sim/parallel.hpp"
#include "core/keccak.hpp"

namespace mfd::chain {

core::Result<void> BlockRun::add(const core::CheckedTransaction& tx, core::Bytes raw) {
    auto outcome = execute_transaction(state_, tx, env_, gas_limit_ - gas_used_);
    if (!outcome) return core::fail(outcome.error());
    gas_used_ += outcome->receipt.gas_used;
    outcome->receipt.cumulative_gas_used = gas_used_;
    out_.burned += outcome->burned;
    out_.tips += outcome->tip;
    out_.receipts.push_back(std::move(outcome->receipt));
    out_.tx_hashes.push_back(tx.hash);
    out_.block.transactions.push_back(std::move(raw));
    return {};
}

ExecutedBlock BlockRun::finish(core::BlockHeader header, core::Bytes consensus_payload,
                               const core::Hash& parent_state_root, bool seal_body) {
    out_.changes = state_.changes();
    header.gas_used = gas_used_;
    header.state_root = next_state_root(parent_state_root, out_.changes);
    const std::size_t n = out_.receipts.size();
    out_.encoded_receipts.resize(n);
    std::vector<core::Hash> hashes(n);
    parallel_for(n, [this, &hashes](std::size_t i) {
        out_.encoded_receipts[i] = core::encode_receipt(out_.receipts[i]);
        hashes[i] = core::keccak256(out_.encoded_receipts[i]);
    });
    header.receipts_root = root_of_hashes(hashes);
    out_.block.header = header;
    out_.block.consensus_payload = std::move(consensus_payload);
    if (seal_body) core::seal_block_body(out_.block);
    return std::move(out_);
}

}  // namespace mfd::chain
