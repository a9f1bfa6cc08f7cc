#include "daemon/status_json.hpp"
#include "daemon/status_writer.hpp"

#include "snapshot_fixture.hpp"
#include "tests/support/support.hpp"

#include <catch2/catch.hpp>
#include <sys/stat.h>

using namespace bai2aml::daemon;
using bai2aml::daemon::test::sample_snapshot;
using bai2aml::daemon::test::time_of;
using nlohmann::json;

TEST_CASE("status_to_json renders every figure of DESIGN.md 4.3", "[status_json]") {
  const json expected = json::parse(R"({
    "version": 1,
    "updated_at": "2026-11-27T08:00:05Z",
    "cutoff": "2027-04-01T00:00:00Z",
    "seconds_to_cutoff": 10771195,
    "phase": "converging",
    "source": {"mode": "snapshot", "fetched_at": "2026-11-20T12:30:00Z"},
    "cycle": {"number": 17, "started_at": "2026-11-27T07:59:41Z", "duration_ms": 24750},
    "resources": {"total": 1000, "in_sync": 812, "pending": 150, "failed": 3, "blocked": 5, "retired": 30},
    "findings": {"error": 4, "warning": 21, "info": 7},
    "projected_completion": "2026-12-02T10:00:00Z",
    "last_error": null
  })");
  CHECK(status_to_json(sample_snapshot()) == expected);
}

TEST_CASE("status_to_json has exactly the keys and types of 4.3", "[status_json]") {
  const json j = status_to_json(sample_snapshot());
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"cutoff", "cycle", "findings", "last_error", "phase", "projected_completion",
                                         "resources", "seconds_to_cutoff", "source", "updated_at", "version"});
  CHECK(j["version"].is_number_integer());
  CHECK(j["seconds_to_cutoff"].is_number_integer());
  for (const char* k : {"number", "duration_ms"}) CHECK(j["cycle"][k].is_number_integer());
  for (const char* k : {"total", "in_sync", "pending", "failed", "blocked", "retired"})
    CHECK(j["resources"][k].is_number_integer());
  for (const char* k : {"error", "warning", "info"}) CHECK(j["findings"][k].is_number_integer());
  CHECK(j["source"].size() == 2);
  CHECK(j["cycle"].size() == 3);
  CHECK(j["resources"].size() == 6);
  CHECK(j["findings"].size() == 3);
}

TEST_CASE("status_to_json: every phase and source mode, nulls, and a cutoff in the past", "[status_json]") {
  StatusSnapshot s = sample_snapshot();
  s.phase = Phase::Degraded;
  s.source_mode = SourceMode::Live;
  s.projected_completion.reset();
  s.source_fetched_at.reset();
  s.last_error = "LIST https://management.azure.com/...: 503 ServiceUnavailable";
  s.updated_at = time_of("2027-04-03T00:00:01Z");
  json j = status_to_json(s);
  CHECK(j["phase"] == "degraded");
  CHECK(j["source"]["mode"] == "live");
  CHECK(j["source"]["fetched_at"] == "1970-01-01T00:00:00Z");  // never read: still a date-time, per §4.3
  CHECK(j["projected_completion"].is_null());
  CHECK(j["last_error"] == "LIST https://management.azure.com/...: 503 ServiceUnavailable");
  CHECK(j["seconds_to_cutoff"] == -(2 * 86400 + 1));

  s.phase = Phase::Discovering;
  CHECK(status_to_json(s)["phase"] == "discovering");
  s.phase = Phase::Converged;
  CHECK(status_to_json(s)["phase"] == "converged");
}

TEST_CASE("status_to_json never carries a secret in last_error", "[status_json]") {
  StatusSnapshot s = sample_snapshot();
  s.last_error = "token request failed: client_secret=s3cr3t-VALUE&grant_type=client_credentials";
  const std::string text = status_json_text(s);
  CHECK(text.find("s3cr3t-VALUE") == std::string::npos);
  CHECK(json::parse(text)["last_error"] == "token request failed: client_secret=***&grant_type=client_credentials");
}

TEST_CASE("status_json_text is indented JSON ending in a newline", "[status_json]") {
  const std::string text = status_json_text(sample_snapshot());
  CHECK(text.back() == '\n');
  CHECK(text.find("\n  \"version\": 1") != std::string::npos);
  CHECK(json::parse(text) == status_to_json(sample_snapshot()));
}

TEST_CASE("write_status_files writes both files, readable by monitoring agents", "[status_writer]") {
  bai2aml::testing::TempDir dir;
  bai2aml::config::Status paths;
  paths.json_file = dir.file("run/status.json");
  paths.prometheus_file = dir.file("textfile/bai2aml.prom");
  write_status_files(paths, sample_snapshot());
  CHECK(json::parse(bai2aml::testing::read_file(paths.json_file)) == status_to_json(sample_snapshot()));
  CHECK(bai2aml::testing::read_file(paths.prometheus_file).find("bai2aml_resources{state=\"in_sync\"} 812\n") !=
        std::string::npos);
  struct stat st {};
  REQUIRE(::stat(paths.json_file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);
}

TEST_CASE("write_status_files skips an unset Prometheus file and reports an unwritable one", "[status_writer]") {
  bai2aml::testing::TempDir dir;
  bai2aml::config::Status paths;
  paths.json_file = dir.file("status.json");
  write_status_files(paths, sample_snapshot());
  CHECK(std::filesystem::exists(paths.json_file));

  bai2aml::testing::write_file(dir.file("blocker"), "x");
  paths.prometheus_file = dir.file("blocker/bai2aml.prom");
  std::filesystem::remove(paths.json_file);
  CHECK_THROWS_WITH(write_status_files(paths, sample_snapshot()), Catch::Contains(paths.prometheus_file));
  CHECK(std::filesystem::exists(paths.json_file));  // the good file is still written
}
