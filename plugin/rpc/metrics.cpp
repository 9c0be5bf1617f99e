#include "plugin/rpc/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <type_traits>

namespace mfd::rpc {
namespace {

constexpr std::size_t kCounterKind = 0;
constexpr std::size_t kGaugeKind = 1;
constexpr std::size_t kHistogramKind = 2;
constexpr std::string_view kKindNames[] = {"counter", "gauge", "histogram"};

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

/// [a-zA-Z_:][a-zA-Z0-9_:]*
bool valid_metric_name(std::string_view n) {
    if (n.empty() || !(is_alpha(n[0]) || n[0] == ':')) return false;
    return std::all_of(n.begin(), n.end(),
                       [](char c) { return is_alpha(c) || is_digit(c) || c == ':'; });
}

/// [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" (reserved for Prometheus itself).
bool valid_label_name(std::string_view n) {
    if (n.empty() || !is_alpha(n[0]) || n.starts_with("__")) return false;
    return std::all_of(n.begin(), n.end(), [](char c) { return is_alpha(c) || is_digit(c); });
}

core::Result<void> check_labels(const std::vector<std::string>& labels, bool histogram) {
    std::set<std::string_view> seen;
    for (const auto& l : labels) {
        if (!valid_label_name(l) || (histogram && l == "le") || !seen.insert(l).second) {
            return core::fail(core::Errc::kInvalidArgument,
                              "invalid or repeated label name '" + l + "'");
        }
    }
    return {};
}

core::Result<void> check_bounds(const std::vector<double>& bounds) {
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
            return core::fail(core::Errc::kInvalidArgument,
                              "histogram bounds must be finite and strictly ascending");
        }
    }
    return {};
}

/// Go's float syntax as Prometheus reads it: shortest round-trip digits, +Inf, -Inf, NaN.
std::string format_double(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general);
    return ec == std::errc() ? std::string(buf, end) : "NaN";
}

void append_escaped(std::string& out, std::string_view v, bool quote_too) {
    for (char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (quote_too && c == '"')
            out += "\\\"";
        else
            out += c;
    }
}

/// `{a="x",b="y"}` with an optional extra pair (a histogram's le); empty without labels.
std::string label_block(const std::vector<std::string>& names,
                        const std::vector<std::string>& values, std::string_view extra_name = {},
                        std::string_view extra_value = {}) {
    if (names.empty() && extra_name.empty()) return {};
    std::string out = "{";
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += ',';
        out += names[i];
        out += "=\"";
        append_escaped(out, values[i], true);
        out += '"';
    }
    if (!extra_name.empty()) {
        if (!names.empty()) out += ',';
        out += extra_name;
        out += "=\"";
        out += extra_value;
        out += '"';
    }
    return out + "}";
}

void render_histogram(std::string& out, const std::string& name,
                      const std::vector<std::string>& names, const std::vector<std::string>& values,
                      const Histogram& h) {
    const auto snap = h.snapshot();
    for (std::size_t i = 0; i < h.bounds().size(); ++i) {
        out += name + "_bucket" + label_block(names, values, "le", format_double(h.bounds()[i]));
        out += ' ' + std::to_string(snap.cumulative[i]) + '\n';
    }
    out += name + "_bucket" + label_block(names, values, "le", "+Inf");
    out += ' ' + std::to_string(snap.count) + '\n';
    out += name + "_sum" + label_block(names, values) + ' ' + format_double(snap.sum) + '\n';
    out += name + "_count" + label_block(names, values) + ' ' + std::to_string(snap.count) + '\n';
}

/// The sample lines of every child of a family.
template <class T>
void render_family(std::string& out, const std::string& name, const Family<T>& family) {
    const auto& names = family.label_names();
    family.for_each([&](const std::vector<std::string>& values, const T& m) {
        if constexpr (std::is_same_v<T, Histogram>) {
            render_histogram(out, name, names, values, m);
        } else if constexpr (std::is_same_v<T, Counter>) {
            out += name + label_block(names, values) + ' ' + std::to_string(m.value()) + '\n';
        } else {
            out += name + label_block(names, values) + ' ' + format_double(m.value()) + '\n';
        }
    });
}

template <class T>
core::Result<T*> unlabelled(core::Result<Family<T>*> family) {
    if (!family) return core::fail(family.error());
    return (*family)->with({});
}

}  // namespace

void Gauge::add(double delta) noexcept {
    double cur = value_.load(std::memory_order_relaxed);
    while (!value_.compare_exchange_weak(cur, cur + delta, std::memory_order_relaxed)) {
    }
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double v) noexcept {
    if (std::isnan(v)) return;
    const auto slot = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) -
                                               bounds_.begin());
    counts_[slot].fetch_add(1, std::memory_order_relaxed);
    double cur = sum_.load(std::memory_order_relaxed);
    while (!sum_.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
    }
}

