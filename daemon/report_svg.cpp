#include "daemon/report_svg.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "daemon/cutoff.hpp"
#include "daemon/html_text.hpp"

namespace bai2aml::daemon {
namespace {

constexpr double kWidth = 960, kHeight = 280;
constexpr double kLeft = 56, kRight = 24, kTop = 16, kBottom = 40;
constexpr double kPlotW = kWidth - kLeft - kRight, kPlotH = kHeight - kTop - kBottom;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

StateTotals totals_of(const ReportProgressPoint& p) { return {p.in_sync, p.pending, p.blocked, p.failed, p.retired}; }

std::int64_t sum(const StateTotals& t) {
  std::int64_t s = 0;
  for (auto v : t) s += v;
  return s;
}

// A round axis maximum at or above `v` (1, 2, 5 x 10^k).
std::int64_t nice_ceiling(std::int64_t v) {
  std::int64_t step = 1;
  while (true) {
    for (std::int64_t m : {1, 2, 5})
      if (m * step >= v) return m * step;
    step *= 10;
  }
}

std::string short_time(const std::string& rfc3339) {
  // 2026-01-31T10:20:30Z -> 01-31 10:20
  return rfc3339.size() >= 16 ? rfc3339.substr(5, 5) + " " + rfc3339.substr(11, 5) : rfc3339;
}

}  // namespace

std::string progress_chart_svg(const std::vector<ReportProgressPoint>& points, const std::string& cutoff) {
  std::string svg = "<svg class=\"chart\" id=\"progress-chart\" viewBox=\"0 0 " + num(kWidth) + " " + num(kHeight) +
                    "\" role=\"img\" aria-label=\"Resource states per recorded pass\">";
  if (points.empty()) return svg + "<text x=\"480\" y=\"140\" text-anchor=\"middle\">No pass recorded yet</text></svg>";

  std::vector<double> t;  // seconds since the epoch, per point
  for (const auto& p : points) {
    const auto at = parse_rfc3339(p.at);
    t.push_back(at ? static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(at->time_since_epoch()).count())
                   : (t.empty() ? 0.0 : t.back()));
  }
  for (std::size_t i = 1; i < t.size(); ++i) t[i] = std::max(t[i], t[i - 1]);  // a clock step back stays drawable
  const double t0 = t.front(), t1 = t.back();
  const bool single = t1 <= t0;
  std::int64_t max_total = 1;
  for (const auto& p : points) max_total = std::max(max_total, sum(totals_of(p)));
  const std::int64_t y_max = nice_ceiling(max_total);
  auto x_of = [&](double at) { return single ? kLeft + kPlotW / 2 : kLeft + (at - t0) / (t1 - t0) * kPlotW; };
  auto y_of = [&](double v) { return kTop + kPlotH - v / static_cast<double>(y_max) * kPlotH; };

