// FraudService: turning raw transactions into scores, on the workers with the hook's budget
// (check_tx, score_batch) or on the caller's thread (JSON-RPC).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "core/keccak.hpp"
#include "plugin/feature_log_sink.hpp"
#include "plugin/fraud_service.hpp"
#include "plugin/hook_results.hpp"
#include "plugin/wall_clock.hpp"

namespace mfd::plugin {
namespace {

using Clock = std::chrono::steady_clock;

/// Chunks below this size are not worth another worker.
constexpr std::size_t kMinChunk = 16;
/// From this many transactions on, a chunk is scored as one batch through the detector's
/// LibTorch scorer (on the configured device) instead of row by row on the host.
constexpr std::size_t kBatchRows = 64;

/// True when a score's probability and its experts' weights and scores are all finite. A NaN
/// compares as "below the threshold", so a score that is not finite must never be read as one.
bool finite(const fraud::Score& s) {
    if (!std::isfinite(s.probability)) return false;
    const auto& x = s.explanation;
    for (std::size_t i = 0; i < x.expert_count && i < x.experts.size(); ++i) {
        if (!std::isfinite(x.experts[i].weight) || !std::isfinite(x.experts[i].probability)) {
            return false;
        }
    }
    return true;
}

}  // namespace

core::Result<core::TxEvent> FraudService::event_of(core::ByteView raw, std::int64_t time_ms) {
    const core::Hash hash = core::keccak256(raw);
    if (auto hit = events_.get(hash); hit && std::ranges::equal((*hit)->raw, raw)) {
        core::TxEvent event = **hit;
        event.time_ms = time_ms;
        return event;
    }
    auto event = core::tx_event_from_raw(raw, rules_, time_ms);
    if (!event) return core::fail(event.error());
    event->claimed_sender = event->recovered_sender;
    events_.put(hash, std::make_shared<const core::TxEvent>(*event));
    return event;
}

std::vector<LocalScore> FraudService::score_events(std::span<const core::TxEvent> events,
                                                   std::span<const fraud::TxContext> contexts,
                                                   std::string_view origin) {
    const auto start = Clock::now();
    const FeatureLogSink::HookScope hook(origin);
    if (config_.testing.score_delay.count() > 0) {
        std::this_thread::sleep_for(config_.testing.score_delay);
    }
    if (config_.testing.score_error) {
        throw std::runtime_error("injected scoring failure (testing.score_error)");
    }
    const auto model = models_->current();
    // Taken before the features are read: a refusal counted after this is newer than the
    // scores (or read by them: rescoring is then merely redundant).
    const std::uint64_t seq = ++seq_;
    std::vector<fraud::Score> scores;
    if (events.size() >= kBatchRows) {
        if (auto r = model->detector->score_batch(events, scores, contexts); !r) {
            throw std::runtime_error(r.error().to_string());
        }
    } else {
        // Row by row on the host's forward; the batch path's scorer checks its outputs itself.
        const fraud::TxContext none;
        for (std::size_t i = 0; i < events.size(); ++i) {
            scores.push_back(
                model->detector->score(events[i], contexts.empty() ? none : contexts[i]));
            if (!finite(scores.back())) {
                throw std::runtime_error("the model's score of " + events[i].hash.hex() +
                                         " is NaN or infinite (weights out of range)");
            }
        }
    }
    const auto each = (Clock::now() - start) / std::max<std::size_t>(1, events.size());
    const std::int64_t seen = wall_ms();
    std::vector<LocalScore> out(events.size());
    std::size_t flagged = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const core::TxEvent& event = events[i];
        LocalScore& s = out[i];
        s.score = scores[i];
        s.tx_hash = event.hash;
        s.validity = event.validity;
        s.sender = event.sender();
        s.to = event.tx.to;
        s.origin = origin;
        s.seen_ms = seen;
        s.seq = seq;
        s.model_version = model->version;
        s.latency_us = micros(each);
        flagged += s.score.flagged ? 1 : 0;
        model->tally->add(s.score.explanation);
        metrics_->count_experts(s.score.explanation);
        remember(s);
    }
    metrics_->count_scored(origin, events.size(), flagged);
    return out;
}

void FraudService::remember(const LocalScore& s) {
    if (!scores_.put(s.tx_hash, s) || !s.sender) return;
    accounts_.update(*s.sender, [&](AccountRisk& a) {
        a.scored += 1;
        a.flagged += s.score.flagged ? 1 : 0;
        a.max_probability = std::max(a.max_probability, s.score.probability);
        a.last_probability = s.score.probability;
        const double p = std::clamp(static_cast<double>(s.score.probability), 1e-6, 1 - 1e-6);
        a.logit_sum += std::log(p / (1 - p));
        a.last_tx = s.tx_hash;
    });
}

