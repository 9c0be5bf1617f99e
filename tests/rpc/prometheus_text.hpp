#pragma once
/// A strict reader of the Prometheus text exposition format 0.0.4, written from the format's
/// description, used to check what /metrics and Registry::render() produce.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mfd::rpc::test {

struct Sample {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0.0;
};

struct Exposition {
    std::vector<Sample> samples;
    std::map<std::string, std::string> types;  ///< family name -> counter/gauge/histogram/...
    std::map<std::string, std::string> help;
    std::vector<std::string> errors;  ///< empty when the text is valid

    /// The value of the sample with this name and exactly these labels, or NaN when absent.
    [[nodiscard]] double value(std::string_view name,
                               const std::map<std::string, std::string>& labels = {}) const;
};

/// Parses `text` and checks: line syntax (names, label escapes, Go float values), one TYPE per
/// family placed before its samples, no duplicate series, counters not negative, histograms with
/// cumulative buckets, a +Inf bucket equal to _count, and _sum/_count present.
[[nodiscard]] Exposition parse_prometheus(std::string_view text);

}  // namespace mfd::rpc::test
