#include "chain_sim/sim/outcomes.hpp"

namespace mfd::chain::sim {
namespace {

void count(FateCounts& c, Fate fate) {
    if (fate == Fate::kUnsent || fate == Fate::kEarlier) return;
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
    }
    return "unknown";
}

OutcomeTracker::OutcomeTracker(const Traffic& traffic)
    : traffic_(traffic), entries_(traffic.txs.size()) {
    index_.reserve(traffic.txs.size());
    for (std::size_t i = 0; i < traffic.txs.size(); ++i) index_.emplace(traffic.txs[i].hash, i);
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
}

void OutcomeTracker::on_block(const node::BlockOutcome& block, std::int64_t now_us) {
    for (const auto& h : block.included) {
        const std::size_t i = index_of(h);
        if (i >= entries_.size()) continue;
        Entry& e = entries_[i];
        if (e.fate == Fate::kExecuted || e.fate == Fate::kEarlier) continue;
        e.fate = Fate::kExecuted;
        e.reason.clear();
        if (e.sent_us >= 0) finality_us_.push_back(now_us - e.sent_us);
    }
    for (const auto& f : block.flags) {
        const std::size_t i = index_of(f.tx);
        if (f.excluded && i < entries_.size() && entries_[i].fate != Fate::kExecuted) {
            entries_[i].fate = Fate::kExcluded;
        }
    }
    for (const auto& s : block.skipped) {
        const std::size_t i = index_of(s.hash);
        if (i < entries_.size() && entries_[i].fate == Fate::kPending) {
            entries_[i].fate = Fate::kSkipped;
            entries_[i].reason = std::string(core::reason_name(s.reason.code));
        }
    }
}

void OutcomeTracker::settle(const std::function<bool(const core::Hash&)>& pooled,
                            const std::function<bool(std::size_t)>& resending) {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        Fate& f = entries_[i].fate;
        if ((f == Fate::kSkipped && pooled(traffic_.txs[i].hash)) ||
            (f == Fate::kRejected && resending(i))) {
            f = Fate::kPending;
        }
    }
}

Detection OutcomeTracker::detection() const {
    Detection d;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const TrafficTx& tx = traffic_.txs[i];
        const Entry& e = entries_[i];
        FateCounts& group = tx.label == 1                    ? d.fraud
                            : tx.expected == core::Errc::kOk ? d.honest_valid
                                                             : d.honest_invalid;
        count(group, e.fate);
        count(d.by_typology[tx.typology], e.fate);
        if (e.fate == Fate::kRejected) ++d.rejection_reasons[e.reason];
        if (e.fate == Fate::kSkipped) ++d.skip_reasons[e.reason];
    }
    return d;
}

}  // namespace mfd::chain::sim
