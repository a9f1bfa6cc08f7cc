#include "daemon/prometheus_textfile.hpp"

#include "snapshot_fixture.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <set>
#include <sstream>

using namespace bai2aml::daemon;
using bai2aml::daemon::test::sample_snapshot;
using bai2aml::daemon::test::time_of;

namespace {

// A strict reader of the text exposition format as node_exporter's textfile collector accepts it:
// every sample belongs to a family announced by HELP then TYPE, families are contiguous and appear
// once, no sample carries a timestamp, and the same series never appears twice. Returns the samples
// as "name{labels}" -> value text.
std::map<std::string, std::string> parse_textfile(const std::string& text) {
  static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*)");
  static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter))");
  static const std::regex sample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? (-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?))");
  REQUIRE(!text.empty());
  REQUIRE(text.back() == '\n');
  std::map<std::string, std::string> samples;
  std::set<std::string> families_seen;
  std::string current, pending_help;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    INFO(line);
    std::smatch m;
    if (std::regex_match(line, m, help)) {
      REQUIRE(families_seen.insert(m[1]).second);
      pending_help = m[1];
      current.clear();
    } else if (std::regex_match(line, m, type)) {
      REQUIRE(m[1] == pending_help);
      current = m[1];
      pending_help.clear();
    } else if (std::regex_match(line, m, sample)) {
      REQUIRE(m[1] == current);
      REQUIRE(samples.emplace(m[1].str() + m[2].str(), m[3]).second);
    } else {
      FAIL("not a valid exposition line");
    }
  }
  return samples;
}

}  // namespace

TEST_CASE("status_to_prometheus is a valid textfile with the status figures", "[prometheus]") {
  const auto samples = parse_textfile(status_to_prometheus(sample_snapshot()));
  const std::map<std::string, std::string> expected{
      {"bai2aml_build_info{version=\"" BAI2AML_VERSION "\"}", "1"},
      {"bai2aml_status_updated_timestamp_seconds", "1795766405"},
      {"bai2aml_cutoff_timestamp_seconds", "1806537600"},
      {"bai2aml_seconds_to_cutoff", "10771195"},
      {"bai2aml_phase{phase=\"discovering\"}", "0"},
      {"bai2aml_phase{phase=\"converging\"}", "1"},
      {"bai2aml_phase{phase=\"converged\"}", "0"},
      {"bai2aml_phase{phase=\"degraded\"}", "0"},
      {"bai2aml_source_mode{mode=\"live\"}", "0"},
      {"bai2aml_source_mode{mode=\"snapshot\"}", "1"},
      {"bai2aml_source_fetched_timestamp_seconds", "1795177800"},
      {"bai2aml_cycles_total", "17"},
      {"bai2aml_cycle_started_timestamp_seconds", "1795766381"},
      {"bai2aml_cycle_duration_seconds", "24.75"},
      {"bai2aml_resources{state=\"in_sync\"}", "812"},
      {"bai2aml_resources{state=\"pending\"}", "150"},
      {"bai2aml_resources{state=\"failed\"}", "3"},
      {"bai2aml_resources{state=\"blocked\"}", "5"},
      {"bai2aml_resources{state=\"retired\"}", "30"},
      {"bai2aml_resources_known", "1000"},
      {"bai2aml_findings{severity=\"error\"}", "4"},
      {"bai2aml_findings{severity=\"warning\"}", "21"},
      {"bai2aml_findings{severity=\"info\"}", "7"},
      {"bai2aml_projected_completion_timestamp_seconds", "1796205600"},
      {"bai2aml_projected_completion_after_cutoff", "0"},
      {"bai2aml_last_cycle_failed", "0"},
      {"bai2aml_last_converged_timestamp_seconds", "1795734000"},
      {"bai2aml_arm_requests_total{method=\"DELETE\",code=\"0\"}", "2"},
      {"bai2aml_arm_requests_total{method=\"GET\",code=\"200\"}", "5120"},
      {"bai2aml_arm_requests_total{method=\"PUT\",code=\"201\"}", "812"},
      {"bai2aml_arm_requests_total{method=\"PUT\",code=\"429\"}", "9"},
  };
  CHECK(samples == expected);
}

TEST_CASE("status_to_prometheus leaves out what is unknown and flags trouble", "[prometheus]") {
  StatusSnapshot s = sample_snapshot();
  s.source_fetched_at.reset();
  s.last_converged_at.reset();
  s.arm_requests.clear();
  s.phase = Phase::Degraded;
  s.last_error = "source unreadable";
  s.projected_completion = time_of("2027-05-01T00:00:00Z");  // after the cutoff
  s.updated_at = time_of("2027-04-02T00:00:00Z");
  const auto samples = parse_textfile(status_to_prometheus(s));
  CHECK(samples.count("bai2aml_source_fetched_timestamp_seconds") == 0);
  CHECK(samples.at("bai2aml_last_converged_timestamp_seconds") == "0");
  CHECK(samples.at("bai2aml_seconds_to_cutoff") == "-86400");
  CHECK(samples.at("bai2aml_phase{phase=\"degraded\"}") == "1");
  CHECK(samples.at("bai2aml_phase{phase=\"converging\"}") == "0");
  CHECK(samples.at("bai2aml_projected_completion_after_cutoff") == "1");
  CHECK(samples.at("bai2aml_last_cycle_failed") == "1");
  for (const auto& [series, value] : samples) CHECK(series.rfind("bai2aml_arm_requests_total", 0) != 0);

  s.projected_completion.reset();
  const auto without = parse_textfile(status_to_prometheus(s));
  CHECK(without.count("bai2aml_projected_completion_timestamp_seconds") == 0);
  CHECK(without.at("bai2aml_projected_completion_after_cutoff") == "0");
}

TEST_CASE("status_to_prometheus escapes label values", "[prometheus]") {
  StatusSnapshot s = sample_snapshot();
  s.arm_requests = {{{"WEIRD\"\\\nMETHOD", 500}, 1}};
  const std::string text = status_to_prometheus(s);
  CHECK(text.find("bai2aml_arm_requests_total{method=\"WEIRD\\\"\\\\\\nMETHOD\",code=\"500\"} 1\n") !=
        std::string::npos);
  parse_textfile(text);
}
