// Time helpers shared by everything that shows the cutoff countdown or writes a timestamp:
// RFC 3339 formatting and parsing (UTC, no time-zone database needed) and the countdown phrasing
// used in the STATUS= line, the logs and the status files. Pure functions: the caller passes "now".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace bai2aml::daemon {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

// "2026-11-27T08:00:00Z": whole seconds (rounded down), always UTC.
std::string format_rfc3339(TimePoint t);
// "2026-11-27T08:00:00.123Z": milliseconds (rounded down), always UTC; for log lines.
std::string format_rfc3339_millis(TimePoint t);

// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)" (RFC 3339 §5.6; 'T' may also be 't' or a
// space, 'Z' also 'z'). Fractions beyond microseconds are truncated. Returns false, leaving `out`
// untouched, on anything else, including out-of-range fields such as a 30 February and times the
// clock cannot hold (before 1678 or after 2262).
bool parse_rfc3339(std::string_view text, TimePoint& out);

// Seconds from now to the cutoff, both rounded down to whole seconds first (so the figure matches
// format_rfc3339 of both); negative once the cutoff has passed.
std::int64_t seconds_to_cutoff(TimePoint cutoff, TimePoint now);

// "125 days to cutoff", "5 hours to cutoff", "cutoff passed 3 days ago", "cutoff passed 1 minute ago"
// ... in the largest whole unit (days, hours, minutes, seconds), singular where it is one.
std::string cutoff_countdown(TimePoint cutoff, TimePoint now);

// Seconds since the Unix epoch, rounded down (what Prometheus *_timestamp_seconds gauges carry).
std::int64_t unix_seconds(TimePoint t);

}  // namespace bai2aml::daemon