core::Result<LocalScore> FraudService::score_raw(core::ByteView raw) {
    auto event = event_of(raw, now_ms());
    if (!event) return core::fail(event.error());
    return std::move(score_events(std::span(&*event, 1), {}, kRpcOrigin).front());
}

// Every decoded transaction's signature is remembered as seen before any is scored, so that
// two candidates sharing an r value both show the reuse.
std::vector<FraudService::Entry> FraudService::score_chunk(const Batch& batch, std::size_t begin,
                                                           std::size_t end, Hook hook) {
    std::vector<Entry> out(end - begin);
    std::vector<core::TxEvent> events;
    std::vector<fraud::TxContext> contexts;
    std::vector<std::size_t> where;
    const auto model = models_->current();
    const bool consensus = hook == Hook::kPrepareProposal || hook == Hook::kExtendVote;
    for (std::size_t i = begin; i < end; ++i) {
        Entry& e = out[i - begin];
        auto event = event_of(batch.raws[i], now_ms());
        if (!event) {
            e.hash = core::keccak256(batch.raws[i]);
            e.error = event.error().code;
            continue;
        }
        e.hash = event->hash;
        e.decoded = true;
        model->detector->note_seen(*event);
        if (consensus) {
            // Reused unless a signature seen since shows its r again (nonce reuse), or its
            // sender has had a transaction refused on a spent nonce since (a replay's stale copy
            // that reached the host after the transfer it goes with).
            auto admitted = admission_score(e.hash, *model);
            const bool stands =
                admitted && (admitted->score.flagged ||
                             (!model->detector->reuses_r(*event) && !refused_since(*admitted)));
            if (stands) {
                e.local = std::move(*admitted);
                continue;
            }
        }
        events.push_back(std::move(*event));
        if (!batch.contexts.empty()) contexts.push_back(batch.contexts[i]);
        where.push_back(i - begin);
    }
    auto scores = score_events(events, contexts, hook_name(hook));
    for (std::size_t k = 0; k < where.size(); ++k) out[where[k]].local = std::move(scores[k]);
    if (hook == Hook::kCheckTx) {
        for (std::size_t k = 0; k < where.size(); ++k) {
            if (scores[k].validity == core::Errc::kOk) {
                note_arrival(events[k], scores[k].score.flagged);
            }
        }
    }
    return out;
}

// A block's candidates were scored when they arrived, from what came before them; the vote
// reuses that score (the same model) rather than scoring them again against a pool in which
// they and their successors are already present.
std::optional<LocalScore> FraudService::admission_score(const core::Hash& hash,
                                                        const ModelState& model) const {
    auto cached = scores_.get(hash);
    if (!cached || cached->origin != hook_name(Hook::kCheckTx) ||
        cached->model_version != model.version) {
        return std::nullopt;
    }
    return cached;
}

bool FraudService::refused_since(const LocalScore& s) const {
    if (!s.sender) return false;
    const auto refused = stale_refusals_.get(*s.sender);
    return refused && *refused > s.seq;
}

void FraudService::note_arrival(const core::TxEvent& event, bool flagged) {
    std::lock_guard lock(seen_mu_);
    if (!seen_hashes_.insert(event.hash).second) return;
    const auto model = models_->current();
    if (auto r = model->detector->observe_seen(event, flagged); !r) {
        seen_hashes_.erase(event.hash);
        return;
    }
    seen_.push_back({event, head_height_.load(), flagged});
    if (seen_.size() > kMaxSeen) {
        seen_hashes_.erase(seen_.front().event.hash);
        seen_.pop_front();
    }
}

void FraudService::rebuild_seen(const fp_block& block, const std::vector<core::Hash>& executed) {
    std::unordered_set<core::Hash> gone(executed.begin(), executed.end());
    for (std::size_t i = 0; i < block.n_flags; ++i) {
        if (block.flags[i].excluded) gone.insert(from_fp_hash(block.flags[i].tx_hash));
    }
    std::lock_guard lock(seen_mu_);
    std::erase_if(seen_, [&](const Seen& s) {
        const bool drop = gone.contains(s.event.hash) || s.height + kSeenBlocks < block.height;
        if (drop) seen_hashes_.erase(s.event.hash);
        return drop;
    });
    const auto model = models_->current();
    model->detector->clear_seen();
    for (const auto& s : seen_) (void)model->detector->observe_seen(s.event, s.flagged);
}

