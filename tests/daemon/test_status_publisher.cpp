#include "daemon/status_json.hpp"
#include "daemon/status_publisher.hpp"
#include "daemon/status_summary.hpp"

#include "captured_log.hpp"
#include "env_override.hpp"
#include "notify_socket.hpp"
#include "snapshot_fixture.hpp"
#include "tests/support/support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

using namespace bai2aml::daemon;
using bai2aml::daemon::test::CapturedLog;
using bai2aml::daemon::test::EnvOverride;
using bai2aml::daemon::test::NotifySocket;
using bai2aml::daemon::test::sample_snapshot;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

struct Fixture {
  bai2aml::testing::TempDir dir;
  NotifySocket manager{dir.file("notify.sock")};
  EnvOverride socket{"NOTIFY_SOCKET", dir.file("notify.sock").c_str()};
  Notifier notifier;
  bai2aml::config::Status paths;
  Fixture() {
    paths.json_file = dir.file("run/status.json");
    paths.prometheus_file = dir.file("run/bai2aml.prom");
  }
  nlohmann::json status() const { return nlohmann::json::parse(bai2aml::testing::read_file(paths.json_file)); }
};

// A snapshot `minutes_in` minutes into the migration (10 days before the cutoff) with `remaining`
// resources pending and the completion projected `projected_after_cutoff` relative to the cutoff
// (nullopt: no projection).
StatusSnapshot cycle(int number, int minutes_in, std::int64_t remaining,
                     std::optional<std::chrono::hours> projected_after_cutoff = std::nullopt) {
  StatusSnapshot s = sample_snapshot();
  s.projected_completion.reset();
  if (projected_after_cutoff) s.projected_completion = s.cutoff + *projected_after_cutoff;
  s.cycle_number = number;
  s.updated_at = s.cutoff - hours(24 * 10) + minutes(minutes_in);
  s.resources = {1000, 1000 - remaining, remaining, 0, 0, 0};
  return s;
}

std::vector<std::string> lines_at(const CapturedLog& log, const char* priority) {
  std::vector<std::string> out;
  for (const auto& line : log.lines)
    if (line.rfind(priority, 0) == 0) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("publish writes both files, sends STATUS= and logs the cycle", "[status_publisher]") {
  Fixture f;
  CapturedLog log(bai2aml::config::LogFormat::Text, true);
  StatusPublisher publisher(f.paths, f.notifier);
  StatusSnapshot s = cycle(1, 0, 400);
  s.projected_completion = s.cutoff - hours(24);
  REQUIRE(publisher.publish(s, CycleFacts{12, std::nullopt}));

  CHECK(f.status() == status_to_json(s));
  CHECK(f.status()["projected_completion"] == format_rfc3339(s.cutoff - hours(24)));  // as given, not recomputed
  CHECK(bai2aml::testing::read_file(f.paths.prometheus_file).find("bai2aml_cycles_total 1\n") != std::string::npos);
  CHECK(f.manager.receive() == "STATUS=converging: 600/1000 in sync, 400 pending, 10 days to cutoff");
  REQUIRE(log.lines.size() == 1);
  CHECK(log.lines[0] == "<6>info  cycle 1: converging: 600/1000 in sync, 400 pending, 10 days to cutoff; 12 write(s)\n");
}

TEST_CASE("publish logs a failed cycle as a warning with its error, and the start-up state without a cycle",
          "[status_publisher]") {
  Fixture f;
  CapturedLog log(bai2aml::config::LogFormat::Text, true);
  StatusPublisher publisher(f.paths, f.notifier);
  StatusSnapshot s = cycle(7, 0, 400);
  publisher.publish(s);
  publisher.publish(s, CycleFacts{0, std::string("observe: 503 ServiceUnavailable")});
  REQUIRE(log.lines.size() == 2);
  CHECK(log.lines[0] == "<6>info  state loaded: converging: 600/1000 in sync, 400 pending, 10 days to cutoff\n");
  CHECK(log.lines[1] == "<4>warn  cycle 7: converging: 600/1000 in sync, 400 pending, 10 days to cutoff; 0 write(s) "
                        "(observe: 503 ServiceUnavailable)\n");
}

TEST_CASE("publish warns once when the projection falls after the cutoff, and says when it recovers",
          "[status_publisher]") {
  Fixture f;
  CapturedLog log(bai2aml::config::LogFormat::Text, true);
  StatusPublisher publisher(f.paths, f.notifier);
  const CycleFacts facts;
  publisher.publish(cycle(1, 0, 1100, hours(-48)), facts);
  CHECK(lines_at(log, "<4>").empty());  // on time: nothing to warn about

  StatusSnapshot late = cycle(2, 60, 1000, hours(30));
  publisher.publish(late, facts);
  publisher.publish(cycle(3, 120, 990, hours(40)), facts);  // later still: the same news, not repeated
  publisher.publish(cycle(4, 180, 990), facts);             // no estimate this time: not news either
  publisher.publish(cycle(5, 240, 980, hours(35)), facts);
  auto warnings = lines_at(log, "<4>");
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("projected completion " + format_rfc3339(*late.projected_completion) +
                                          " is after the cutoff " + format_rfc3339(late.cutoff)));
  CHECK(f.status()["projected_completion"] == format_rfc3339(late.cutoff + hours(35)));
  for (int i = 0; i < 4; ++i) f.manager.receive();
  CHECK_THAT(f.manager.receive(), Catch::EndsWith("9 days to cutoff, projected completion after cutoff"));

  publisher.publish(cycle(6, 300, 0, hours(-230)), facts);
  CHECK_THAT(log.lines[log.lines.size() - 2], Catch::StartsWith("<6>info  projected completion") &&
                                                   Catch::Contains("is before the cutoff again"));
  CHECK(log.lines.back() == "<6>info  cycle 6: converging: 1000/1000 in sync, 9 days to cutoff; 0 write(s)\n");

  publisher.publish(cycle(7, 360, 500, hours(1)), facts);  // late again: news again
  CHECK(lines_at(log, "<4>").size() == 2);
}

TEST_CASE("publish reports an unwritable status file and still sends STATUS=", "[status_publisher]") {
  Fixture f;
  CapturedLog log(bai2aml::config::LogFormat::Text, true);
  bai2aml::testing::write_file(f.dir.file("blocker"), "x");
  f.paths.json_file = f.dir.file("blocker/status.json");
  StatusPublisher publisher(f.paths, f.notifier);
  CHECK_FALSE(publisher.publish(cycle(1, 0, 10), CycleFacts{}));
  CHECK(f.manager.receive().rfind("STATUS=converging", 0) == 0);
  REQUIRE(log.lines.size() == 2);
  CHECK_THAT(log.lines[0], Catch::StartsWith("<3>error status files not updated: ") &&
                               Catch::Contains(f.paths.json_file));
}

TEST_CASE("set_paths moves the files a reloaded config names", "[status_publisher]") {
  Fixture f;
  StatusPublisher publisher(f.paths, f.notifier);
  bai2aml::config::Status moved{f.dir.file("elsewhere/status.json"), ""};
  publisher.set_paths(moved);
  REQUIRE(publisher.publish(cycle(3, 0, 10)));
  CHECK(nlohmann::json::parse(bai2aml::testing::read_file(moved.json_file))["cycle"]["number"] == 3);
  CHECK_FALSE(std::filesystem::exists(f.paths.json_file));
}