  // Grid and y labels.
  const std::int64_t steps = y_max >= 5 ? 5 : y_max;  // whole numbers on a 1-2-5 axis
  for (std::int64_t i = 0; i <= steps; ++i) {
    const double v = static_cast<double>(y_max / steps * i), y = y_of(v);
    svg += "<line class=\"grid\" x1=\"" + num(kLeft) + "\" x2=\"" + num(kLeft + kPlotW) + "\" y1=\"" + num(y) + "\" y2=\"" +
           num(y) + "\"/><text class=\"axis\" x=\"" + num(kLeft - 6) + "\" y=\"" + num(y + 4) +
           "\" text-anchor=\"end\">" + std::to_string(static_cast<std::int64_t>(v)) + "</text>";
  }
  // Stacked layers, bottom to top: each a polygon between its lower and upper edge.
  std::vector<double> below(points.size(), 0.0);
  for (std::size_t s = 0; s < kChartStates.size(); ++s) {
    std::vector<double> above(points.size());
    bool any = false;
    for (std::size_t i = 0; i < points.size(); ++i) {
      const auto v = totals_of(points[i])[s];
      any = any || v > 0;
      above[i] = below[i] + static_cast<double>(v);
    }
    if (any) {
      svg += "<g class=\"layer st-" + std::string(kChartStates[s].name) + "\"><title>" + kChartStates[s].label + "</title>";
      if (single) {
        svg += "<rect x=\"" + num(x_of(t0) - 40) + "\" width=\"80\" y=\"" + num(y_of(above[0])) + "\" height=\"" +
               num(y_of(below[0]) - y_of(above[0])) + "\"/>";
      } else {
        svg += "<polygon points=\"";
        for (std::size_t i = 0; i < points.size(); ++i) svg += num(x_of(t[i])) + "," + num(y_of(above[i])) + " ";
        for (std::size_t i = points.size(); i-- > 0;) svg += num(x_of(t[i])) + "," + num(y_of(below[i])) + " ";
        svg.back() = '"';
        svg += "/>";
      }
      svg += "</g>";
    }
    below = std::move(above);
  }
  // X labels: first and last pass.
  svg += "<text class=\"axis\" x=\"" + num(x_of(t0)) + "\" y=\"" + num(kHeight - 20) + "\" text-anchor=\"" +
         (single ? "middle" : "start") + "\">" + html_escape(short_time(points.front().at)) + "</text>";
  if (!single)
    svg += "<text class=\"axis\" x=\"" + num(x_of(t1)) + "\" y=\"" + num(kHeight - 20) + "\" text-anchor=\"end\">" +
           html_escape(short_time(points.back().at)) + "</text>";
  // The cutoff: a line where it falls within the passes, else an arrow at the edge it lies beyond.
  if (const auto c = parse_rfc3339(cutoff)) {
    const double tc = static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(c->time_since_epoch()).count());
    const std::string label = "cutoff " + html_escape(cutoff);
    if (!single && tc >= t0 && tc <= t1) {
      const double x = x_of(tc);
      svg += "<g id=\"cutoff-marker\" class=\"cutoff\"><line x1=\"" + num(x) + "\" x2=\"" + num(x) + "\" y1=\"" + num(kTop) +
             "\" y2=\"" + num(kTop + kPlotH) + "\"/><text x=\"" + num(x - 4) + "\" y=\"" + num(kTop + 12) +
             "\" text-anchor=\"end\">" + label + "</text></g>";
    } else if (tc > t1) {
      const double days = (tc - t1) / 86400.0;
      svg += "<g id=\"cutoff-marker\" class=\"cutoff\"><text x=\"" + num(kWidth - 4) + "\" y=\"" + num(kHeight - 4) +
             "\" text-anchor=\"end\">" + label + " \u2192 in " + num(days) + " days</text></g>";
    } else {
      svg += "<g id=\"cutoff-marker\" class=\"cutoff\"><line x1=\"" + num(kLeft) + "\" x2=\"" + num(kLeft) + "\" y1=\"" +
             num(kTop) + "\" y2=\"" + num(kTop + kPlotH) + "\"/><text x=\"" + num(kLeft + 4) + "\" y=\"" +
             num(kHeight - 4) + "\">\u2190 " + label + " (passed)</text></g>";
    }
  }
  return svg + "</svg>";
}

std::string stacked_bar_svg(const StateTotals& totals) {
  const std::int64_t total = sum(totals);
  std::string svg = "<svg class=\"bar\" viewBox=\"0 0 1000 18\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"";
  std::string label, parts;
  double x = 0;
  for (std::size_t s = 0; s < kChartStates.size(); ++s) {
    if (totals[s] == 0) continue;
    const double w = total > 0 ? 1000.0 * static_cast<double>(totals[s]) / static_cast<double>(total) : 0;
    const std::string what = std::to_string(totals[s]) + " " + kChartStates[s].label;
    label += (label.empty() ? "" : ", ") + what;
    parts += "<rect class=\"st-" + std::string(kChartStates[s].name) + "\" x=\"" + num(x) + "\" width=\"" + num(w) +
             "\" height=\"18\"><title>" + what + "</title></rect>";
    x += w;
  }
  if (total == 0) label = "nothing to migrate";
  return svg + label + "\">" + parts + "</svg>";
}

}  // namespace bai2aml::daemon
