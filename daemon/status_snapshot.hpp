// Every figure the daemon publishes about itself, as one plain value the run loop fills once per
// cycle. The renderers (status_json, prometheus_textfile, status_summary) turn it into the status
// file of DESIGN.md §4.3, the Prometheus textfile and the sd_notify STATUS= line; none of them reads
// a clock or any other state, so what they print follows from this struct alone.
#pragma once

#include "daemon/cutoff.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace bai2aml::daemon {

enum class Phase { Discovering, Converging, Converged, Degraded };
enum class SourceMode { Live, Snapshot };

const char* to_string(Phase);       // "discovering", "converging", "converged", "degraded"
const char* to_string(SourceMode);  // "live", "snapshot"

struct ResourceCounts {
  std::int64_t total = 0;    // every resource bai2aml tracks (desired and retired)
  std::int64_t in_sync = 0;  // observed equals desired
  std::int64_t pending = 0;  // an action is planned or in flight
  std::int64_t failed = 0;   // the last action failed (retryable or terminal)
  std::int64_t blocked = 0;  // cannot proceed without a human (finding of severity error, policy)
  std::int64_t retired = 0;  // deleted on purpose (source retired, pruned)
};

struct FindingCounts {
  std::int64_t error = 0;
  std::int64_t warning = 0;
  std::int64_t info = 0;
};

// ARM requests sent since the daemon started, keyed by (HTTP method, HTTP status code); code 0 counts
// requests that got no HTTP answer (connection failures, timeouts).
using ArmRequestCounts = std::map<std::pair<std::string, int>, std::uint64_t>;

struct StatusSnapshot {
  TimePoint updated_at{};  // when this snapshot was taken ("now" for seconds_to_cutoff)
  TimePoint cutoff{};      // config.cutoff
  Phase phase = Phase::Discovering;

  SourceMode source_mode = SourceMode::Live;
  std::optional<TimePoint> source_fetched_at;  // when the stored inventory was read; unknown before the first read

  std::int64_t cycle_number = 0;  // 1 for the first cycle
  TimePoint cycle_started_at{};
  std::int64_t cycle_duration_ms = 0;

  ResourceCounts resources;
  FindingCounts findings;

  std::optional<TimePoint> projected_completion;  // from status_projection; nullopt: no estimate yet
  std::optional<std::string> last_error;          // the last cycle's error, if it had one

  // Prometheus-only figures.
  ArmRequestCounts arm_requests;
  std::optional<TimePoint> last_converged_at;  // the last time a cycle ended converged
};

}  // namespace bai2aml::daemon
