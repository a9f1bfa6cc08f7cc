// The typed rows of the state store.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "translate/model.hpp"

namespace bai2aml::state {

struct InventoryItem {
  std::string id;    // Batch AI ARM id
  std::string kind;  // workspace, cluster, fileserver, experiment, job (from the id's path)
  nlohmann::json body;
  std::string fetched_at;
};

struct SourceStatus {
  std::string mode = "live";  // live | snapshot
  std::optional<std::string> fetched_at;
  std::optional<std::string> last_error;
};

struct DesiredRecord {
  translate::DesiredResource resource;
  std::string spec_hash;
  std::string updated_at;
};

struct ObservedRecord {
  std::string id;
  std::string kind;
  nlohmann::json body;
  std::string provisioning_state;
  bool owned = false;
  std::string observed_at;
};

struct StoredFinding {
  std::string origin;
  translate::Finding finding;
  std::string first_seen;
};

// One journalled write to Azure.
struct Operation {
  std::int64_t op_id = 0;
  std::string resource_id;
  std::string action;
  std::string method;
  std::string url;
  std::string body_hash;
  std::string client_request_id;
  std::string source_id;  // the Batch AI id the write is for (journal_intent stores it; not read back)
  std::string state;  // intent, sent, polling, succeeded, failed, abandoned
  std::optional<std::string> poll_url;
  std::optional<std::int64_t> http_status;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  int attempts = 0;
  std::string created_at;
  std::string updated_at;
};

struct AuditRecord {
  std::int64_t seq = 0;
  std::string at;
  std::optional<std::int64_t> op_id;
  std::string resource_id;
  std::string method;
  std::string url;
  std::string body_hash;
  std::string client_request_id;
  std::optional<std::int64_t> http_status;
  std::string outcome;
  std::int64_t duration_ms = 0;
};

struct ResourceStatus {
  std::string id;
  std::string kind;
  std::string state;  // pending, in_sync, failed, blocked, retired
  std::string reason;
  std::string message;
  std::string spec_hash;
  int failures = 0;
  std::optional<std::string> next_attempt_at;
  std::string last_transition_at;
};

// A Batch AI resource a healthy read no longer lists, kept in the snapshot until the prune guard
// releases it (reconcile/prune_guard.hpp).
struct VanishedSource {
  std::string id;
  int absent_reads = 0;    // consecutive healthy reads without it
  bool held = false;       // vanished in a mass disappearance: held until an operator confirms
  bool confirmed = false;  // `bai2aml prune --confirm` released the hold
};

// Resources per state, counted as the status file counts them (DESIGN.md §4.3).
struct StateCounts {
  std::int64_t in_sync = 0, pending = 0, blocked = 0, failed = 0, retired = 0;
};

struct CycleRecord {
  std::int64_t number = 0;
  std::string started_at;
  std::int64_t duration_ms = 0;
  std::string phase;  // discovering, converging, converged, degraded
  std::int64_t remaining = 0;
  std::int64_t writes = 0;
  std::optional<std::string> error;
  // The states at the end of the cycle: record_cycle counts them from the database itself;
  // nullopt for cycles recorded before bai2aml kept them.
  std::optional<StateCounts> states = std::nullopt;
};

// A change of one resource's state or reason (status_history, written by triggers).
struct StatusChange {
  std::string id;
  std::string at;
  std::string state;
  std::string reason;
  std::string message;
};

// A finding appearing ("raised") or going away ("cleared").
struct FindingEvent {
  std::string at;
  std::string event;
  std::string origin;
  translate::Finding finding;  // remedy is not kept
};

// The latest journalled write to one resource, with the ARM request id of its latest answer.
struct LastWrite {
  std::string resource_id;
  std::string action;
  std::string state;  // the journal state
  std::string at;     // updated_at
  std::string request_id;
  std::optional<std::int64_t> http_status;
};

}  // namespace bai2aml::state
