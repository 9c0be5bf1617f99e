#include "plugin/examples/run_summary.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>

namespace mfd::plugin::example {

double quantile(std::vector<double> values, double q) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const double rank = std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size()));
    const auto i = static_cast<std::size_t>(std::max(1.0, rank)) - 1;
    return values[std::min(i, values.size() - 1)];
}

void RunSummary::add(const CheckResult& result, double latency_us) {
    ++total_;
    latencies_us_.push_back(latency_us);
    flagged_ += result.score.flagged ? 1 : 0;
    degraded_ += result.score.degraded ? 1 : 0;
    if (result.verdict == Verdict::kAccept) {
        ++accepted_;
    } else {
        ++rejected_[result.reason.empty() ? "UNSPECIFIED" : result.reason];
    }
}

void RunSummary::add_unreadable(const std::string& reason) {
    ++total_;
    ++rejected_[reason];
}

void RunSummary::print(std::ostream& out, double seconds) const {
    std::uint64_t rejected = 0;
    for (const auto& [reason, n] : rejected_) rejected += n;
    out << "transactions " << total_ << "\n"
        << "accepted     " << accepted_ << "\n"
        << "rejected     " << rejected << "\n";
    for (const auto& [reason, n] : rejected_) out << "  " << reason << " " << n << "\n";
    out << "flagged      " << flagged_ << "\n"
        << "degraded     " << degraded_ << "\n"
        << "blocks       " << blocks_ << "\n"
        << std::fixed << std::setprecision(1) << "latency_us   p50 " << quantile(latencies_us_, 0.5)
        << " p99 " << quantile(latencies_us_, 0.99) << " max " << quantile(latencies_us_, 1.0)
        << "\n"
        << "throughput   " << (seconds > 0 ? static_cast<double>(total_) / seconds : 0.0)
        << " tx/s\n";
}

}  // namespace mfd::plugin::example
