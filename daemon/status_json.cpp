#include "daemon/status_json.hpp"

#include "daemon/logging.hpp"

namespace bai2aml::daemon {
namespace {

nlohmann::json optional_time(const std::optional<TimePoint>& t) {
  return t ? nlohmann::json(format_rfc3339(*t)) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json status_to_json(const StatusSnapshot& s) {
  using nlohmann::json;
  const ResourceCounts& r = s.resources;
  return json{
      {"version", 1},
      {"updated_at", format_rfc3339(s.updated_at)},
      {"cutoff", format_rfc3339(s.cutoff)},
      {"seconds_to_cutoff", seconds_to_cutoff(s.cutoff, s.updated_at)},
      {"phase", to_string(s.phase)},
      {"source", {{"mode", to_string(s.source_mode)}, {"fetched_at", format_rfc3339(s.source_fetched_at.value_or(TimePoint{}))}}},
      {"cycle",
       {{"number", s.cycle_number},
        {"started_at", format_rfc3339(s.cycle_started_at)},
        {"duration_ms", s.cycle_duration_ms}}},
      {"resources",
       {{"total", r.total},
        {"in_sync", r.in_sync},
        {"pending", r.pending},
        {"failed", r.failed},
        {"blocked", r.blocked},
        {"retired", r.retired}}},
      {"findings", {{"error", s.findings.error}, {"warning", s.findings.warning}, {"info", s.findings.info}}},
      {"projected_completion", optional_time(s.projected_completion)},
      {"last_error", s.last_error ? json(redact_secrets(*s.last_error)) : json(nullptr)},
  };
}

std::string status_json_text(const StatusSnapshot& s) {
  // replace: an error text with invalid UTF-8 must not stop the status file from being written.
  return status_to_json(s).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace bai2aml::daemon
