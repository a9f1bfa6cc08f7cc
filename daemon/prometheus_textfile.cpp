#include "daemon/prometheus_textfile.hpp"

#include "daemon/status_projection.hpp"

#include <fmt/format.h>

#include <initializer_list>
#include <utility>

namespace bai2aml::daemon {
namespace {

// Label values escape backslash, double quote and newline (exposition format).
std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

class Writer {
 public:
  void family(const char* name, const char* type, const char* help) {
    out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  template <class V>
  void sample(const char* name, V value) {
    out_ += fmt::format("{} {}\n", name, value);
  }
  template <class V>
  void sample(const char* name, std::initializer_list<std::pair<const char*, std::string>> labels, V value) {
    out_ += name;
    out_ += '{';
    bool first = true;
    for (const auto& [label, label_value] : labels) {
      if (!first) out_ += ',';
      first = false;
      out_ += fmt::format("{}=\"{}\"", label, escape_label(label_value));
    }
    out_ += fmt::format("}} {}\n", value);
  }
  template <class V>
  void gauge(const char* name, const char* help, V value) {
    family(name, "gauge", help);
    sample(name, value);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace

std::string status_to_prometheus(const StatusSnapshot& s) {
  Writer w;
  w.family("bai2aml_build_info", "gauge", "bai2aml version, always 1.");
  w.sample("bai2aml_build_info", {{"version", BAI2AML_VERSION}}, 1);
  w.gauge("bai2aml_status_updated_timestamp_seconds", "When these figures were taken (Unix time).",
          unix_seconds(s.updated_at));
  w.gauge("bai2aml_cutoff_timestamp_seconds", "The Batch AI retirement cutoff (Unix time).", unix_seconds(s.cutoff));
  w.gauge("bai2aml_seconds_to_cutoff", "Seconds left until the cutoff, negative once it has passed.",
          seconds_to_cutoff(s.cutoff, s.updated_at));

  w.family("bai2aml_phase", "gauge", "1 for the daemon's current phase, 0 for the others.");
  for (Phase p : {Phase::Discovering, Phase::Converging, Phase::Converged, Phase::Degraded})
    w.sample("bai2aml_phase", {{"phase", to_string(p)}}, p == s.phase ? 1 : 0);
  w.family("bai2aml_source_mode", "gauge",
           "1 for where the Batch AI inventory comes from: live (the API) or snapshot (the stored inventory).");
  for (SourceMode m : {SourceMode::Live, SourceMode::Snapshot})
    w.sample("bai2aml_source_mode", {{"mode", to_string(m)}}, m == s.source_mode ? 1 : 0);
  w.gauge("bai2aml_source_fetched_timestamp_seconds", "When the Batch AI inventory was last read (Unix time; 0: never).",
          s.source_fetched_at ? unix_seconds(*s.source_fetched_at) : 0);

  w.family("bai2aml_cycles_total", "counter", "Reconciliation cycles run since the daemon started.");
  w.sample("bai2aml_cycles_total", s.cycle_number);
  w.gauge("bai2aml_cycle_started_timestamp_seconds", "When the last cycle started (Unix time).",
          unix_seconds(s.cycle_started_at));
  w.gauge("bai2aml_cycle_duration_seconds", "How long the last cycle took.",
          static_cast<double>(s.cycle_duration_ms) / 1000.0);

  const ResourceCounts& r = s.resources;
  w.family("bai2aml_resources", "gauge", "Resources by reconciliation state.");
  for (const auto& [state, n] : {std::pair{"in_sync", r.in_sync}, std::pair{"pending", r.pending},
                                 std::pair{"failed", r.failed}, std::pair{"blocked", r.blocked},
                                 std::pair{"retired", r.retired}})
    w.sample("bai2aml_resources", {{"state", state}}, n);
  w.gauge("bai2aml_resources_known", "Every resource bai2aml tracks (the sum of bai2aml_resources).", r.total);

  w.family("bai2aml_findings", "gauge", "Migration findings by severity.");
  for (const auto& [severity, n] : {std::pair{"error", s.findings.error}, std::pair{"warning", s.findings.warning},
                                    std::pair{"info", s.findings.info}})
    w.sample("bai2aml_findings", {{"severity", severity}}, n);

  if (s.projected_completion)
    w.gauge("bai2aml_projected_completion_timestamp_seconds",
            "When the migration will be complete at the measured throughput (Unix time).",
            unix_seconds(*s.projected_completion));
  w.gauge("bai2aml_projected_completion_after_cutoff", "1 when the projected completion falls after the cutoff.",
          completion_after_cutoff_warning(s.projected_completion, s.cutoff) ? 1 : 0);
  w.gauge("bai2aml_last_cycle_failed", "1 when the last cycle ended with an error (see last_error in status.json).",
          s.last_error ? 1 : 0);
  w.gauge("bai2aml_last_converged_timestamp_seconds", "When a cycle last ended converged (Unix time; 0: never).",
          s.last_converged_at ? unix_seconds(*s.last_converged_at) : 0);

  // A family without samples is left out: not every textfile consumer accepts an empty one.
  if (!s.arm_requests.empty())
    w.family("bai2aml_arm_requests_total", "counter",
             "ARM requests sent since the daemon started, by HTTP method and status code (0: no answer).");
  for (const auto& [key, n] : s.arm_requests)
    w.sample("bai2aml_arm_requests_total", {{"method", key.first}, {"code", std::to_string(key.second)}}, n);
  return w.take();
}

}  // namespace bai2aml::daemon
