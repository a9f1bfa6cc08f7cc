#include "daemon/prometheus_textfile.hpp"

#include "snapshot_fixture.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <cctype>
#include <cstdlib>
#include <set>
#include <sstream>

using namespace bai2aml::daemon;
using bai2aml::daemon::test::sample_snapshot;
using bai2aml::daemon::test::time_of;

namespace {

// Hand-written rather than std::regex: GCC 12's <regex> trips -Wmaybe-uninitialized in the sanitizer build.
bool is_name_char(char c, bool first) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
         (!first && std::isdigit(static_cast<unsigned char>(c)));
}

// Reads a metric or label name at text[pos...]; empty when there is none.
std::string read_name(const std::string& text, std::size_t& pos, bool allow_colon) {
  const std::size_t begin = pos;
  while (pos < text.size() && is_name_char(text[pos], pos == begin) && (allow_colon || text[pos] != ':')) ++pos;
  return text.substr(begin, pos - begin);
}

bool is_number(const std::string& v) {
  if (v.empty()) return false;
  char* end = nullptr;
  std::strtod(v.c_str(), &end);
  return end == v.c_str() + v.size() && v.find_first_of(" \t") == std::string::npos;
}

// Parses `name{label="value",...} number` (labels optional); returns false on any deviation.
bool parse_sample(const std::string& line, std::string& name, std::string& series, std::string& value) {
  std::size_t pos = 0;
  name = read_name(line, pos, true);
  if (name.empty()) return false;
  if (pos < line.size() && line[pos] == '{') {
    ++pos;
    for (bool first = true;; first = false) {
      if (!first) {
        if (pos < line.size() && line[pos] == '}') break;
        if (pos >= line.size() || line[pos] != ',') return false;
        ++pos;
      }
      if (read_name(line, pos, false).empty()) return false;
      if (line.compare(pos, 2, "=\"") != 0) return false;
      pos += 2;
      while (pos < line.size() && line[pos] != '"') {
        if (line[pos] == '\n') return false;
        if (line[pos] == '\\') {
          if (pos + 1 >= line.size() || std::string("\\\"n").find(line[pos + 1]) == std::string::npos) return false;
          ++pos;
        }
        ++pos;
      }
      if (pos >= line.size()) return false;
      ++pos;  // closing quote
    }
    ++pos;  // closing brace
  }
  series = line.substr(0, pos);
  if (pos >= line.size() || line[pos] != ' ') return false;
  value = line.substr(pos + 1);
  return is_number(value);  // a second field (a timestamp) makes this false: the textfile collector rejects those
}

// A strict reader of the text exposition format as node_exporter's textfile collector accepts it:
// every sample belongs to a family announced by HELP then TYPE (gauge or counter), families are
// contiguous and appear once, no sample carries a timestamp, and the same series never appears
// twice. Returns the samples as "name{labels}" -> value text.
std::map<std::string, std::string> parse_textfile(const std::string& text) {
  REQUIRE(!text.empty());
  REQUIRE(text.back() == '\n');
  std::map<std::string, std::string> samples;
  std::set<std::string> families_seen;
  std::string current, pending_help;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    INFO(line);
    if (line.rfind("# HELP ", 0) == 0) {
      std::size_t pos = 7;
      const std::string name = read_name(line, pos, true);
      REQUIRE(!name.empty());
      REQUIRE(pos + 1 < line.size());
      REQUIRE(line[pos] == ' ');
      REQUIRE(families_seen.insert(name).second);
      pending_help = name;
      current.clear();
    } else if (line.rfind("# TYPE ", 0) == 0) {
      REQUIRE(!pending_help.empty());
      REQUIRE((line == "# TYPE " + pending_help + " gauge" || line == "# TYPE " + pending_help + " counter"));
      current = pending_help;
      pending_help.clear();
    } else {
      std::string name, series, value;
      REQUIRE(parse_sample(line, name, series, value));
      REQUIRE(name == current);
      REQUIRE(samples.emplace(series, value).second);
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

TEST_CASE("status_to_prometheus gives 0 for what never happened and flags trouble", "[prometheus]") {
  StatusSnapshot s = sample_snapshot();
  s.source_fetched_at.reset();
  s.last_converged_at.reset();
  s.arm_requests.clear();
  s.phase = Phase::Degraded;
  s.last_error = "source unreadable";
  s.projected_completion = time_of("2027-05-01T00:00:00Z");  // after the cutoff
  s.updated_at = time_of("2027-04-02T00:00:00Z");
  const auto samples = parse_textfile(status_to_prometheus(s));
  CHECK(samples.at("bai2aml_source_fetched_timestamp_seconds") == "0");
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
