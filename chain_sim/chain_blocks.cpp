// Chain: building, executing and committing blocks.
#include "chain_sim/block_roots.hpp"
#include "chain_sim/block_run.hpp"
#include "chain_sim/chain.hpp"
#include "chain_sim/parallel.hpp"
#include "core/keccak.hpp"

namespace mfd::chain {
namespace {

core::Unexpected invalid_block(const core::BlockHeader& h, std::string what) {
    return core::fail(core::Errc::kInvalidArgument,
                      "block " + std::to_string(h.number) + ": " + what);
}

core::Result<void> expect_equal(const core::BlockHeader& h, std::string_view field,
                                const core::Hash& proposed, const core::Hash& executed) {
    if (proposed == executed) return {};
    return invalid_block(
        h, std::string(field) + " " + proposed.hex() + " but execution gives " + executed.hex());
}

}  // namespace

core::Result<void> Chain::check_header(const core::BlockHeader& h) const {
    if (h.number != head_.number + 1) {
        return invalid_block(h, "expected number " + std::to_string(head_.number + 1));
    }
    if (h.parent_hash != head_hash_) return invalid_block(h, "parent is not the head");
    if (h.gas_limit != config_.block_gas_limit) {
        return invalid_block(h, "gas limit " + std::to_string(h.gas_limit) + ", expected " +
                                    std::to_string(config_.block_gas_limit));
    }
    if (h.base_fee != next_base_fee()) {
        return invalid_block(
            h, "base fee " + h.base_fee.to_dec() + ", expected " + next_base_fee().to_dec());
    }
    if (h.timestamp_ms < head_.timestamp_ms) return invalid_block(h, "timestamp before parent's");
    return {};
}

core::Result<BuiltBlock> Chain::build_block(std::span<const core::CheckedTransaction> candidates,
                                            const BlockContext& context) const {
    if (context.timestamp_ms < head_.timestamp_ms) {
        return core::fail(core::Errc::kInvalidArgument, "timestamp before the head's");
    }
    const BlockEnv env{context.proposer, next_base_fee(), tx_rules()};
    BlockRun run(*store_, cache_, env, config_.block_gas_limit);
    BuiltBlock built;
    for (const auto& tx : candidates) {
        core::Bytes raw = core::encode_transaction(tx.tx);
        if (core::keccak256(raw) != tx.hash) {
            built.skipped.push_back(
                {tx.hash, {core::Errc::kInvalidArgument, "hash is not the transaction's"}});
            continue;
        }
        auto added = run.add(tx, std::move(raw));
        if (run.store_error()) return core::fail(*run.store_error());
        if (!added) built.skipped.push_back({tx.hash, added.error()});
    }
    core::BlockHeader header;
    header.parent_hash = head_hash_;
    header.number = head_.number + 1;
    header.timestamp_ms = context.timestamp_ms;
    header.proposer = context.proposer;
    header.gas_limit = config_.block_gas_limit;
    header.base_fee = env.base_fee;
    built.executed = run.finish(header, context.consensus_payload, head_.state_root, true);
    return built;
}

core::Result<void> Chain::check_body(const core::Block& block,
                                     std::span<const core::CheckedTransaction> txs) const {
    const core::BlockHeader& h = block.header;
    std::vector<core::Hash> hashes(block.transactions.size());
    parallel_for(hashes.size(),
                 [&](std::size_t i) { hashes[i] = core::keccak256(block.transactions[i]); });
    if (root_of_hashes(hashes) != h.transactions_root) {
        return core::fail(
            core::Errc::kBlockTxRootMismatch,
            "block " + std::to_string(h.number) + ": transactions root does not match the body");
    }
    if (core::consensus_root(block.consensus_payload) != h.consensus_root) {
        return core::fail(
            core::Errc::kBlockConsensusRootMismatch,
            "block " + std::to_string(h.number) + ": consensus root does not match the payload");
    }
    if (txs.size() != block.transactions.size()) {
        return invalid_block(h, std::to_string(txs.size()) + " checked transactions for " +
                                    std::to_string(block.transactions.size()));
    }
    for (std::size_t i = 0; i < txs.size(); ++i) {
        if (hashes[i] != txs[i].hash) {
            return invalid_block(
                h, "transaction " + std::to_string(i) + " is not the checked one given");
        }
    }
    return {};
}

core::Result<ExecutedBlock> Chain::run_block(const core::Block& block,
                                             std::span<const core::CheckedTransaction> txs) const {
    const core::BlockHeader& h = block.header;
    const BlockEnv env{h.proposer, h.base_fee, tx_rules()};
    BlockRun run(*store_, cache_, env, h.gas_limit);
    for (std::size_t i = 0; i < txs.size(); ++i) {
        if (auto added = run.add(txs[i], block.transactions[i]); !added) {
            return core::fail(added.error().code, "block " + std::to_string(h.number) +
                                                      ", transaction " + std::to_string(i) + ": " +
                                                      added.error().message);
        }
    }
    return run.finish(h, block.consensus_payload, head_.state_root, false);
}

core::Result<ExecutedBlock> Chain::execute_block(
    const core::Block& block, std::span<const core::CheckedTransaction> txs) const {
    const core::BlockHeader& h = block.header;
    if (auto ok = check_header(h); !ok) return core::fail(ok.error());
    if (auto body = check_body(block, txs); !body) return core::fail(body.error());
    auto executed = run_block(block, txs);
    if (!executed) return executed;
    const core::BlockHeader& e = executed->block.header;
    if (e.gas_used != h.gas_used) {
        return invalid_block(h, "gas used " + std::to_string(h.gas_used) + " but execution uses " +
                                    std::to_string(e.gas_used));
    }
    if (auto r = expect_equal(h, "state root", h.state_root, e.state_root); !r) {
        return core::fail(r.error());
    }
    if (auto r = expect_equal(h, "receipts root", h.receipts_root, e.receipts_root); !r) {
        return core::fail(r.error());
    }
    return executed;
}

core::Result<ExecutedBlock> Chain::execute_block(const core::Block& block) const {
    const std::size_t n = block.transactions.size();
    std::vector<std::optional<core::Result<core::CheckedTransaction>>> checked(n);
    parallel_for(n, [&](std::size_t i) {
        checked[i] = core::check_transaction(block.transactions[i], tx_rules());
    });
    std::vector<core::CheckedTransaction> txs;
    txs.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (!*checked[i]) {
            return core::fail(checked[i]->error().code,
                              "block " + std::to_string(block.header.number) + ", transaction " +
                                  std::to_string(i) + ": " + checked[i]->error().message);
        }
        txs.push_back(std::move(**checked[i]));
    }
    return execute_block(block, txs);
}

core::Result<void> Chain::commit(const ExecutedBlock& executed) {
    const core::BlockHeader& h = executed.block.header;
    if (h.number != head_.number + 1 || h.parent_hash != head_hash_) {
        return invalid_block(h, "executed on a head that is no longer current");
    }
    auto batch = commit_batch(executed);
    if (!batch) return core::fail(batch.error());
    if (auto written = store_->write(*batch); !written) return written;
    cache_.apply(executed.changes);
    head_ = h;
    head_hash_ = core::block_hash(head_);
    return {};
}

core::Result<ExecutedBlock> Chain::apply_block(const core::Block& block,
                                               std::span<const core::CheckedTransaction> txs) {
    auto executed = execute_block(block, txs);
    if (!executed) return executed;
    if (auto committed = commit(*executed); !committed) return core::fail(committed.error());
    return executed;
}

core::Result<ExecutedBlock> Chain::apply_block(const core::Block& block) {
    auto executed = execute_block(block);
    if (!executed) return executed;
    if (auto committed = commit(*executed); !committed) return core::fail(committed.error());
    return executed;
}

}  // namespace mfd::chain
