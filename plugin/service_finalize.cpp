// FraudService: applying a committed block (history, consensus outcomes, findings, head) in one
// RocksDB write.
#include <spdlog/spdlog.h>

#include <map>

#include "plugin/fraud_service.hpp"
#include "plugin/hook_results.hpp"
#include "storage/rocks_store.hpp"

namespace mfd::plugin {
namespace {

using Clock = std::chrono::steady_clock;

core::ByteView view_of(const fp_bytes& b) noexcept {
    return b.data == nullptr ? core::ByteView() : core::ByteView(b.data, b.len);
}

}  // namespace

core::Result<void> FraudService::finalize_block(const fp_block& block) {
    const auto start = Clock::now();
    core::Result<void> r;
    {
        std::lock_guard lock(finalize_mu_);
        r = apply_block(block);
    }
    metrics_->observe_call(Hook::kFinalizeBlock, Clock::now() - start,
                           config_.budget(Hook::kFinalizeBlock));
    if (r) refresh_utilisation();
    return r;
}

core::Result<void> FraudService::report_refusal(core::ByteView raw, std::uint32_t reason) {
    if (reason < FP_REFUSED_NONCE_TOO_LOW || reason > FP_REFUSED_OTHER) {
        return core::fail(core::Errc::kInvalidArgument,
                          "report_refusal: unknown reason " + std::to_string(reason));
    }
    if (raw.size() > config_.max_tx_bytes) {
        return core::fail(
            core::Errc::kInvalidArgument,
            "report_refusal: " + std::to_string(raw.size()) + " bytes is over max_tx_bytes");
    }
    metrics_->count_refusal(reason);
    if (reason != FP_REFUSED_NONCE_TOO_LOW) return {};
    std::lock_guard lock(finalize_mu_);
    auto event = event_of(raw, now_ms());
    if (!event) return core::fail(event.error());
    auto executed = outcome(event->hash);
    if (!executed) return core::fail(executed.error());
    if (*executed && (*executed)->included) return {};  // a re-broadcast of a mined transaction
    auto r = models_->current()->detector->observe_refused_stale(*event);
    if (const auto sender = event->sender(); r && sender) stale_refusals_.put(*sender, ++seq_);
    return r;
}

core::Result<void> FraudService::apply_block(const fp_block& block) {
    if (block.height == 0) {
        return core::fail(core::Errc::kInvalidArgument,
                          "finalize_block: height 0 (blocks start at 1)");
    }
    if (block.height == head_.height && from_fp_hash(block.block_hash) != head_.block_hash) {
        return core::fail(core::Errc::kCorruption,
                          "finalize_block: block " + std::to_string(block.height) + " is " +
                              from_fp_hash(block.block_hash).hex() +
                              ", but this plugin's store finalised " + head_.block_hash.hex() +
                              " at that height: the host's chain and this store disagree");
    }
    if (block.height <= head_.height) return {};
    const auto model = models_->current();
    std::vector<core::Hash> executed;
    for (std::size_t i = 0; i < block.n_executed; ++i) {
        auto event = event_of(view_of(block.executed[i]), block.time_ms);
        if (!event) {
            spdlog::warn("fraud plugin: block {} executed tx {} that does not decode: {}",
                         block.height, i, event.error().to_string());
            continue;
        }
        if (auto r = model->detector->observe(*event); !r) {
            model->detector->discard();
            return core::fail(r.error());
        }
        executed.push_back(event->hash);
    }
    for (std::size_t i = 0; i < block.n_flags; ++i) {
        if (!block.flags[i].excluded) continue;
        const auto cached = events_.get(from_fp_hash(block.flags[i].tx_hash));
        if (!cached) continue;  // never seen here: nothing known of its accounts
        if (auto r = model->detector->observe_excluded(**cached); !r) {
            model->detector->discard();
            return core::fail(r.error());
        }
    }
    core::WriteBatch batch;
    model->detector->commit(batch);
    const Head next{block.height, block.time_ms, from_fp_hash(block.block_hash)};
    auto outcomes = add_outcomes(block, executed, batch);
    if (outcomes) {
        batch.put(core::Column::kMeta, head_key(), encode_head(next));
        outcomes = store_->write(batch, true);
    }
    if (!outcomes) {
        resync_detector();
        return core::fail(outcomes.error());
    }
    head_ = next;
    time_ms_.store(block.time_ms);
    head_height_.store(block.height);
    rebuild_seen(block, executed);
    std::size_t excluded = 0;
    for (std::size_t i = 0; i < block.n_flags; ++i) excluded += block.flags[i].excluded ? 1 : 0;
    metrics_->count_block(block.height, block.n_flags, excluded);
    return {};
}

core::Result<void> FraudService::add_outcomes(const fp_block& block,
                                              const std::vector<core::Hash>& executed,
                                              core::WriteBatch& batch) {
    std::map<core::Hash, TxOutcome> outcomes;
    for (const auto& h : executed) outcomes[h] = {.height = block.height, .included = true};
    std::map<core::Address, AccountFlags> accounts;
    for (std::size_t i = 0; i < block.n_flags; ++i) {
        const fp_committed_flag& f = block.flags[i];
        const core::Hash tx = from_fp_hash(f.tx_hash);
        TxOutcome& o = outcomes[tx];
        o.height = block.height;
        o.excluded = f.excluded != 0;
        o.flagged_power = f.flagged_power;
        o.total_power = f.total_power;
        o.mean_score = f.mean_score;
        Finding finding{tx,           block.height,    f.flagged_power, f.total_power,
                        f.mean_score, f.excluded != 0, std::nullopt,    std::nullopt,
                        std::nullopt};
        if (const auto local = scores_.get(tx)) {
            finding.sender = local->sender;
            finding.to = local->to;
            finding.local_probability = local->score.probability;
        }
        batch.put(core::Column::kFraudScores, finding_key(block.height, tx),
                  encode_finding(finding));
        if (!finding.sender) continue;
        if (!accounts.contains(*finding.sender)) {
            auto stored = account_flags(*finding.sender);
            if (!stored) return core::fail(stored.error());
            accounts[*finding.sender] = *stored;
        }
        accounts[*finding.sender].flagged += 1;
        accounts[*finding.sender].excluded += o.excluded ? 1 : 0;
    }
    for (const auto& [tx, o] : outcomes) {
        batch.put(core::Column::kFraudScores, outcome_key(tx), encode_outcome(o));
    }
    for (const auto& [a, f] : accounts) {
        batch.put(core::Column::kFraudScores, account_flags_key(a), encode_account_flags(f));
    }
    return {};
}

void FraudService::resync_detector() {
    const auto model = models_->current();
    const ModelFile file{model->detector->model(), model->version, model->path};
    auto fresh = bind_model(file, store_.get(), detector_options());
    if (!fresh) {
        spdlog::error("fraud plugin: cannot rebuild the detector after a failed write: {}",
                      fresh.error().to_string());
        return;
    }
    (*fresh)->tally = model->tally;
    attach_feature_log(**fresh);
    models_->swap(std::move(*fresh));
}

}  // namespace mfd::plugin
