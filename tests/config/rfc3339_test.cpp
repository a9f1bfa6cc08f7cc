// config/rfc3339: the date-time parser and formatters every layer uses (config cutoff, store
// timestamps, status files, logs).
#include <catch2/catch.hpp>

#include "config/rfc3339.hpp"

using bai2aml::config::format_rfc3339;
using bai2aml::config::format_rfc3339_millis;
using bai2aml::config::parse_rfc3339;
using TimePoint = std::chrono::system_clock::time_point;
using std::chrono::seconds;

namespace {
TimePoint at(std::int64_t unix_secs) { return TimePoint(seconds(unix_secs)); }
TimePoint parsed(const std::string& text) {
  const auto t = parse_rfc3339(text);
  REQUIRE(t);
  return *t;
}
}  // namespace

TEST_CASE("format_rfc3339 writes UTC with whole seconds, rounding down also before 1970", "[rfc3339]") {
  CHECK(format_rfc3339(at(0)) == "1970-01-01T00:00:00Z");
  CHECK(format_rfc3339(at(1553990400)) == "2019-03-31T00:00:00Z");
  CHECK(format_rfc3339(at(951782400)) == "2000-02-29T00:00:00Z");  // leap day of a 400-year leap year
  CHECK(format_rfc3339(at(1795737599)) == "2026-11-26T23:59:59Z");
  CHECK(format_rfc3339(at(1795737600) + std::chrono::milliseconds(999)) == "2026-11-27T00:00:00Z");
  CHECK(format_rfc3339(at(-1)) == "1969-12-31T23:59:59Z");
  CHECK(format_rfc3339(at(0) - std::chrono::milliseconds(1)) == "1969-12-31T23:59:59Z");
  CHECK(format_rfc3339_millis(at(1795737600) + std::chrono::milliseconds(123)) == "2026-11-27T00:00:00.123Z");
  CHECK(format_rfc3339_millis(at(0) - std::chrono::milliseconds(1)) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("parse_rfc3339 accepts Z, offsets and fractions", "[rfc3339]") {
  CHECK(parsed("2019-03-31T00:00:00Z") == at(1553990400));
  CHECK(parsed("2019-03-31t00:00:00z") == at(1553990400));
  CHECK(parsed("2019-03-31 00:00:00Z") == at(1553990400));
  CHECK(parsed("2019-03-31T02:00:00+02:00") == at(1553990400));
  CHECK(parsed("2019-03-30T19:30:00-04:30") == at(1553990400));
  CHECK(parsed("2019-03-31T00:00:00.250Z") == at(1553990400) + std::chrono::milliseconds(250));
  CHECK(parsed("2019-03-31T00:00:00.1234567Z") == at(1553990400) + std::chrono::microseconds(123456));
  CHECK(parsed("2016-12-31T23:59:60Z") == at(1483228800));  // a leap second rolls into the next minute
  CHECK(parsed("2024-02-29T12:00:00Z") == at(1709208000));
  CHECK(format_rfc3339(parsed("2024-02-29T23:59:59.999-01:00")) == "2024-03-01T00:59:59Z");
}

TEST_CASE("parse_rfc3339 round-trips format_rfc3339", "[rfc3339]") {
  for (std::int64_t t : {-86401LL, 0LL, 1LL, 86399LL, 1553990400LL, 4102444800LL, 9214646400LL}) {
    INFO(t);
    CHECK(parsed(format_rfc3339(at(t))) == at(t));
  }
}

TEST_CASE("parse_rfc3339 rejects malformed and out-of-range text", "[rfc3339]") {
  for (const char* bad :
       {"", "2019-03-31", "2019-03-31T00:00:00", "2019-03-31T00:00Z", "2019-3-31T00:00:00Z", "2019-03-31X00:00:00Z",
        "2019-13-01T00:00:00Z", "2019-00-10T00:00:00Z", "2019-02-29T00:00:00Z", "2019-04-31T00:00:00Z",
        "2023-02-29T00:00:00Z", "2019-03-31T24:00:00Z", "2019-03-31T00:60:00Z", "2019-03-31T00:00:61Z",
        "2019-03-31T00:00:00.Z", "2019-03-31T00:00:00+0200", "2019-03-31T00:00:00+24:00", "2019-03-31T00:00:00Z ",
        "2019-03-31T00:00:00ZZ", "abcd-03-31T00:00:00Z", "2019-03-31T00:00:00+02:60", "9999-12-31T23:59:59Z",
        "1000-01-01T00:00:00Z"}) {
    INFO(bad);
    CHECK_FALSE(parse_rfc3339(bad));
  }
}
