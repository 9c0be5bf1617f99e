#include "chain_sim/executed_block.hpp"

#include "storage/chain_meta.hpp"
#include "storage/chain_records.hpp"

namespace mfd::chain {

core::Result<core::WriteBatch> commit_batch(const ExecutedBlock& executed) {
    core::WriteBatch batch;
    add_changes(batch, executed.changes);
    if (auto put = storage::put_block(batch, executed.block); !put) return core::fail(put.error());
    for (std::size_t i = 0; i < executed.encoded_receipts.size(); ++i) {
        batch.put(core::Column::kReceipts, executed.tx_hashes[i].view(),
                  executed.encoded_receipts[i]);
    }
    storage::put_committed_height(batch, executed.block.header.number);
    return batch;
}

}  // namespace mfd::chain
