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

// A snapshot `minutes_in` minutes into the migration with `remaining` resources pending.
StatusSnapshot cycle(int number, int minutes_in, std::int64_t remaining) {
  StatusSnapshot s = sample_snapshot();
  s.projected_completion.reset();
  s.cycle_number = number;
  s.updated_at = s.cutoff - hours(24 * 10) + minutes(minutes_in);
  s.resources = {1000, 1000 - remaining, remaining, 0, 0, 0};
  return s;
}

}  // namespace

TEST_CASE("publish writes both files, sends STATUS= and logs the summary", "[status_publisher]") {
  Fixture f;
  CapturedLog log(bai2aml::config::LogFormat::Text, true);
  StatusPublisher publisher(f.paths, f.notifier);
  StatusSnapshot s = cycle(1, 0, 400);
  REQUIRE(publisher.publish(s));

  CHECK(f.status() == status_to_json(s));
  CHECK(f.status()["projected_completion"].is_null());  // one sample: no throughput yet
  CHECK(bai2aml::testing::read_file(f.paths.prometheus_file).find("bai2aml_cycles_total 1\n") != std::string::npos);
  CHECK(f.manager.receive() == "STATUS=converging: 600/1000 in sync, 400 pending, 10 days to cutoff");
  REQUIRE(log.lines.size() == 1);
  CHECK(log.lines[0] == "<6>info  cycle 1: converging: 600/1000 in sync, 400 pending, 10 days to cutoff\n");
}

TEST_CASE("publish projects completion from the throughput across cycles", "[status_publisher]") {
  Fixture f;
  CapturedLog log(bai2aml::config::LogFormat::Text, true);
  StatusPublisher publisher(f.paths, f.notifier);
  StatusSnapshot first = cycle(1, 0, 400);
  publisher.publish(first);
  StatusSnapshot second = cycle(2, 10, 300);  // 10 per minute: 30 more minutes
  publisher.publish(second);
  REQUIRE(second.projected_completion);
  CHECK(*second.projected_completion == second.updated_at + minutes(30));
  CHECK(f.status()["projected_completion"] == format_rfc3339(second.updated_at + minutes(30)));
}

TEST_CASE("publish warns once when the projection falls after the cutoff, and when it recovers",
          "[status_publisher]") {
  Fixture f;
  CapturedLog log(bai2aml::config::LogFormat::Text, true);
  StatusPublisher publisher(f.paths, f.notifier, ProgressHistory(30, hours(24 * 7)));  // cycles a day apart
  // 100 done per 24 hours with 1000 to go at 10 days before the cutoff: late.
  StatusSnapshot a = cycle(1, 0, 1100);
  publisher.publish(a);
  StatusSnapshot b = cycle(2, 24 * 60, 1000);
  publisher.publish(b);
  StatusSnapshot c = cycle(3, 48 * 60, 900);
  publisher.publish(c);
  std::vector<std::string> warnings;
  for (const auto& line : log.lines)
    if (line.rfind("<4>", 0) == 0) warnings.push_back(line);
  REQUIRE(warnings.size() == 1);  // on the transition only, not every cycle
  CHECK_THAT(warnings[0], Catch::Contains("is after the cutoff " + format_rfc3339(c.cutoff)));
  CHECK(f.status()["projected_completion"] == format_rfc3339(*c.projected_completion));
  f.manager.receive();
  f.manager.receive();
  CHECK_THAT(f.manager.receive(), Catch::EndsWith("8 days to cutoff, projected completion after cutoff"));

  StatusSnapshot d = cycle(4, 49 * 60, 0);  // everything done in the next hour
  publisher.publish(d);
  CHECK(log.lines.back() == "<6>info  cycle 4: converging: 1000/1000 in sync, 7 days to cutoff\n");
  CHECK_THAT(log.lines[log.lines.size() - 2], Catch::Contains("before the cutoff again"));
}

TEST_CASE("publish reports an unwritable status file and still sends STATUS=", "[status_publisher]") {
  Fixture f;
  CapturedLog log(bai2aml::config::LogFormat::Text, true);
  bai2aml::testing::write_file(f.dir.file("blocker"), "x");
  f.paths.json_file = f.dir.file("blocker/status.json");
  StatusPublisher publisher(f.paths, f.notifier);
  StatusSnapshot s = cycle(1, 0, 10);
  CHECK_FALSE(publisher.publish(s));
  CHECK(f.manager.receive().rfind("STATUS=converging", 0) == 0);
  REQUIRE(log.lines.size() == 2);
  CHECK_THAT(log.lines[0], Catch::StartsWith("<3>error status files not updated: ") &&
                               Catch::Contains(f.paths.json_file));
}
