#include <catch2/catch.hpp>

#include "translate/duration.hpp"

using namespace bai2aml::translate;

TEST_CASE("Batch AI durations convert to canonical ISO 8601 seconds", "[duration]") {
  struct Row {
    std::string in;
    std::string out;  // "" = rejected
  };
  const Row rows[] = {
      {"P7D", "P7D"},          {"7.00:00:00", "P7D"},      {"P2DT12H", "P2DT12H"}, {"PT6H", "PT6H"},
      {"PT90S", "PT1M30S"},    {"PT1.5S", "PT2S"},         {"01:30:00", "PT1H30M"}, {"1.02:03:04", "P1DT2H3M4S"},
      {"P1W", "P7D"},          {"PT0S", "PT0S"},           {"P1Y", ""},             {"P1M", ""},
      {"", ""},                {"P", ""},                  {"PT", ""},              {"7 days", ""},
      {"25:00:00", ""},        {"PT5", ""},                {"P1DT", ""},            {"P.D", ""},
      {"00:00:00.5", "PT1S"},  {"P99999999999999999D", ""},
  };
  for (const auto& r : rows) {
    INFO("\"" << r.in << "\"");
    const auto s = parse_duration_seconds(r.in);
    if (r.out.empty()) {
      CHECK_FALSE(s.has_value());
    } else {
      REQUIRE(s.has_value());
      CHECK(iso8601_duration(*s) == r.out);
    }
  }
}
