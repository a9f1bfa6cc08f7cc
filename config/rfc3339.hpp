// RFC 3339 date-times, the one implementation every layer uses: the config's cutoff, the store's
// timestamps, the status files and the logs. UTC only, so no time-zone database is needed.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace bai2aml::config {

// "2026-11-27T08:00:00Z": whole seconds (rounded down, also before 1970), always UTC.
std::string format_rfc3339(std::chrono::system_clock::time_point t);
// "2026-11-27T08:00:00.123Z": milliseconds (rounded down), always UTC; for log lines.
std::string format_rfc3339_millis(std::chrono::system_clock::time_point t);

// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)" (RFC 3339 §5.6; 'T' may also be 't' or a
// space, 'Z' also 'z'). Fractions beyond microseconds are truncated. nullopt on anything else,
// including out-of-range fields such as a 30 February and times the clock cannot hold (before 1678
// or after 2262).
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

}  // namespace bai2aml::config
