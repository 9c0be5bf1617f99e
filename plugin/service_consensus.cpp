// FraudService: the ABCI++-shaped hooks around a block (prepare_proposal, process_proposal,
// extend_vote, verify_vote_extension).
#include <algorithm>
#include <cstring>
#include <numeric>

#include "plugin/fraud_service.hpp"
#include "plugin/hook_results.hpp"

namespace mfd::plugin {
namespace {

using Clock = std::chrono::steady_clock;

bool hash_less(const fp_hash& a, const fp_hash& b) noexcept {
    return std::memcmp(a.bytes, b.bytes, sizeof(a.bytes)) < 0;
}

/// What a validator may put in its extension: one flag per hash (the highest score), the
/// `cap` highest scores (ties: the smaller hash), ascending by hash.
std::vector<fp_flag> normalise(std::vector<fp_flag> flags, std::size_t cap) {
    std::sort(flags.begin(), flags.end(), [](const fp_flag& a, const fp_flag& b) {
        return hash_less(a.tx_hash, b.tx_hash) ||
               (!hash_less(b.tx_hash, a.tx_hash) && a.score > b.score);
    });
    flags.erase(std::unique(flags.begin(), flags.end(),
                            [](const fp_flag& a, const fp_flag& b) {
                                return !hash_less(a.tx_hash, b.tx_hash) &&
                                       !hash_less(b.tx_hash, a.tx_hash);
                            }),
                flags.end());
    if (flags.size() > cap) {
        std::stable_sort(flags.begin(), flags.end(),
                         [](const fp_flag& a, const fp_flag& b) { return a.score > b.score; });
        flags.resize(cap);
        std::sort(flags.begin(), flags.end(), [](const fp_flag& a, const fp_flag& b) {
            return hash_less(a.tx_hash, b.tx_hash);
        });
    }
    return flags;
}

}  // namespace

void FraudService::prepare_proposal(std::span<const core::ByteView> raws,
                                    std::span<const fraud::TxContext> contexts,
                                    std::span<std::uint32_t> order, std::span<std::uint8_t> keep) {
    const auto start = Clock::now();
    const auto entries = score_many(raws, contexts, Hook::kPrepareProposal);
    std::vector<float> rank(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const Entry& e = entries[i];
        const bool invalid = !e.decoded || (e.local && e.local->validity != core::Errc::kOk);
        const bool policy_drop = !e.local && policy_flags();
        const bool flag_drop = e.local && e.local->score.flagged && config_.reject_flagged;
        keep[i] = invalid || policy_drop || flag_drop ? 0 : 1;
        rank[i] = !e.decoded ? 2.0F
                  : e.local  ? e.local->score.probability
                             : (policy_flags() ? 1.0F : 0.0F);
    }
    std::iota(order.begin(), order.end(), 0U);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return rank[a] < rank[b]; });
    metrics_->observe_call(Hook::kPrepareProposal, Clock::now() - start,
                           config_.budget(Hook::kPrepareProposal));
}

fp_verdict FraudService::process_proposal(std::span<const core::ByteView> raws) {
    const auto start = Clock::now();
    fp_verdict verdict = FP_ACCEPT;
    for (const auto& raw : raws) {
        if (raw.size() > config_.max_tx_bytes) {
            verdict = FP_REJECT;
            break;
        }
        auto event = event_of(raw, now_ms());
        if (!event || event->validity != core::Errc::kOk) {
            verdict = FP_REJECT;
            break;
        }
    }
    metrics_->observe_call(Hook::kProcessProposal, Clock::now() - start,
                           config_.budget(Hook::kProcessProposal));
    return verdict;
}

std::vector<fp_flag> FraudService::extend_vote(std::span<const core::ByteView> raws,
                                               std::span<const fraud::TxContext> contexts,
                                               std::size_t cap) {
    const auto start = Clock::now();
    const auto entries = score_many(raws, contexts, Hook::kExtendVote);
    std::vector<fp_flag> flags;
    for (const Entry& e : entries) {
        if (!e.decoded) continue;
        if (e.local && e.local->score.flagged) {
            const auto bp = std::max<std::uint16_t>(1, basis_points(e.local->score.probability));
            flags.push_back({to_fp_hash(e.hash), bp});
        } else if (!e.local && policy_flags()) {
            flags.push_back({to_fp_hash(e.hash), static_cast<std::uint16_t>(FP_MAX_SCORE)});
        }
    }
    flags = normalise(std::move(flags), std::min(cap, config_.max_flags));
    metrics_->observe_call(Hook::kExtendVote, Clock::now() - start,
                           config_.budget(Hook::kExtendVote));
    return flags;
}

fp_verdict FraudService::verify_vote_extension(std::uint64_t height,
                                               std::span<const fp_flag> flags) {
    const auto start = Clock::now();
    bool ok = height >= 1 && flags.size() <= config_.max_flags;
    for (std::size_t i = 0; ok && i < flags.size(); ++i) {
        ok = flags[i].score <= FP_MAX_SCORE &&
             (i == 0 || hash_less(flags[i - 1].tx_hash, flags[i].tx_hash));
    }
    metrics_->observe_call(Hook::kVerifyVoteExtension, Clock::now() - start,
                           config_.budget(Hook::kVerifyVoteExtension));
    return ok ? FP_ACCEPT : FP_REJECT;
}

}  // namespace mfd::plugin
