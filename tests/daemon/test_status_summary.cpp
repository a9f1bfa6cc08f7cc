#include "daemon/status_projection.hpp"
#include "daemon/status_summary.hpp"

#include "snapshot_fixture.hpp"

#include <catch2/catch.hpp>

using namespace bai2aml::daemon;
using bai2aml::daemon::test::sample_snapshot;
using bai2aml::daemon::test::time_of;
using std::chrono::hours;
using std::chrono::minutes;

TEST_CASE("status_summary_line gives phase, progress and the countdown", "[status_summary]") {
  StatusSnapshot s = sample_snapshot();
  s.updated_at = s.cutoff - hours(24 * 125 + 3);
  CHECK(status_summary_line(s) == "converging: 812/1000 in sync, 150 pending, 3 failed, 5 blocked, 125 days to cutoff");

  s.phase = Phase::Converged;
  s.resources = {1000, 970, 0, 0, 0, 30};
  s.updated_at = s.cutoff + hours(24 * 3);
  CHECK(status_summary_line(s) == "converged: 970/1000 in sync, cutoff passed 3 days ago");
}

TEST_CASE("status_summary_line warns of a completion after the cutoff", "[status_summary]") {
  StatusSnapshot s = sample_snapshot();
  s.updated_at = s.cutoff - hours(48);
  s.projected_completion = s.cutoff + hours(1);
  CHECK(status_summary_line(s) ==
        "converging: 812/1000 in sync, 150 pending, 3 failed, 5 blocked, 2 days to cutoff, "
        "projected completion after cutoff");
}

TEST_CASE("status_summary_line shows the last error when degraded, on one line, redacted and short", "[status_summary]") {
  StatusSnapshot s = sample_snapshot();
  s.updated_at = s.cutoff - hours(48);
  s.phase = Phase::Degraded;
  s.last_error = "token endpoint said no\nAuthorization: Bearer eyJhbGciOi.secret.sig";
  CHECK(status_summary_line(s) ==
        "degraded: 812/1000 in sync, 150 pending, 3 failed, 5 blocked, 2 days to cutoff; last error: "
        "token endpoint said no Authorization: Bearer ***");

  // 151 + 6 * 2 bytes: byte 160 is the middle of the fifth 2-byte character, so the cut moves back to 159.
  s.last_error = std::string(151, 'x') + "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
  const std::string line = status_summary_line(s);
  const std::string tail = line.substr(line.find("last error: ") + 12);
  CHECK(tail == std::string(151, 'x') + "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9...");

  s.phase = Phase::Converging;  // an error is only shown when the daemon says it is degraded
  CHECK(status_summary_line(s).find("last error") == std::string::npos);
}

TEST_CASE("projected_completion extrapolates the measured throughput", "[projection]") {
  const TimePoint t0 = time_of("2026-11-27T08:00:00Z");
  // 100 done in 10 minutes, 400 to go: 40 more minutes after the last sample.
  CHECK(projected_completion({{t0, 500}, {t0 + minutes(5), 460}, {t0 + minutes(10), 400}}) ==
        time_of("2026-11-27T08:50:00Z"));
  // Only the first and the last sample matter, and the result is in whole seconds.
  CHECK(projected_completion({{t0, 3}, {t0 + std::chrono::seconds(3), 1}}) ==
        time_of("2026-11-27T08:00:04Z"));  // 1.5 s to go from 08:00:03
}

TEST_CASE("projected_completion has no answer without measurable progress", "[projection]") {
  const TimePoint t0 = time_of("2026-11-27T08:00:00Z");
  CHECK_FALSE(projected_completion({}));
  CHECK_FALSE(projected_completion({{t0, 10}}));
  CHECK_FALSE(projected_completion({{t0, 10}, {t0 + minutes(5), 10}}));  // no progress
  CHECK_FALSE(projected_completion({{t0, 10}, {t0 + minutes(5), 12}}));  // new work outpaced the done work
  CHECK_FALSE(projected_completion({{t0, 10}, {t0, 5}}));                // no time passed
  // Nothing left: complete as of the last sample, even with a single sample.
  CHECK(projected_completion({{t0, 0}}) == t0);
  CHECK(projected_completion({{t0, 10}, {t0 + minutes(5), 0}}) == t0 + minutes(5));
  // A pace of one resource per year for a million resources: no meaningful date.
  CHECK_FALSE(projected_completion({{t0, 1000001}, {t0 + hours(24 * 365), 1000000}}));
}

TEST_CASE("completion_after_cutoff_warning names both dates only when late", "[projection]") {
  const TimePoint cutoff = time_of("2027-01-31T00:00:00Z");
  CHECK(completion_after_cutoff_warning(time_of("2027-02-01T10:00:00Z"), cutoff) ==
        std::optional<std::string>("projected completion 2027-02-01T10:00:00Z is after the cutoff 2027-01-31T00:00:00Z"));
  CHECK_FALSE(completion_after_cutoff_warning(cutoff, cutoff));
  CHECK_FALSE(completion_after_cutoff_warning(std::nullopt, cutoff));
}

TEST_CASE("ProgressHistory keeps a sliding window of recent samples", "[projection]") {
  const TimePoint t0 = time_of("2026-11-27T08:00:00Z");
  ProgressHistory history(3, std::chrono::seconds(3600));
  for (int i = 0; i < 5; ++i) history.add(t0 + minutes(i), 100 - 10 * i);
  REQUIRE(history.samples().size() == 3);  // bounded by count
  CHECK(history.samples().front().remaining == 80);
  CHECK(history.projected_completion() == t0 + minutes(4) + minutes(6));  // 10 per minute, 60 to go

  history.add(t0 + minutes(200), 50);  // the others are now more than an hour older
  CHECK(history.samples().size() == 1);

  history.add(t0 + minutes(210), 40);
  history.add(t0 + minutes(100), 40);  // the wall clock stepped back: start over
  CHECK(history.samples().size() == 1);
  CHECK(history.samples().front().at == t0 + minutes(100));
}