Histogram::Snapshot Histogram::snapshot() const {
    Snapshot s;
    s.cumulative.resize(bounds_.size() + 1);
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        running += counts_[i].load(std::memory_order_relaxed);
        s.cumulative[i] = running;
    }
    s.count = running;
    s.sum = sum_.load(std::memory_order_relaxed);
    return s;
}

std::vector<double> latency_buckets() {
    return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05,   0.1,     0.25,   0.5,   1.0,    2.5,   5.0,  10.0};
}

core::Result<Registry::Entry*> Registry::find_or_add(std::string_view name, std::string_view help,
                                                     std::vector<std::string> labels,
                                                     std::vector<double> bounds, std::size_t kind) {
    if (!valid_metric_name(name)) {
        return core::fail(core::Errc::kInvalidArgument,
                          "invalid metric name '" + std::string(name) + "'");
    }
    if (auto ok = check_labels(labels, kind == kHistogramKind); !ok) return core::fail(ok.error());
    if (auto ok = check_bounds(bounds); !ok) return core::fail(ok.error());
    std::lock_guard lock(mu_);
    if (auto it = entries_.find(name); it != entries_.end()) {
        Entry& e = it->second;
        const bool same =
            e.family.index() == kind && e.bounds == bounds &&
            std::visit([&](const auto& f) { return f->label_names() == labels; }, e.family);
        if (!same) {
            return core::fail(core::Errc::kInvalidArgument,
                              "metric '" + std::string(name) +
                                  "' is already registered with another kind, labels or buckets");
        }
        return &e;
    }
    Entry e{std::string(help), bounds, {}};
    if (kind == kCounterKind) {
        e.family = std::make_unique<Family<Counter>>(std::move(labels),
                                                     [] { return std::make_unique<Counter>(); });
    } else if (kind == kGaugeKind) {
        e.family = std::make_unique<Family<Gauge>>(std::move(labels),
                                                   [] { return std::make_unique<Gauge>(); });
    } else {
        e.family = std::make_unique<Family<Histogram>>(
            std::move(labels), [bounds] { return std::make_unique<Histogram>(bounds); });
    }
    return &entries_.emplace(std::string(name), std::move(e)).first->second;
}

core::Result<Counter*> Registry::counter(std::string_view name, std::string_view help) {
    return unlabelled(counter_family(name, help, {}));
}

core::Result<Gauge*> Registry::gauge(std::string_view name, std::string_view help) {
    return unlabelled(gauge_family(name, help, {}));
}

core::Result<Histogram*> Registry::histogram(std::string_view name, std::string_view help,
                                             std::vector<double> bounds) {
    return unlabelled(histogram_family(name, help, {}, std::move(bounds)));
}

core::Result<Family<Counter>*> Registry::counter_family(std::string_view name,
                                                        std::string_view help,
                                                        std::vector<std::string> labels) {
    auto e = find_or_add(name, help, std::move(labels), {}, kCounterKind);
    if (!e) return core::fail(e.error());
    return std::get<kCounterKind>((*e)->family).get();
}

core::Result<Family<Gauge>*> Registry::gauge_family(std::string_view name, std::string_view help,
                                                    std::vector<std::string> labels) {
    auto e = find_or_add(name, help, std::move(labels), {}, kGaugeKind);
    if (!e) return core::fail(e.error());
    return std::get<kGaugeKind>((*e)->family).get();
}

core::Result<Family<Histogram>*> Registry::histogram_family(std::string_view name,
                                                            std::string_view help,
                                                            std::vector<std::string> labels,
                                                            std::vector<double> bounds) {
    auto e = find_or_add(name, help, std::move(labels), std::move(bounds), kHistogramKind);
    if (!e) return core::fail(e.error());
    return std::get<kHistogramKind>((*e)->family).get();
}

std::string Registry::render() const {
    std::string out;
    std::lock_guard lock(mu_);
    for (const auto& item : entries_) {
        const std::string& name = item.first;  // not a structured binding: lambdas capture it
        const Entry& entry = item.second;
        out += "# HELP " + name + ' ';
        append_escaped(out, entry.help, false);
        out += "\n# TYPE " + name + ' ' + std::string(kKindNames[entry.family.index()]) + '\n';
        std::visit([&](const auto& family) { render_family(out, name, *family); }, entry.family);
    }
    return out;
}

}  // namespace mfd::rpc
