#include "chain_sim/node/fraud_hooks.hpp"

#include <algorithm>
#include <numeric>

#include "core/keccak.hpp"
#include "core/transaction.hpp"

namespace mfd::chain::node {

core::Result<void> PluginHooks::report_refusal(core::ByteView raw, plugin::Refusal why) {
    return instance_->report_refusal(raw, why);
}

core::Result<plugin::CheckResult> PluginHooks::check_tx(core::ByteView raw,
                                                        const plugin::TxState* state) {
    return instance_->check_tx(raw, state);
}

core::Result<plugin::ProposalOrder> PluginHooks::prepare_proposal(
    std::uint64_t height, std::span<const core::ByteView> raws,
    std::span<const plugin::TxState> states) {
    return instance_->prepare_proposal(height, raws, states);
}

core::Result<plugin::Verdict> PluginHooks::process_proposal(std::uint64_t height,
                                                            std::span<const core::ByteView> raws) {
    return instance_->process_proposal(height, raws);
}

core::Result<std::vector<plugin::Flag>> PluginHooks::extend_vote(
    std::uint64_t height, std::span<const core::ByteView> raws, std::size_t cap,
    std::span<const plugin::TxState> states) {
    return instance_->extend_vote(height, raws, cap, states);
}

core::Result<plugin::Verdict> PluginHooks::verify_vote_extension(
    const core::Address& validator, std::uint64_t height, std::span<const plugin::Flag> flags) {
    return instance_->verify_vote_extension(validator, height, flags);
}

core::Result<void> PluginHooks::finalize_block(const plugin::BlockInput& block) {
    return instance_->finalize_block(block);
}

core::Result<void> ListedHooks::report_refusal(core::ByteView raw, plugin::Refusal why) {
    std::lock_guard lock(mu_);
    refused_.emplace_back(core::keccak256(raw), why);
    return {};
}

std::vector<std::pair<core::Hash, plugin::Refusal>> ListedHooks::refused() const {
    std::lock_guard lock(mu_);
    return refused_;
}

core::Result<plugin::CheckResult> ListedHooks::check_tx(core::ByteView raw,
                                                        const plugin::TxState*) {
    plugin::CheckResult out;
    out.score.tx_hash = core::keccak256(raw);
    out.score.flagged = flagged_.contains(out.score.tx_hash);
    out.score.score_bp = out.score.flagged ? 9000 : 100;
    const bool decodes = core::decode_transaction(raw).has_value();
    out.verdict = decodes ? plugin::Verdict::kAccept : plugin::Verdict::kReject;
    if (!decodes) out.reason = "DECODE";
    return out;
}

core::Result<plugin::ProposalOrder> ListedHooks::prepare_proposal(
    std::uint64_t, std::span<const core::ByteView> raws, std::span<const plugin::TxState>) {
    plugin::ProposalOrder out;
    out.order.resize(raws.size());
    std::iota(out.order.begin(), out.order.end(), 0U);
    out.keep.assign(raws.size(), 1);
    return out;
}

core::Result<plugin::Verdict> ListedHooks::process_proposal(std::uint64_t,
                                                            std::span<const core::ByteView> raws) {
    const bool ok = std::all_of(raws.begin(), raws.end(), [](core::ByteView r) {
        return core::decode_transaction(r).has_value();
    });
    return ok ? plugin::Verdict::kAccept : plugin::Verdict::kReject;
}

core::Result<std::vector<plugin::Flag>> ListedHooks::extend_vote(
    std::uint64_t, std::span<const core::ByteView> raws, std::size_t cap,
    std::span<const plugin::TxState>) {
    std::vector<plugin::Flag> flags;
    for (const auto& raw : raws) {
        const core::Hash h = core::keccak256(raw);
        if (flagged_.contains(h)) flags.push_back({h, 9000});
    }
    std::sort(flags.begin(), flags.end(),
              [](const plugin::Flag& a, const plugin::Flag& b) { return a.tx < b.tx; });
    flags.erase(std::unique(flags.begin(), flags.end()), flags.end());
    if (flags.size() > cap) flags.resize(cap);
    return flags;
}

core::Result<plugin::Verdict> ListedHooks::verify_vote_extension(
    const core::Address&, std::uint64_t, std::span<const plugin::Flag> flags) {
    const bool sorted = std::adjacent_find(flags.begin(), flags.end(),
                                           [](const plugin::Flag& a, const plugin::Flag& b) {
                                               return !(a.tx < b.tx);
                                           }) == flags.end();
    return sorted ? plugin::Verdict::kAccept : plugin::Verdict::kReject;
}

core::Result<void> ListedHooks::finalize_block(const plugin::BlockInput& block) {
    std::lock_guard lock(mu_);
    finalized_.push_back(block.height);
    return {};
}

std::vector<std::uint64_t> ListedHooks::finalized() const {
    std::lock_guard lock(mu_);
    return finalized_;
}

}  // namespace mfd::chain::node
