#include "tests/rpc/prometheus_text.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <set>

namespace mfd::rpc::test {
namespace {

bool name_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}
bool name_char(char c) {
    return name_start(c) || std::isdigit(static_cast<unsigned char>(c));
}

std::optional<double> parse_float(std::string_view s) {
    if (s == "+Inf" || s == "Inf") return std::numeric_limits<double>::infinity();
    if (s == "-Inf") return -std::numeric_limits<double>::infinity();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s.empty()) return std::nullopt;
    const std::string copy(s);
    char* end = nullptr;
    const double v = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size()) return std::nullopt;
    if (copy.find_first_of("xXpP") != std::string::npos) return std::nullopt;  // no hex floats
    return v;
}

class LineReader {
public:
    explicit LineReader(std::string_view line) : s_(line) {}

    std::optional<std::string> name(bool allow_colon = true) {
        const std::size_t start = pos_;
        if (pos_ >= s_.size() || !name_start(s_[pos_]) || (!allow_colon && s_[pos_] == ':')) {
            return std::nullopt;
        }
        while (pos_ < s_.size() && name_char(s_[pos_]) && (allow_colon || s_[pos_] != ':')) ++pos_;
        return std::string(s_.substr(start, pos_ - start));
    }
    bool eat(char c) {
        if (pos_ < s_.size() && s_[pos_] == c) return ++pos_, true;
        return false;
    }
    std::optional<std::string> quoted() {
        if (!eat('"')) return std::nullopt;
        std::string out;
        while (pos_ < s_.size() && s_[pos_] != '"') {
            char c = s_[pos_++];
            if (c == '\\') {
                if (pos_ >= s_.size()) return std::nullopt;
                const char e = s_[pos_++];
                if (e == 'n')
                    c = '\n';
                else if (e == '\\' || e == '"')
                    c = e;
                else
                    return std::nullopt;
            } else if (c == '\n') {
                return std::nullopt;
            }
            out += c;
        }
        if (!eat('"')) return std::nullopt;
        return out;
    }
    std::string_view rest() const { return s_.substr(pos_); }

private:
    std::string_view s_;
    std::size_t pos_ = 0;
};

std::optional<Sample> parse_sample(std::string_view line) {
    LineReader r(line);
    Sample s;
    auto name = r.name();
    if (!name) return std::nullopt;
    s.name = *name;
    if (r.eat('{')) {
        while (!r.eat('}')) {
            auto label = r.name(false);
            if (!label || !r.eat('=')) return std::nullopt;
            auto value = r.quoted();
            if (!value || !s.labels.emplace(*label, *value).second) return std::nullopt;
            if (!r.eat(',') && r.rest().substr(0, 1) != "}") return std::nullopt;
        }
    }
    if (!r.eat(' ')) return std::nullopt;
    std::string_view rest = r.rest();
    const auto space = rest.find(' ');
    auto value = parse_float(rest.substr(0, space));
    if (!value) return std::nullopt;
    if (space != std::string_view::npos) {  // optional integer timestamp
        const std::string ts(rest.substr(space + 1));
        char* end = nullptr;
        std::strtoll(ts.c_str(), &end, 10);
        if (ts.empty() || end != ts.c_str() + ts.size()) return std::nullopt;
    }
    s.value = *value;
    return s;
}

std::string type_of(const Exposition& e, const std::string& family) {
    const auto it = e.types.find(family);
    return it == e.types.end() ? std::string() : it->second;
}

std::string family_of(const std::string& name, const std::map<std::string, std::string>& types) {
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        const std::string_view sv(suffix);
        if (name.size() > sv.size() && name.ends_with(sv)) {
            const std::string base = name.substr(0, name.size() - sv.size());
            if (auto it = types.find(base); it != types.end() && it->second == "histogram") {
                return base;
            }
        }
    }
    return name;
}

