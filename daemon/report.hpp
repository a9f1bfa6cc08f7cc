// The migration report: every Batch AI resource with its AML counterparts and their state, the
// findings with their remedies, finished jobs as history, and the cutoff countdown. Gathering reads
// the store; rendering is pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "daemon/cutoff.hpp"
#include "state/store.hpp"

namespace bai2aml::daemon {

struct ReportCounterpart {
  std::string id;     // AML id
  std::string kind;   // workspace, compute, datastore, ...
  std::string state;  // in_sync, pending, failed, blocked, retired
  std::string reason;
};

struct ReportEntry {
  std::string source_id;
  std::string kind;     // Batch AI kind
  std::string outcome;  // migrated, migrated-with-findings, not-migratable, pending, history, gone-from-source
  std::string detail;   // experiments: job count; finished jobs: their final state
  // policy.retire_source: "deleted" or "terminated" on Batch AI by bai2aml ("" if neither), the
  // journal state of that write (succeeded, sent, failed, ...) and when it last changed.
  std::string retired_action, retired_state, retired_at;
  std::vector<ReportCounterpart> counterparts;
  std::vector<translate::Finding> findings;
};

struct ReportData {
  std::string generated_at;
  std::string cutoff;
  std::int64_t seconds_to_cutoff = 0;
  std::string countdown;
  std::string source_mode;
  std::string source_fetched_at;
  std::vector<ReportEntry> entries;  // by source id
};

ReportData gather_report(state::Store& store, const config::Config& cfg, TimePoint now);
nlohmann::json report_to_json(const ReportData& data);
std::string report_to_markdown(const ReportData& data);

}  // namespace bai2aml::daemon
