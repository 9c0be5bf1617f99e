// FraudService: what the JSON-RPC methods read: local scores, committed outcomes, findings,
// account risk.
#include "plugin/fraud_service.hpp"
#include "storage/rocks_store.hpp"

namespace mfd::plugin {

core::Result<AccountFlags> FraudService::account_flags(const core::Address& a) const {
    auto stored = store_->get(core::Column::kFraudScores, account_flags_key(a));
    if (!stored) return core::fail(stored.error());
    if (!*stored) return AccountFlags{};
    return decode_account_flags(**stored);
}

std::optional<LocalScore> FraudService::local_score(const core::Hash& tx) const {
    return scores_.get(tx);
}

core::Result<std::optional<TxOutcome>> FraudService::outcome(const core::Hash& tx) const {
    auto stored = store_->get(core::Column::kFraudScores, outcome_key(tx));
    if (!stored) return core::fail(stored.error());
    if (!*stored) return std::optional<TxOutcome>();
    auto o = decode_outcome(**stored);
    if (!o) return core::fail(o.error());
    return std::optional<TxOutcome>(*o);
}

core::Result<std::vector<Finding>> FraudService::findings(std::uint64_t from,
                                                          std::uint64_t to) const {
    if (to >= from && to - from >= kMaxFlagRange) {
        // Named by its bounds: the count to - from + 1 wraps to 0 for 0..2^64-1.
        return core::fail(core::Errc::kLimitExceeded,
                          "block range " + std::to_string(from) + ".." + std::to_string(to) +
                              " spans more than the limit of " + std::to_string(kMaxFlagRange) +
                              " blocks");
    }
    std::vector<Finding> out;
    std::optional<core::Error> error;
    for (std::uint64_t h = from; h <= to && !error; ++h) {
        auto r = store_->scan(core::Column::kFraudScores, finding_prefix(h),
                              [&](core::ByteView key, core::ByteView value) {
                                  if (!is_finding_key(key)) return true;
                                  auto f = decode_finding(key, value);
                                  if (!f) error = f.error();
                                  if (f) out.push_back(*f);
                                  return f.has_value() && out.size() <= kMaxFindings;
                              });
        if (!r) error = r.error();
        if (out.size() > kMaxFindings) {
            error = core::Error{core::Errc::kLimitExceeded,
                                "more than " + std::to_string(kMaxFindings) +
                                    " findings; ask for a narrower block range"};
        }
        if (h == UINT64_MAX) break;
    }
    if (error) return core::fail(*error);
    return out;
}

core::Result<AccountReport> FraudService::account(const core::Address& address) const {
    AccountReport report;
    report.local = accounts_.get(address);
    auto stored = store_->get(core::Column::kAccountHistory, address.view());
    if (!stored) return core::fail(stored.error());
    if (*stored) {
        auto stats = fraud::decode_account_stats(**stored);
        if (!stats) return core::fail(stats.error());
        report.history = *stats;
    }
    auto flags = account_flags(address);
    if (!flags) return core::fail(flags.error());
    report.committed = *flags;
    return report;
}

void FraudService::refresh_utilisation() {
    metrics_->set_utilisation(models_->current()->tally->snapshot().utilisation());
}

}  // namespace mfd::plugin
