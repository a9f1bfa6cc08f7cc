#include "daemon/cutoff.hpp"

#include <catch2/catch.hpp>

using namespace bai2aml::daemon;
using std::chrono::seconds;

namespace {
TimePoint at(std::int64_t unix_secs) { return TimePoint(seconds(unix_secs)); }
TimePoint parsed(const std::string& text) {
  TimePoint t{};
  REQUIRE(parse_rfc3339(text, t));
  return t;
}
}  // namespace

TEST_CASE("format_rfc3339 writes UTC with whole seconds", "[cutoff]") {
  CHECK(format_rfc3339(at(0)) == "1970-01-01T00:00:00Z");
  CHECK(format_rfc3339(at(1553990400)) == "2019-03-31T00:00:00Z");
  CHECK(format_rfc3339(at(951782400)) == "2000-02-29T00:00:00Z");  // leap day of a 400-year leap year
  CHECK(format_rfc3339(at(1795737599)) == "2026-11-26T23:59:59Z");
  CHECK(format_rfc3339(at(1795737600) + std::chrono::milliseconds(999)) == "2026-11-27T00:00:00Z");  // rounds down
  CHECK(format_rfc3339(at(-1)) == "1969-12-31T23:59:59Z");
  CHECK(format_rfc3339(at(0) - std::chrono::milliseconds(1)) == "1969-12-31T23:59:59Z");
  CHECK(format_rfc3339_millis(at(1795737600) + std::chrono::milliseconds(123)) == "2026-11-27T00:00:00.123Z");
  CHECK(format_rfc3339_millis(at(0) - std::chrono::milliseconds(1)) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("parse_rfc3339 accepts Z, offsets and fractions", "[cutoff]") {
  CHECK(parsed("2019-03-31T00:00:00Z") == at(1553990400));
  CHECK(parsed("2019-03-31t00:00:00z") == at(1553990400));
  CHECK(parsed("2019-03-31 00:00:00Z") == at(1553990400));
  CHECK(parsed("2019-03-31T02:00:00+02:00") == at(1553990400));
  CHECK(parsed("2019-03-30T19:30:00-04:30") == at(1553990400));
  CHECK(parsed("2019-03-31T00:00:00.250Z") == at(1553990400) + std::chrono::milliseconds(250));
  CHECK(parsed("2019-03-31T00:00:00.1234567Z") == at(1553990400) + std::chrono::microseconds(123456));
  CHECK(parsed("2016-12-31T23:59:60Z") == at(1483228800));  // a leap second rolls into the next minute
  CHECK(parsed("2024-02-29T12:00:00Z") == at(1709208000));
}

TEST_CASE("parse_rfc3339 round-trips format_rfc3339", "[cutoff]") {
  for (std::int64_t t : {0LL, 1LL, 86399LL, 1553990400LL, 4102444800LL, 9214646400LL}) {
    INFO(t);
    CHECK(parsed(format_rfc3339(at(t))) == at(t));
  }
}

TEST_CASE("parse_rfc3339 rejects malformed and out-of-range text and leaves the output alone", "[cutoff]") {
  const TimePoint sentinel = at(42);
  for (const char* bad :
       {"", "2019-03-31", "2019-03-31T00:00:00", "2019-03-31T00:00Z", "2019-3-31T00:00:00Z", "2019-03-31X00:00:00Z",
        "2019-13-01T00:00:00Z", "2019-00-10T00:00:00Z", "2019-02-29T00:00:00Z", "2019-04-31T00:00:00Z",
        "2019-03-31T24:00:00Z", "2019-03-31T00:60:00Z", "2019-03-31T00:00:61Z", "2019-03-31T00:00:00.Z",
        "2019-03-31T00:00:00+0200", "2019-03-31T00:00:00+24:00", "2019-03-31T00:00:00Z ", "2019-03-31T00:00:00ZZ",
        "abcd-03-31T00:00:00Z", "2019-03-31T00:00:00+02:60",
        "9999-12-31T23:59:59Z", "1000-01-01T00:00:00Z"}) {
    INFO(bad);
    TimePoint t = sentinel;
    CHECK_FALSE(parse_rfc3339(bad, t));
    CHECK(t == sentinel);
  }
}

TEST_CASE("seconds_to_cutoff is negative once the cutoff has passed", "[cutoff]") {
  const TimePoint cutoff = at(1000000);
  CHECK(seconds_to_cutoff(cutoff, at(999000)) == 1000);
  CHECK(seconds_to_cutoff(cutoff, cutoff) == 0);
  CHECK(seconds_to_cutoff(cutoff, at(1000010)) == -10);
  CHECK(seconds_to_cutoff(cutoff, cutoff + std::chrono::milliseconds(999)) == 0);  // whole seconds
  CHECK(seconds_to_cutoff(cutoff, cutoff + std::chrono::milliseconds(1500)) == -1);
}

TEST_CASE("cutoff_countdown says how long, in the largest whole unit", "[cutoff]") {
  const TimePoint cutoff = parsed("2027-04-01T00:00:00Z");
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
