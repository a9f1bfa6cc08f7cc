// The Prometheus textfile (node_exporter's textfile collector: text exposition format 0.0.4, HELP and
// TYPE before each family, no sample timestamps) carrying the figures of the status file as
// bai2aml_* metrics, plus the ARM request counters and the last converged time.
#pragma once

#include "daemon/status_snapshot.hpp"

#include <string>

namespace bai2aml::daemon {

// Metric families, in this order:
//   bai2aml_build_info{version}                          gauge 1
//   bai2aml_status_updated_timestamp_seconds             gauge
//   bai2aml_cutoff_timestamp_seconds                     gauge
//   bai2aml_seconds_to_cutoff                            gauge (negative once past)
//   bai2aml_phase{phase}                                 gauge, 1 for the current phase, 0 for the others
//   bai2aml_source_mode{mode}                            gauge, 1 for the current mode, 0 for the other
//   bai2aml_source_fetched_timestamp_seconds             gauge (0 until the inventory is first read)
//   bai2aml_cycles_total                                 counter (the cycle number)
//   bai2aml_cycle_started_timestamp_seconds              gauge
//   bai2aml_cycle_duration_seconds                       gauge
//   bai2aml_resources{state}                             gauge, state in_sync|pending|failed|blocked|retired
//   bai2aml_resources_known                              gauge (the status file's resources.total)
//   bai2aml_findings{severity}                           gauge, severity error|warning|info
//   bai2aml_projected_completion_timestamp_seconds       gauge (left out when there is no projection)
//   bai2aml_projected_completion_after_cutoff            gauge 0|1
//   bai2aml_last_cycle_failed                            gauge 0|1 (the status file's last_error != null)
//   bai2aml_last_converged_timestamp_seconds             gauge (0 until the first converged cycle)
//   bai2aml_arm_requests_total{method,code}              counter
std::string status_to_prometheus(const StatusSnapshot& s);

}  // namespace bai2aml::daemon
