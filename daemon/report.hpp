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
  // The latest journalled write to it ("" when none): action, journal state, when, ARM request id.
  std::string write_action, write_state, write_at, write_request_id;
  std::string command;  // jobs: the command AML runs (from the desired job body)
};

// The resource states at the end of one recorded pass (the progress chart).
struct ReportProgressPoint {
  std::string at;  // when the pass ended
  std::int64_t in_sync = 0, pending = 0, blocked = 0, failed = 0, retired = 0;
};

struct ReportEntry {
  std::string source_id;
  std::string kind;     // Batch AI kind
  std::string outcome;  // migrated, migrated-with-findings, not-migratable, pending, history, gone-from-source,
                        // aml-scope (a finding about an AML scope, e.g. scope-unobserved)
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
  std::string projected_completion;  // "" when there is no projection
  std::vector<ReportProgressPoint> progress;  // recorded passes that kept their states, oldest first
  std::vector<ReportEntry> entries;  // by source id
};

// The Batch AI workspace id an entry belongs to ("" for none).
std::string report_workspace_of(const ReportEntry& e);

// The data every format renders; its free text (details, reasons, finding messages) is already
// redacted (config::redact_secrets), so a new format needs no redaction of its own.
ReportData gather_report(state::Store& store, const config::Config& cfg, TimePoint now);
nlohmann::json report_to_json(const ReportData& data);
std::string report_to_markdown(const ReportData& data);

}  // namespace bai2aml::daemon
