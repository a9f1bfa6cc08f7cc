#include "daemon/store_status.hpp"

#include <algorithm>
#include <map>

#include "daemon/cutoff.hpp"
#include "daemon/status_projection.hpp"

namespace bai2aml::daemon {
namespace {

std::optional<TimePoint> parse_time(const std::optional<std::string>& s) {
  return s ? parse_rfc3339(*s) : std::nullopt;
}

Phase phase_of(const std::string& s) {
  if (s == "converging") return Phase::Converging;
  if (s == "converged") return Phase::Converged;
  if (s == "degraded") return Phase::Degraded;
  return Phase::Discovering;
}

}  // namespace

StatusSnapshot snapshot_from_store(state::Store& store, const config::Config& cfg, TimePoint now) {
  StatusSnapshot s;
  s.updated_at = now;
  s.cutoff = cfg.cutoff;

  const auto source = store.source_status();
  s.source_mode = source.mode == "snapshot" ? SourceMode::Snapshot : SourceMode::Live;
  s.source_fetched_at = parse_time(source.fetched_at);

  // Every desired resource counts once, in the state its status row gives (pending without one);
  // retired resources are no longer desired but still count, as retired. Counted by SQLite
  // (Store::state_counts, what each recorded cycle keeps), not by reading 30,000 status rows.
  const auto states = store.state_counts();
  s.resources.in_sync = states.in_sync;
  s.resources.pending = states.pending;
  s.resources.blocked = states.blocked;
  s.resources.failed = states.failed;
  s.resources.retired = states.retired;
  s.resources.total = states.in_sync + states.pending + states.blocked + states.failed + states.retired;

  // Counted by SQLite: published every 2 s during a pass, over 20,000 findings at size.
  for (const auto& [severity, n] : store.finding_counts()) {
    if (severity == translate::to_string(translate::Severity::Error)) s.findings.error += n;
    else if (severity == translate::to_string(translate::Severity::Warning)) s.findings.warning += n;
    else if (severity == translate::to_string(translate::Severity::Info)) s.findings.info += n;
  }

  if (auto last = store.last_cycle()) {
    s.cycle_number = last->number;
    s.cycle_started_at = parse_time(last->started_at).value_or(TimePoint{});
    s.cycle_duration_ms = last->duration_ms;
    s.phase = phase_of(last->phase);
    s.last_error = last->error;
  }
  if (!s.last_error && source.last_error) s.last_error = "source: " + *source.last_error;
  if (auto conv = store.last_converged_cycle()) {
    if (auto t = parse_time(conv->started_at)) s.last_converged_at = *t + std::chrono::milliseconds(conv->duration_ms);
  }

  // The projection follows the recent pace of the cycles (remaining work at the end of each).
  ProgressHistory history;
  auto recent = store.recent_cycles(30);
  std::reverse(recent.begin(), recent.end());
  for (const auto& c : recent)
    if (auto t = parse_time(c.started_at)) history.add(*t + std::chrono::milliseconds(c.duration_ms), c.remaining);
  s.projected_completion = history.projected_completion();
  if (s.phase == Phase::Converged && !recent.empty())
    s.projected_completion = parse_time(recent.back().started_at);
  return s;
}

}  // namespace bai2aml::daemon
