// A StatusSnapshot with distinct figures everywhere, so a renderer that mixes two of them up fails.
#pragma once

#include "daemon/status_snapshot.hpp"

#include <catch2/catch.hpp>

namespace bai2aml::daemon::test {

inline TimePoint time_of(const char* rfc3339) {
  const auto t = parse_rfc3339(rfc3339);
  REQUIRE(t);
  return *t;
}

inline StatusSnapshot sample_snapshot() {
  StatusSnapshot s;
  s.updated_at = time_of("2026-11-27T08:00:05.750Z");
  s.cutoff = time_of("2027-04-01T00:00:00Z");
  s.phase = Phase::Converging;
  s.source_mode = SourceMode::Snapshot;
  s.source_fetched_at = time_of("2026-11-20T12:30:00Z");
  s.cycle_number = 17;
  s.cycle_started_at = time_of("2026-11-27T07:59:41Z");
  s.cycle_duration_ms = 24750;
  s.resources = {1000, 812, 150, 3, 5, 30};
  s.findings = {4, 21, 7};
  s.projected_completion = time_of("2026-12-02T10:00:00Z");
  s.arm_requests = {{{"GET", 200}, 5120}, {{"PUT", 201}, 812}, {{"PUT", 429}, 9}, {{"DELETE", 0}, 2}};
  s.last_converged_at = time_of("2026-11-26T23:00:00Z");
  return s;
}

}  // namespace bai2aml::daemon::test
