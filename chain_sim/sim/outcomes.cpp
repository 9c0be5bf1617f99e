#include "chain_sim/sim/outcomes.hpp"

#include <algorithm>

namespace mfd::chain::sim {
namespace {

bool kept_out(Fate fate) {
    return fate == Fate::kRejected || fate == Fate::kExcluded || fate == Fate::kSkipped ||
           fate == Fate::kStuck;
}

/// A refusal that a transaction sent later might not have met.
bool temporal(core::Errc code) {
    return code == core::Errc::kTxNonceTooHigh || code == core::Errc::kTxInsufficientFunds;
}

void count_fate(FateCounts& c, Fate fate) {
    if (fate == Fate::kUnsent || fate == Fate::kEarlier) return;  // stuck ones count as sent
    ++c.sent;
    switch (fate) {
    case Fate::kPending:
        ++c.pending;
        break;
    case Fate::kRejected:
        ++c.rejected;
        break;
    case Fate::kExcluded:
        ++c.excluded;
        break;
    case Fate::kSkipped:
        ++c.skipped;
        break;
    case Fate::kExecuted:
        ++c.executed;
        break;
    case Fate::kStuck:
        ++c.stuck;
        break;
    default:
        break;
    }
}

/// The reason's name, or "plugin:<REASON>" for a refusal by the plugin.
std::string reason_key(const node::Admission& a) {
    const auto at = a.reason.find("plugin: ");
    if (at == std::string::npos) return std::string(core::reason_name(a.code));
    const std::string rest = a.reason.substr(at + 8);
    return "plugin:" + rest.substr(0, rest.find_first_of(" :"));
}

}  // namespace

std::string_view cause_name(Cause cause) noexcept {
    switch (cause) {
    case Cause::kDetector:
        return "detector";
    case Cause::kCollateral:
        return "collateral";
    case Cause::kTiming:
        return "timing";
    case Cause::kRules:
        return "rules";
    }
    return "unknown";
}

std::string_view fate_name(Fate fate) noexcept {
    switch (fate) {
    case Fate::kUnsent:
        return "unsent";
    case Fate::kPending:
        return "pending";
    case Fate::kRejected:
        return "rejected";
    case Fate::kExcluded:
        return "excluded";
    case Fate::kSkipped:
        return "skipped";
    case Fate::kExecuted:
        return "executed";
    case Fate::kEarlier:
        return "earlier";
    case Fate::kStuck:
        return "stuck";
    }
    return "unknown";
}

OutcomeTracker::OutcomeTracker(const Traffic& traffic)
    : traffic_(traffic), entries_(traffic.txs.size()), previous_(traffic.txs.size(), SIZE_MAX) {
    index_.reserve(traffic.txs.size());
    std::unordered_map<core::Address, std::size_t> last;
    for (std::size_t i = 0; i < traffic.txs.size(); ++i) {
        const TrafficTx& tx = traffic.txs[i];
        index_.emplace(tx.hash, i);
        if (!tx.signer) continue;
        if (const auto it = last.find(*tx.signer); it != last.end()) previous_[i] = it->second;
        if (tx.expected == core::Errc::kOk) last[*tx.signer] = i;
    }
}

// The generator counts a credit once, for the first transaction that needs it: a later one of
// the same signer spends the same funds, so a credit kept out fails it too.
bool OutcomeTracker::lost_dependency(std::size_t i) const {
    for (std::size_t t = i; t != SIZE_MAX; t = previous_[t]) {
        const auto& after = traffic_.txs[t].after;
        if (std::any_of(after.begin(), after.end(), [&](auto d) {
                return d < entries_.size() && kept_out(entries_[d].fate);
            })) {
            return true;
        }
    }
    return false;
}

std::size_t OutcomeTracker::index_of(const core::Hash& hash) const {
    const auto it = index_.find(hash);
    return it == index_.end() ? static_cast<std::size_t>(-1) : it->second;
}

void OutcomeTracker::mark_earlier(std::size_t index) {
    entries_[index].fate = Fate::kEarlier;
}

void OutcomeTracker::on_sent(std::size_t index, std::int64_t now_us) {
    Entry& e = entries_[index];
    if (e.fate != Fate::kUnsent) return;
    e.fate = Fate::kPending;
    e.sent_us = now_us;
}

void OutcomeTracker::on_admission(const node::Admission& admission) {
    const std::size_t i = index_of(admission.hash);
    if (i >= entries_.size()) return;
    Entry& e = entries_[i];
    if (admission.accepted) {
        if (e.fate == Fate::kRejected) e.fate = Fate::kPending;  // a resend was admitted
        return;
    }
    if (e.fate != Fate::kPending) return;
    e.fate = Fate::kRejected;
    e.reason = reason_key(admission);
    e.code = admission.code;
    e.by_plugin = admission.reason.find("plugin: ") != std::string::npos;
}

void OutcomeTracker::on_block(const node::BlockOutcome& block, std::int64_t now_us) {
    for (const auto& h : block.included) {
        const std::size_t i = index_of(h);
        if (i >= entries_.size()) continue;
        Entry& e = entries_[i];
        if (e.fate == Fate::kExecuted || e.fate == Fate::kEarlier) continue;
        e.fate = Fate::kExecuted;
        e.height = block.height;
        e.reason.clear();
        if (e.sent_us >= 0) finality_us_.push_back(now_us - e.sent_us);
    }
    for (const auto& f : block.flags) {
        const std::size_t i = index_of(f.tx);
        if (i >= entries_.size()) continue;
        entries_[i].flagged_power = std::max(entries_[i].flagged_power, f.flagged_power);
        if (f.excluded && entries_[i].fate != Fate::kExecuted) {
            entries_[i].fate = Fate::kExcluded;
            entries_[i].height = block.height;
        }
    }
    for (const auto& s : block.skipped) {
        const std::size_t i = index_of(s.hash);
        if (i < entries_.size() && entries_[i].fate == Fate::kPending) {
            entries_[i].fate = Fate::kSkipped;
            entries_[i].reason = std::string(core::reason_name(s.reason.code));
            entries_[i].code = s.reason.code;
        }
    }
}

Cause OutcomeTracker::cause_of(std::size_t index, const CauseContext& context) const {
    const Entry& e = entries_[index];
    if (e.fate == Fate::kExcluded || (e.fate == Fate::kRejected && e.by_plugin)) {
        return Cause::kDetector;
    }
    if (traffic_.txs[index].expected != core::Errc::kOk) return Cause::kRules;  // by design
    if (lost_dependency(index) || (context.blocked_by_gap && context.blocked_by_gap(index))) {
        return Cause::kCollateral;
    }
    return temporal(e.code) ? Cause::kTiming : Cause::kRules;
}

std::size_t OutcomeTracker::pending() const {
    return static_cast<std::size_t>(std::count_if(
        entries_.begin(), entries_.end(), [](const Entry& e) { return e.fate == Fate::kPending; }));
}

void OutcomeTracker::count(FateCounts& c, std::size_t i, const CauseContext& context) const {
    const Entry& e = entries_[i];
    count_fate(c, e.fate);
    if (kept_out(e.fate)) {
        ++c.kept_out_by_cause[static_cast<std::size_t>(cause_of(i, context))];
    }
    if (e.fate == Fate::kExecuted) {
        ++(e.flagged_power > 0 ? c.executed_outvoted : c.executed_unflagged);
    }
    if (e.fate == Fate::kUnsent && context.waiting && context.waiting(i)) ++c.waiting;
}

void OutcomeTracker::settle(const std::function<bool(const core::Hash&)>& pooled,
                            const std::function<bool(std::size_t)>& resending,
                            const std::function<bool(std::size_t)>& stuck) {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        Fate& f = entries_[i].fate;
        if ((f == Fate::kSkipped && pooled(traffic_.txs[i].hash)) ||
            (f == Fate::kRejected && resending(i))) {
            f = Fate::kPending;
        }
        if ((f == Fate::kPending || f == Fate::kUnsent) && stuck && stuck(i)) f = Fate::kStuck;
    }
}

