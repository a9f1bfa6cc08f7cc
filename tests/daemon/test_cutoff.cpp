#include "daemon/cutoff.hpp"

#include <catch2/catch.hpp>

using namespace bai2aml::daemon;
using std::chrono::seconds;

namespace {
TimePoint at(std::int64_t unix_secs) { return TimePoint(seconds(unix_secs)); }
}  // namespace

TEST_CASE("seconds_to_cutoff is negative once the cutoff has passed", "[cutoff]") {
  const TimePoint cutoff = at(1000000);
  CHECK(seconds_to_cutoff(cutoff, at(999000)) == 1000);
  CHECK(seconds_to_cutoff(cutoff, cutoff) == 0);
  CHECK(seconds_to_cutoff(cutoff, at(1000010)) == -10);
  CHECK(seconds_to_cutoff(cutoff, cutoff + std::chrono::milliseconds(999)) == 0);  // whole seconds
  CHECK(seconds_to_cutoff(cutoff, cutoff + std::chrono::milliseconds(1500)) == -1);
}

TEST_CASE("cutoff_countdown says how long, in the largest whole unit", "[cutoff]") {
  const TimePoint cutoff = at(1806537600);  // 2027-04-01T00:00:00Z
  CHECK(cutoff_countdown(cutoff, cutoff - std::chrono::hours(24 * 125 + 5)) == "125 days to cutoff");
  CHECK(cutoff_countdown(cutoff, cutoff - std::chrono::hours(24)) == "1 day to cutoff");
  CHECK(cutoff_countdown(cutoff, cutoff - std::chrono::hours(23)) == "23 hours to cutoff");
  CHECK(cutoff_countdown(cutoff, cutoff - std::chrono::minutes(1)) == "1 minute to cutoff");
  CHECK(cutoff_countdown(cutoff, cutoff - seconds(59)) == "59 seconds to cutoff");
  CHECK(cutoff_countdown(cutoff, cutoff) == "0 seconds to cutoff");
  CHECK(cutoff_countdown(cutoff, cutoff + std::chrono::hours(24 * 3 + 2)) == "cutoff passed 3 days ago");
  CHECK(cutoff_countdown(cutoff, cutoff + std::chrono::hours(1)) == "cutoff passed 1 hour ago");
  CHECK(cutoff_countdown(cutoff, cutoff + seconds(1)) == "cutoff passed 1 second ago");
}
