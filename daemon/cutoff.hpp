// The cutoff countdown as the STATUS= line, the logs and the status files phrase it, and the clock
// types the daemon's time helpers share. Pure functions: the caller passes "now".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "config/rfc3339.hpp"

namespace bai2aml::daemon {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

// Timestamps are written and read by config/rfc3339 (one implementation for every layer).
using config::format_rfc3339;
using config::format_rfc3339_millis;
using config::parse_rfc3339;

// Seconds from now to the cutoff, both rounded down to whole seconds first (so the figure matches
// format_rfc3339 of both); negative once the cutoff has passed.
std::int64_t seconds_to_cutoff(TimePoint cutoff, TimePoint now);

// "125 days to cutoff", "5 hours to cutoff", "cutoff passed 3 days ago", "cutoff passed 1 minute ago"
// ... in the largest whole unit (days, hours, minutes, seconds), singular where it is one.
std::string cutoff_countdown(TimePoint cutoff, TimePoint now);

// Seconds since the Unix epoch, rounded down (what Prometheus *_timestamp_seconds gauges carry).
std::int64_t unix_seconds(TimePoint t);

}  // namespace bai2aml::daemon