Detection OutcomeTracker::detection(const CauseContext& context) const {
    Detection d;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const TrafficTx& tx = traffic_.txs[i];
        const Entry& e = entries_[i];
        FateCounts& group = tx.label == 1                    ? d.fraud
                            : tx.expected == core::Errc::kOk ? d.honest_valid
                                                             : d.honest_invalid;
        count(group, i, context);
        count(d.by_typology[tx.typology], i, context);
        if (tx.label == 1 && tx.sender_role != "weak_key_first") {
            count(d.fraud_detectable, i, context);
            count(d.detectable_by_typology[tx.typology], i, context);
        }
        if (e.fate == Fate::kRejected) ++d.rejection_reasons[e.reason];
        if (e.fate == Fate::kSkipped) ++d.skip_reasons[e.reason];
        const bool due = e.fate == Fate::kUnsent && context.waiting && context.waiting(i);
        if (e.fate == Fate::kPending || due) ++d.pending_at_end;
    }
    return d;
}

}  // namespace mfd::chain::sim

namespace mfd::chain::sim {

std::string OutcomeTracker::outcomes_csv(const CauseContext& context) const {
    std::string out =
        "index,hash,label,typology,sender_role,fate,cause,reason,flagged_power,sent_ms,height\n";
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const Entry& e = entries_[i];
        const TrafficTx& tx = traffic_.txs[i];
        out += std::to_string(i) + "," + tx.hash.hex() + "," + std::to_string(tx.label) + "," +
               tx.typology + "," + tx.sender_role + "," + std::string(fate_name(e.fate)) + "," +
               (kept_out(e.fate) ? std::string(cause_name(cause_of(i, context))) : "") + "," +
               e.reason + "," + std::to_string(e.flagged_power) + "," +
               std::to_string(e.sent_us / 1000) + "," + std::to_string(e.height) + "\n";
    }
    return out;
}

}  // namespace mfd::chain::sim