void check_histograms(Exposition& e) {
    // series key: family + labels without le
    std::map<std::string, std::map<double, double>> buckets;
    std::map<std::string, double> counts;
    std::set<std::string> sums;
    for (const auto& s : e.samples) {
        const std::string family = family_of(s.name, e.types);
        if (type_of(e, family) != "histogram") continue;
        auto labels = s.labels;
        labels.erase("le");
        std::string key = family;
        for (const auto& [k, v] : labels) key += "|" + k + "=" + v;
        if (s.name == family + "_bucket") {
            auto le = s.labels.find("le");
            auto bound = le == s.labels.end() ? std::nullopt : parse_float(le->second);
            if (!bound)
                e.errors.push_back("bucket without a valid le: " + s.name);
            else
                buckets[key][*bound] = s.value;
        } else if (s.name == family + "_count") {
            counts[key] = s.value;
        } else if (s.name == family + "_sum") {
            sums.insert(key);
        } else {
            e.errors.push_back("unexpected sample in histogram " + family + ": " + s.name);
        }
    }
    for (const auto& [key, series] : buckets) {
        double previous = 0;
        for (const auto& [bound, value] : series) {
            if (value < previous) e.errors.push_back("buckets not cumulative in " + key);
            previous = value;
        }
        if (series.empty() || !std::isinf(series.rbegin()->first)) {
            e.errors.push_back("no +Inf bucket in " + key);
        } else if (counts.find(key) == counts.end() || counts[key] != series.rbegin()->second) {
            e.errors.push_back("_count missing or different from the +Inf bucket in " + key);
        }
        if (!sums.contains(key)) e.errors.push_back("_sum missing in " + key);
    }
}

void read_comment(Exposition& e, std::string_view line, const std::set<std::string>& seen) {
    for (std::string_view kind : {"# HELP ", "# TYPE "}) {
        if (!line.starts_with(kind)) continue;
        LineReader r(line.substr(kind.size()));
        auto name = r.name();
        if (!name || !r.eat(' ')) {
            e.errors.push_back("malformed comment: " + std::string(line));
            return;
        }
        const std::string rest(r.rest());
        if (kind == "# HELP ") {
            if (!e.help.emplace(*name, rest).second) e.errors.push_back("second HELP for " + *name);
            return;
        }
        static const std::set<std::string> kTypes{"counter", "gauge", "histogram", "summary",
                                                  "untyped"};
        if (!kTypes.contains(rest)) e.errors.push_back("unknown TYPE " + rest);
        if (seen.contains(*name)) e.errors.push_back("TYPE after samples for " + *name);
        if (!e.types.emplace(*name, rest).second) e.errors.push_back("second TYPE for " + *name);
        return;
    }
}

}  // namespace

double Exposition::value(std::string_view name,
                         const std::map<std::string, std::string>& labels) const {
    for (const auto& s : samples) {
        if (s.name == name && s.labels == labels) return s.value;
    }
    return std::numeric_limits<double>::quiet_NaN();
}

Exposition parse_prometheus(std::string_view text) {
    Exposition e;
    if (!text.empty() && text.back() != '\n') e.errors.push_back("text does not end with \\n");
    std::set<std::string> families_seen;
    std::set<std::string> series;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(start, end - start);
        start = end + 1;
        if (line.empty()) continue;
        if (line[0] == '#') {
            read_comment(e, line, families_seen);
            continue;
        }
        auto sample = parse_sample(line);
        if (!sample) {
            e.errors.push_back("malformed sample: " + std::string(line));
            continue;
        }
        const std::string family = family_of(sample->name, e.types);
        families_seen.insert(family);
        std::string key = sample->name;
        for (const auto& [k, v] : sample->labels) key += "|" + k + "=" + v;
        if (!series.insert(key).second) e.errors.push_back("duplicate series " + key);
        if (type_of(e, family) == "counter" && sample->value < 0) {
            e.errors.push_back("negative counter " + key);
        }
        e.samples.push_back(std::move(*sample));
    }
    check_histograms(e);
    return e;
}

}  // namespace mfd::rpc::test
