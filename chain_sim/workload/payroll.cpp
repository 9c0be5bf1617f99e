// Salaried periodic payments: each employer pays its staff a fixed salary (small noise) every
// pay period, in one burst a second or so apart per payment. Fan-out, but regular and honest.
#include <algorithm>

#include "chain_sim/workload/amounts.hpp"
#include "chain_sim/workload/behaviours.hpp"

namespace mfd::chain::workload::detail {
namespace {

struct Payroll {
    std::uint32_t employer = 0;
    std::vector<std::uint32_t> staff;
    std::vector<core::U256> salaries;
    std::int64_t period_ms = 0;
};

void pay(Simulation& sim, const std::shared_ptr<Payroll>& plan, std::size_t next) {
    if (next >= plan->staff.size()) {
        const auto jitter = static_cast<std::int64_t>(sim.rng().uniform(-0.02, 0.02) *
                                                      static_cast<double>(plan->period_ms));
        sim.after(plan->period_ms + jitter, [&sim, plan] { pay(sim, plan, 0); });
        return;
    }
    Intent i;
    i.from = plan->employer;
    i.to = sim.world().accounts[plan->staff[next]].address;
    i.value = share_of(plan->salaries[next], sim.rng().uniform(0.995, 1.0));
    i.typology = "honest:payroll";
    i.sender_role = "employer";
    i.recipient_role = "employee";
    (void)sim.emit(i);
    const auto gap = static_cast<std::int64_t>(sim.rng().uniform(200, 1500));
    sim.after(gap, [&sim, plan, next] { pay(sim, plan, next + 1); });
}

}  // namespace

void schedule_payroll(Simulation& sim) {
    const auto period = static_cast<std::int64_t>(std::max(sim.duration_ms() / 6.0, 60'000.0));
    for (std::uint32_t employer : sim.world().employers) {
        auto plan = std::make_shared<Payroll>();
        plan->employer = employer;
        plan->staff = sim.world().accounts[employer].contacts;
        plan->period_ms = period;
        for (std::size_t k = 0; k < plan->staff.size(); ++k) {
            plan->salaries.push_back(wei(std::min(sim.rng().lognormal(1.5, 0.4), 6.0)));
        }
        const auto first =
            static_cast<std::int64_t>(sim.rng().uniform(0.05, 1.0) * static_cast<double>(period));
        sim.after(first, [&sim, plan] { pay(sim, plan, 0); });
    }
}

}  // namespace mfd::chain::workload::detail
