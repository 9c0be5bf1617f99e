#pragma once
/// Prometheus-style metrics: counters, gauges and fixed-bucket histograms, optionally labelled,
/// kept in a registry that renders the text exposition format 0.0.4. Updating a metric is a
/// lock-free atomic operation; only creating a labelled child or registering takes a lock.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace mfd::rpc {

/// A count that only goes up. Thread-safe and lock-free.
class Counter {
public:
    /// Adds `n`.
    void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
    /// The current count.
    [[nodiscard]] std::uint64_t value() const noexcept {
        return value_.load(std::memory_order_relaxed);
    }

private:
    std::atomic<std::uint64_t> value_{0};
};

/// A value that goes up and down. Thread-safe and lock-free.
class Gauge {
public:
    /// Replaces the value.
    void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
    /// Adds `delta` (negative to subtract).
    void add(double delta) noexcept;
    /// The current value.
    [[nodiscard]] double value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0.0};
};

/// Observations counted into fixed buckets by upper bound (inclusive, Prometheus' `le`), with
/// their count and sum. Thread-safe and lock-free.
class Histogram {
public:
    /// What render() reads: cumulative counts per bound, then the +Inf bucket (== count).
    struct Snapshot {
        std::vector<std::uint64_t> cumulative;
        std::uint64_t count = 0;
        double sum = 0.0;
    };

    /// `bounds` must be finite and strictly ascending (Registry checks; nothing here does).
    explicit Histogram(std::vector<double> bounds);

    /// Counts `v` in the first bucket whose bound is >= v; NaN is ignored.
    void observe(double v) noexcept;
    /// A copy of the counts; count equals the +Inf bucket even while others observe.
    [[nodiscard]] Snapshot snapshot() const;
    /// The upper bounds, without +Inf.
    [[nodiscard]] const std::vector<double>& bounds() const noexcept { return bounds_; }

private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // bounds_.size() + 1 slots
    std::atomic<double> sum_{0.0};
};

/// The children of one labelled metric, one per combination of label values.
template <class T>
class Family {
public:
    Family(std::vector<std::string> label_names, std::function<std::unique_ptr<T>()> make)
        : label_names_(std::move(label_names)), make_(std::move(make)) {}

    /// The child for `values` (one per label name, in order), created on first use. Fails with
    /// kInvalidArgument when the count of values is wrong. Thread-safe; the pointer stays valid
    /// as long as the family, so cache it on hot paths instead of calling this per event.
    [[nodiscard]] core::Result<T*> with(std::vector<std::string> values) {
        if (values.size() != label_names_.size()) {
            return core::fail(core::Errc::kInvalidArgument,
                              "metric expects " + std::to_string(label_names_.size()) +
                                  " label values, got " + std::to_string(values.size()));
        }
        {
            std::shared_lock lock(mu_);
            if (auto it = children_.find(values); it != children_.end()) return it->second.get();
        }
        std::unique_lock lock(mu_);
        auto& slot = children_[std::move(values)];
        if (!slot) slot = make_();
        return slot.get();
    }

    /// The label names, in order.
    [[nodiscard]] const std::vector<std::string>& label_names() const noexcept {
        return label_names_;
    }

    /// Calls `f(values, child)` for every child, ordered by label values. Thread-safe (holds a
    /// shared lock: `f` must not create children of this family).
    template <class F>
    void for_each(F&& f) const {
        std::shared_lock lock(mu_);
        for (const auto& [values, child] : children_) f(values, *child);
    }

private:
    std::vector<std::string> label_names_;
    std::function<std::unique_ptr<T>()> make_;
    mutable std::shared_mutex mu_;
    std::map<std::vector<std::string>, std::unique_ptr<T>> children_;
};

/// Latency bounds in seconds, 100 µs to 10 s, for request and handler durations.
[[nodiscard]] std::vector<double> latency_buckets();

/// Named metrics and their rendering in the Prometheus text format.
class Registry {
public:
    /// An unlabelled counter. Registering a name again with the same kind and labels returns
    /// the same metric; another kind, other labels or other buckets fail with kInvalidArgument,
    /// as does a name or label that Prometheus does not allow. Thread-safe, as are all below.
    [[nodiscard]] core::Result<Counter*> counter(std::string_view name, std::string_view help);
    /// An unlabelled gauge (same rules as counter()).
    [[nodiscard]] core::Result<Gauge*> gauge(std::string_view name, std::string_view help);
    /// An unlabelled histogram with the given bucket bounds (finite, strictly ascending).
    [[nodiscard]] core::Result<Histogram*> histogram(
        std::string_view name, std::string_view help,
        std::vector<double> bounds = latency_buckets());
    /// A counter with labels.
    [[nodiscard]] core::Result<Family<Counter>*> counter_family(std::string_view name,
                                                                std::string_view help,
                                                                std::vector<std::string> labels);
    /// A gauge with labels.
    [[nodiscard]] core::Result<Family<Gauge>*> gauge_family(std::string_view name,
                                                            std::string_view help,
                                                            std::vector<std::string> labels);
    /// A histogram with labels ("le" is reserved).
    [[nodiscard]] core::Result<Family<Histogram>*> histogram_family(
        std::string_view name, std::string_view help, std::vector<std::string> labels,
        std::vector<double> bounds = latency_buckets());

    /// Every metric in the text exposition format 0.0.4, ordered by name.
    [[nodiscard]] std::string render() const;

private:
    using AnyFamily = std::variant<std::unique_ptr<Family<Counter>>, std::unique_ptr<Family<Gauge>>,
                                   std::unique_ptr<Family<Histogram>>>;
    struct Entry {
        std::string help;
        std::vector<double> bounds;
        AnyFamily family;
    };

    [[nodiscard]] core::Result<Entry*> find_or_add(std::string_view name, std::string_view help,
                                                   std::vector<std::string> labels,
                                                   std::vector<double> bounds, std::size_t kind);

    mutable std::mutex mu_;
    std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace mfd::rpc