std::vector<FraudService::Entry> FraudService::score_many(
    std::span<const core::ByteView> raws, std::span<const fraud::TxContext> contexts, Hook hook) {
    auto owned = std::make_shared<Batch>();
    owned->raws.reserve(raws.size());
    for (const auto& r : raws) owned->raws.emplace_back(r.begin(), r.end());
    owned->contexts.assign(contexts.begin(), contexts.end());
    const std::size_t n = raws.size();
    const std::size_t chunks = std::clamp<std::size_t>(n / kMinChunk, 1, config_.workers);
    std::vector<std::function<std::vector<Entry>()>> jobs;
    for (std::size_t c = 0; c < chunks; ++c) {
        const std::size_t begin = n * c / chunks;
        const std::size_t end = n * (c + 1) / chunks;
        jobs.emplace_back(
            [this, owned, begin, end, hook] { return score_chunk(*owned, begin, end, hook); });
    }
    auto results = runner_->run_all<std::vector<Entry>>(std::move(jobs), config_.budget(hook));
    std::vector<Entry> out(n);
    for (std::size_t c = 0; c < chunks; ++c) {
        const std::size_t begin = n * c / chunks;
        const std::size_t end = n * (c + 1) / chunks;
        if (results[c].status == RunStatus::kDone) {
            std::move(results[c].value->begin(), results[c].value->end(), out.begin() + begin);
            continue;
        }
        for (std::size_t i = begin; i < end; ++i) {
            out[i] = unscored(owned->raws[i], results[c].status);
        }
        note_failure(hook, results[c].status, end - begin, results[c].error);
    }
    return out;
}

FraudService::Entry FraudService::unscored(core::ByteView raw, RunStatus status) {
    Entry e;
    e.hash = core::keccak256(raw);
    e.status = status;
    auto tx = core::decode_transaction(raw);
    e.decoded = tx.has_value();
    if (!tx) e.error = tx.error().code;
    return e;
}

void FraudService::note_failure(Hook hook, RunStatus status, std::size_t n,
                                const std::string& error) {
    const bool timeout = status == RunStatus::kTimeout;
    metrics_->count_failure(hook, timeout ? FailureKind::kTimeout : FailureKind::kError, n);
    const std::int64_t now = wall_ms();
    std::int64_t last = last_warn_ms_.load();
    if (now - last < 1000 || !last_warn_ms_.compare_exchange_strong(last, now)) return;
    spdlog::warn("fraud plugin: {} {} for {} transaction(s) ({}); {} applied", hook_name(hook),
                 timeout ? "timed out" : "failed", n, error,
                 policy_flags() ? "fail-closed" : "fail-open");
}

void FraudService::check_tx(core::ByteView raw, const fraud::TxContext& context,
                            fp_check_result& out) {
    const auto start = Clock::now();
    out = fp_check_result{};
    fill_check(raw, context, out);
    metrics_->count_check(out.verdict == FP_ACCEPT, out.reason);
    metrics_->observe_call(Hook::kCheckTx, Clock::now() - start, config_.budget(Hook::kCheckTx));
}

void FraudService::fill_check(core::ByteView raw, const fraud::TxContext& context,
                              fp_check_result& out) {
    out.verdict = FP_REJECT;
    if (raw.size() > config_.max_tx_bytes) {
        out.score.status = FP_ERR_DECODE;
        set_reason(out, "OVERSIZED");
        return;
    }
    const auto entries = score_many(std::span(&raw, 1), std::span(&context, 1), Hook::kCheckTx);
    const Entry& e = entries.front();
    out.score = to_fp_score(e);
    if (!e.decoded) {
        set_reason(out, core::reason_name(e.error));
    } else if (!e.local) {
        out.verdict = policy_flags() ? FP_REJECT : FP_ACCEPT;
        set_reason(out, e.status == RunStatus::kTimeout ? "TIMEOUT" : "SCORING_FAILED");
    } else if (e.local->validity != core::Errc::kOk) {
        set_reason(out, core::reason_name(e.local->validity));
    } else if (e.local->score.flagged && config_.reject_flagged) {
        set_reason(out, "FLAGGED");
    } else {
        out.verdict = FP_ACCEPT;
    }
}

fp_score FraudService::to_fp_score(const Entry& e) const {
    fp_score s{};
    s.tx_hash = to_fp_hash(e.hash);
    if (!e.decoded) {
        s.status = FP_ERR_DECODE;
    } else if (!e.local) {
        s.degraded = 1;
        s.flagged = policy_flags() ? 1 : 0;
        s.status = e.status == RunStatus::kTimeout ? FP_ERR_TIMEOUT : FP_ERR_INTERNAL;
    } else {
        s.probability = e.local->score.probability;
        s.score_bp = basis_points(e.local->score.probability);
        s.flagged = e.local->score.flagged ? 1 : 0;
        s.latency_us = e.local->latency_us;
    }
    return s;
}

void FraudService::score_batch(std::span<const core::ByteView> raws,
                               std::span<const fraud::TxContext> contexts,
                               std::span<fp_score> out) {
    const auto start = Clock::now();
    const auto entries = score_many(raws, contexts, Hook::kScoreBatch);
    for (std::size_t i = 0; i < entries.size(); ++i) out[i] = to_fp_score(entries[i]);
    metrics_->observe_call(Hook::kScoreBatch, Clock::now() - start,
                           config_.budget(Hook::kScoreBatch));
}

}  // namespace mfd::plugin
