#include "consensus/proposer_sequence.hpp"

#include <algorithm>
#include <charconv>
#include <span>

#include "consensus/proposer_priority.hpp"

namespace mfd::consensus {

namespace {

struct NamedEntry {
    core::Bytes address;
    std::int64_t power = 0;
    std::int64_t priority = 0;
};

core::Result<NamedPower> parse_entry(std::string_view entry) {
    const std::size_t colon = entry.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        return core::fail(core::Errc::kInvalidArgument,
                          "expected NAME:POWER, got \"" + std::string(entry) + "\"");
    }
    const std::string_view digits = entry.substr(colon + 1);
    std::int64_t power = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), power);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || power <= 0) {
        return core::fail(core::Errc::kInvalidArgument,
                          "power of \"" + std::string(entry) + "\" is not a positive integer");
    }
    return NamedPower{std::string(entry.substr(0, colon)), power};
}

}  // namespace

core::Result<std::vector<NamedPower>> parse_powers(std::string_view text) {
    std::vector<NamedPower> out;
    while (true) {
        const std::size_t comma = text.find(',');
        auto entry = parse_entry(text.substr(0, comma));
        if (!entry) return core::fail(entry.error());
        for (const NamedPower& seen : out) {
            if (seen.name == entry->name) {
                return core::fail(core::Errc::kInvalidArgument,
                                  "validator \"" + seen.name + "\" is listed twice");
            }
        }
        out.push_back(std::move(*entry));
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

core::Result<std::vector<std::string>> proposer_sequence(const std::vector<NamedPower>& validators,
                                                         std::size_t rounds) {
    if (validators.empty()) {
        return core::fail(core::Errc::kInvalidArgument, "no validators given");
    }
    std::vector<NamedEntry> set;
    std::int64_t total = 0;
    for (const NamedPower& v : validators) {
        if (v.name.empty() || v.power <= 0 || v.power > kMaxTotalVotingPower - total) {
            return core::fail(core::Errc::kInvalidArgument,
                              "validator \"" + v.name + "\" needs a name and a power in [1, " +
                                  std::to_string(kMaxTotalVotingPower - total) + "]");
        }
        for (const NamedEntry& e : set) {
            if (e.address == core::Bytes(v.name.begin(), v.name.end())) {
                return core::fail(core::Errc::kInvalidArgument,
                                  "duplicate name \"" + v.name + "\"");
            }
        }
        total += v.power;
        set.push_back({core::Bytes(v.name.begin(), v.name.end()), v.power, 0});
    }
    // NewValidatorSet: every validator is new (priority -1.125 * P), then rescale and centre.
    for (NamedEntry& e : set) e.priority = new_validator_priority(total);
    const std::span<NamedEntry> view(set);
    rescale_priorities(view, kPriorityWindowSizeFactor * total);
    shift_by_average(view);

    std::vector<std::string> names;
    names.reserve(rounds);
    for (std::size_t i = 0; i < rounds; ++i) {
        const std::size_t p = increment_proposer_priority(view, total, 1);
        names.emplace_back(set[p].address.begin(), set[p].address.end());
    }
    return names;
}

}  // namespace mfd::consensus
