#include "tools/fraudctl/plots.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "fraud/evaluation.hpp"
#include "models/metrics.hpp"

namespace mfd::tools {
namespace {

using core::fail;

// The canvas: the plot area, then the legend below it.
constexpr double kLeft = 72;
constexpr double kTop = 44;
constexpr double kWidth = 440;
constexpr double kHeight = 330;
constexpr double kLegendLine = 18;
constexpr double kCanvasWidth = kLeft + kWidth + 28;

constexpr const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                    "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};

std::string escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string number(double v, int decimals) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

/// One axis: a value's position along it in [0, 1], its ticks and their labels.
struct Axis {
    std::string label;
    double low = 0;  ///< log10 of the lowest value on a log axis
    bool log = false;

    [[nodiscard]] double at(double v) const {
        if (!log) return std::clamp(v, 0.0, 1.0);
        const double l = std::log10(std::max(v, std::pow(10.0, low)));
        return std::clamp((l - low) / -low, 0.0, 1.0);
    }
    [[nodiscard]] std::vector<std::pair<double, std::string>> ticks() const {
        std::vector<std::pair<double, std::string>> out;
        if (log) {
            for (int d = static_cast<int>(low); d <= 0; ++d) {
                out.emplace_back(std::pow(10.0, d), d == 0 ? "1" : number(std::pow(10.0, d), -d));
            }
        } else {
            for (int k = 0; k <= 5; ++k) out.emplace_back(k / 5.0, number(k / 5.0, 1));
        }
        return out;
    }
};

/// A curve in canvas coordinates, points closer than half a pixel to the last kept dropped.
std::string polyline(const std::vector<std::pair<double, double>>& xy, const Axis& x,
                     const Axis& y) {
    std::ostringstream out;
    double last_x = -1e9, last_y = -1e9;
    for (std::size_t k = 0; k < xy.size(); ++k) {
        const double px = kLeft + x.at(xy[k].first) * kWidth;
        const double py = kTop + (1 - y.at(xy[k].second)) * kHeight;
        if (k + 1 < xy.size() && std::abs(px - last_x) < 0.5 && std::abs(py - last_y) < 0.5) {
            continue;
        }
        out << number(px, 1) << ',' << number(py, 1) << ' ';
        last_x = px;
        last_y = py;
    }
    return out.str();
}

struct Chart {
    std::string title;
    Axis x, y;
    std::vector<std::string> names;  ///< legend lines
    std::vector<std::vector<std::pair<double, double>>> curves;
};

std::string svg(const Chart& c) {
    const double height = kTop + kHeight + 48 + kLegendLine * static_cast<double>(c.names.size());
    std::ostringstream out;
    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kCanvasWidth << "\" height=\""
        << height << "\" viewBox=\"0 0 " << kCanvasWidth << ' ' << height
        << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
        << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        << "<text x=\"" << kLeft + kWidth / 2 << "\" y=\"24\" text-anchor=\"middle\" "
        << "font-size=\"14\">" << escaped(c.title) << "</text>\n";
    for (const auto& [v, label] : c.x.ticks()) {
        const double px = kLeft + c.x.at(v) * kWidth;
        out << "<line x1=\"" << number(px, 1) << "\" y1=\"" << kTop << "\" x2=\"" << number(px, 1)
            << "\" y2=\"" << kTop + kHeight << "\" stroke=\"#e0e0e0\"/>\n"
            << "<text x=\"" << number(px, 1) << "\" y=\"" << kTop + kHeight + 16
            << "\" text-anchor=\"middle\">" << label << "</text>\n";
    }
    for (const auto& [v, label] : c.y.ticks()) {
        const double py = kTop + (1 - c.y.at(v)) * kHeight;
        out << "<line x1=\"" << kLeft << "\" y1=\"" << number(py, 1) << "\" x2=\"" << kLeft + kWidth
            << "\" y2=\"" << number(py, 1) << "\" stroke=\"#e0e0e0\"/>\n"
            << "<text x=\"" << kLeft - 6 << "\" y=\"" << number(py + 4, 1)
            << "\" text-anchor=\"end\">" << label << "</text>\n";
    }
    out << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << kWidth << "\" height=\""
        << kHeight << "\" fill=\"none\" stroke=\"black\"/>\n"
        << "<text x=\"" << kLeft + kWidth / 2 << "\" y=\"" << kTop + kHeight + 34
        << "\" text-anchor=\"middle\">" << escaped(c.x.label) << "</text>\n"
        << "<text transform=\"translate(18," << kTop + kHeight / 2
        << ") rotate(-90)\" text-anchor=\"middle\">" << escaped(c.y.label) << "</text>\n";
    for (std::size_t s = 0; s < c.curves.size(); ++s) {
        const char* colour = kColours[s % std::size(kColours)];
        out << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.6\" points=\""
            << polyline(c.curves[s], c.x, c.y) << "\"/>\n";
        const double ly = kTop + kHeight + 48 + kLegendLine * static_cast<double>(s);
        out << "<line x1=\"" << kLeft << "\" y1=\"" << ly - 4 << "\" x2=\"" << kLeft + 24
            << "\" y2=\"" << ly - 4 << "\" stroke=\"" << colour << "\" stroke-width=\"2.5\"/>\n"
            << "<text x=\"" << kLeft + 32 << "\" y=\"" << ly << "\">" << escaped(c.names[s])
            << "</text>\n";
    }
    out << "</svg>\n";
    return out.str();
}

core::Result<void> write(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return fail(core::Errc::kIo, "cannot write " + path.string());
    return {};
}

std::string percent(double prevalence) {
    return prevalence >= 0.1 ? number(prevalence * 100, 0) : number(prevalence * 100, 1);
}

}  // namespace

core::Result<std::vector<std::filesystem::path>> write_curve_plots(
    const std::filesystem::path& dir, const std::string& subject, std::span<const float> labels,
    const std::vector<PlotSeries>& series) {
    if (series.empty()) return fail(core::Errc::kInvalidArgument, "no scorer to plot");
    const auto negatives = static_cast<double>(std::count(labels.begin(), labels.end(), 0.0F));
    if (negatives == 0 || std::find(labels.begin(), labels.end(), 1.0F) == labels.end()) {
        return fail(core::Errc::kInvalidArgument, "plots need both classes");
    }
    for (const auto& s : series) {
        if (s.scores.size() != labels.size()) {
            return fail(core::Errc::kInvalidArgument,
                        s.name + ": " + std::to_string(s.scores.size()) + " scores for " +
                            std::to_string(labels.size()) + " labels");
        }
    }
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail(core::Errc::kIo, "cannot create " + dir.string() + ": " + ec.message());

    // The log axis starts at the decade below one honest unit in the sample (at most 1e-5).
    const double low = std::max(-5.0, std::floor(std::log10(1.0 / negatives)));
    Chart roc{"ROC, " + subject,
              {"false-positive rate (log scale)", low, true},
              {"true-positive rate (recall)", 0, false},
              {},
              {}};
    std::vector<Chart> pr;
    const double prevalences[] = {0.5, 0.01};
    for (double p : prevalences) {
        pr.push_back({"precision-recall at prevalence " + percent(p) + " %, " + subject,
                      {"recall", 0, false},
                      {"precision", 0, false},
                      {},
                      {}});
    }
    for (const auto& s : series) {
        roc.names.push_back(s.name + "  ROC-AUC " + number(models::roc_auc(s.scores, labels), 4));
        auto& r = roc.curves.emplace_back();
        r.emplace_back(0.0, 0.0);
        for (const auto& pt : fraud::curve_points(s.scores, labels, 0)) {
            r.emplace_back(pt.fpr, pt.recall);
        }
        for (std::size_t k = 0; k < pr.size(); ++k) {
            const double ap = fraud::at_prevalence(s.scores, labels, prevalences[k]).pr_auc;
            pr[k].names.push_back(s.name + "  PR-AUC " + number(ap, 4));
            auto& c = pr[k].curves.emplace_back();
            for (const auto& pt : fraud::curve_points(s.scores, labels, prevalences[k])) {
                c.emplace_back(pt.recall, pt.precision);
            }
        }
    }
    std::vector<std::filesystem::path> written;
    const std::pair<const Chart*, const char*> files[] = {
        {&roc, "roc.svg"}, {&pr[0], "pr_50.svg"}, {&pr[1], "pr_1.svg"}};
    for (const auto& [chart, name] : files) {
        if (auto r = write(dir / name, svg(*chart)); !r) return fail(r.error());
        written.push_back(dir / name);
    }
    return written;
}

}  // namespace mfd::tools
