// The migration report as one self-contained HTML page (`bai2aml report --format html`): header with
// the cutoff countdown and projection, the progress chart, a stacked bar per workspace, findings
// grouped by code, per-workspace resource tables, what was retired from Batch AI, finished jobs.
// No network fetch (a Content-Security-Policy forbids any), charts are inline SVG (report_svg), every
// untrusted string goes through html_text (markup) or page_string and json_in_script (data).
// Readable at tens of thousands of resources and under 3 MB at 30,000: the tables are compact JSON
// (a block per page of rows, shared values once) that the page's own script draws when a page is
// opened (all closed past kReportHtmlOpenTablesUpTo resources); full ARM ids are rebuilt from a per-section
// prefix; finding groups list their resources as row indexes the script turns into links.
#pragma once

#include <string>

#include "daemon/report.hpp"

namespace bai2aml::daemon {

// Pure: the same data gives the same page.
std::string report_to_html(const ReportData& data);

// Rows per page of a workspace's table and of a finding group's resource list.
inline constexpr std::size_t kReportHtmlPageRows = 200;
// A report of up to this many Batch AI resources shows its tables open (a workspace that fits one
// page); a larger one keeps every page closed until it is opened or a link points into it.
inline constexpr std::size_t kReportHtmlOpenTablesUpTo = 1000;
// A finding group shows this many distinct messages with their resources, then the other resources
// by name only; at most kReportHtmlGroupLinks resources are linked per group (the rest are counted).
inline constexpr std::size_t kReportHtmlGroupMessages = 20;
inline constexpr std::size_t kReportHtmlGroupLinks = 1000;

}  // namespace bai2aml::daemon
