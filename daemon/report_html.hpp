// The migration report as one self-contained HTML page (`bai2aml report --format html`): header with
// the cutoff countdown and projection, the progress chart, a stacked bar per workspace, findings
// grouped by code, per-workspace resource tables, what was retired from Batch AI, finished jobs.
// No network fetch (a Content-Security-Policy forbids any), charts are inline SVG (report_svg), every
// untrusted string goes through html_text. Readable at tens of thousands of resources: tables and
// finding lists are paged into collapsed <details>, and full ARM ids are rebuilt from a per-section
// prefix on hover, so the page stays a few MB.
#pragma once

#include <string>

#include "daemon/report.hpp"

namespace bai2aml::daemon {

// Pure: the same data gives the same page.
std::string report_to_html(const ReportData& data);

// Rows per page of a workspace's table and of a finding group's resource list.
inline constexpr std::size_t kReportHtmlPageRows = 200;
// A finding group shows this many distinct messages with their resources, then the other resources
// by name only; at most kReportHtmlGroupLinks resources are linked per group (the rest are counted).
inline constexpr std::size_t kReportHtmlGroupMessages = 20;
inline constexpr std::size_t kReportHtmlGroupLinks = 1000;

}  // namespace bai2aml::daemon
