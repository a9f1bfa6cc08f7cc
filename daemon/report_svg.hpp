// The report's charts as inline SVG, drawn here (no chart library, nothing fetched): the progress of
// the recorded passes with the cutoff, and one stacked bar per workspace. Pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "daemon/report.hpp"

namespace bai2aml::daemon {

// The states a chart shows, bottom to top, with their CSS class (st-<name>) and label.
struct ChartState {
  const char* name;
  const char* label;
};
inline constexpr std::array<ChartState, 5> kChartStates = {
    {{"in_sync", "in sync"}, {"pending", "pending"}, {"blocked", "blocked"}, {"failed", "failed"}, {"retired", "retired"}}};
using StateTotals = std::array<std::int64_t, kChartStates.size()>;

// Stacked areas of the resource states per pass over time, with a line at the cutoff (or an arrow at
// the edge saying how far it is when it falls outside the passes' span). One pass: one column.
std::string progress_chart_svg(const std::vector<ReportProgressPoint>& points, const std::string& cutoff);

// A horizontal bar split by state in proportion to `totals`, with each part's count as its tooltip.
std::string stacked_bar_svg(const StateTotals& totals);

}  // namespace bai2aml::daemon
