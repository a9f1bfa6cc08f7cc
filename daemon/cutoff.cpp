#include "daemon/cutoff.hpp"

namespace bai2aml::daemon {
namespace {

std::int64_t floor_seconds(TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string plural(std::int64_t n, const char* unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

std::string largest_unit(std::int64_t secs) {
  if (secs >= 86400) return plural(secs / 86400, "day");
  if (secs >= 3600) return plural(secs / 3600, "hour");
  if (secs >= 60) return plural(secs / 60, "minute");
  return plural(secs, "second");
}

}  // namespace

std::int64_t seconds_to_cutoff(TimePoint cutoff, TimePoint now) {
  // Whole-second timestamps on both sides, so the figure equals the difference of the RFC 3339
  // times printed next to it.
  return floor_seconds(cutoff) - floor_seconds(now);
}

std::string cutoff_countdown(TimePoint cutoff, TimePoint now) {
  const std::int64_t secs = seconds_to_cutoff(cutoff, now);
  if (secs >= 0) return largest_unit(secs) + " to cutoff";
  return "cutoff passed " + largest_unit(-secs) + " ago";
}

std::int64_t unix_seconds(TimePoint t) { return floor_seconds(t); }

}  // namespace bai2aml::daemon
