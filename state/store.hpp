// The SQLite state store: the only place bai2aml's state lives, and the only code that speaks SQL.
// One process owns a database at a time (an advisory lock); readers (status, report) may open it
// alongside, which WAL mode allows.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "state/records.hpp"
#include "state/sqlite_db.hpp"

namespace bai2aml::state {

class StoreLock;

class Store {
 public:
  struct Options {
    // Take the advisory lock: the daemon and apply do; read-only commands don't.
    bool exclusive = false;
  };
  // Opens (creating it 0600 if needed) and migrates the database. Throws StoreError with a message
  // fit for the operator: the lock holder, a schema from a newer bai2aml, a corrupt file.
  static std::unique_ptr<Store> open(const std::string& path, Options options);
  ~Store();

  int schema_version();
  const std::string& path() const { return path_; }

  // Inventory: replaced whole, in one transaction; secret values are stripped before storing. Rows
  // whose content did not change are not rewritten (replace_desired and replace_observed too).
  void replace_inventory(const std::vector<nlohmann::json>& resources, std::chrono::system_clock::time_point fetched_at);
  std::vector<InventoryItem> inventory();
  std::vector<std::string> inventory_ids();  // without parsing the bodies
  std::vector<InventoryItem> inventory_items(const std::vector<std::string>& ids);  // those stored, in that order
  SourceStatus source_status();
  void set_source_status(const SourceStatus& status);

  // Returns each resource's spec hash (state::json_hash of its body), in input order: what the
  // pass records in resource_status, without serializing and hashing every spec again.
  std::vector<std::string> replace_desired(const std::vector<translate::DesiredResource>& resources);
  std::vector<DesiredRecord> desired();
  std::vector<std::string> desired_ids();  // without parsing the specs (status counts only need the ids)

  void replace_observed(const std::vector<ObservedRecord>& resources);
  std::vector<ObservedRecord> observed();
  // The same rows with bodies cut down to {id, tags, properties: {tags}} by SQLite, without parsing
  // whole AML resources: what names and ownership are read from (10,000 computes are ~80 MB as JSON trees).
  std::vector<ObservedRecord> observed_tags();

  // Findings are owned by an origin ("translate", "reconcile") that replaces its own set each cycle;
  // first_seen survives a replacement that keeps the finding.
  void replace_findings(const std::string& origin, const std::vector<translate::Finding>& findings);
  std::vector<StoredFinding> findings();
  // How many findings of each severity ("error", "warning", "info"), counted by SQLite.
  std::map<std::string, std::int64_t> finding_counts();

  // The journal. An intent is durable before the request is sent (synchronous=FULL).
  std::int64_t journal_intent(const Operation& op);  // op_id and timestamps are assigned
  void journal_sent(std::int64_t op_id, std::optional<std::int64_t> http_status, const std::optional<std::string>& poll_url);
  void journal_finished(std::int64_t op_id, const std::string& final_state, std::optional<std::int64_t> http_status,
                        const std::optional<std::string>& error_code, const std::optional<std::string>& error_message);
  std::vector<Operation> open_operations();  // intent, sent, polling
  std::vector<Operation> operations_for(const std::string& resource_id);
  std::vector<Operation> operations_with_action(const std::string& action);  // journal phase, oldest first
  // The Batch AI ids of the jobs whose AML job PUT succeeded, whatever the AML name (issue 12: a job
  // counts as submitted by its Batch AI id).
  std::vector<std::string> submitted_job_sources();

  // The prune guard's ledger of vanished Batch AI resources: replaced whole after each healthy read.
  std::vector<VanishedSource> vanished_sources();
  void replace_vanished_sources(const std::vector<VanishedSource>& vanished);
  // `bai2aml prune --confirm`: releases every held disappearance; returns how many it released.
  int confirm_held_prunes();
  std::vector<Operation> operations_in_state(const std::string& state);      // oldest first
  // Deletes finished rows that a newer finished row of the same resource, action, method, state and
  // body hash supersedes: every "latest such row" question (resume, last applied spec, submitted
  // jobs, replacement phase) keeps its answer, and the table stays proportional to the resources.
  // Rows of keep_all_of_actions are all kept (the report counts them). Returns the rows deleted, and
  // records the run (last_journal_compaction). The audit log is never compacted: `bai2aml history`
  // tells a deleted row's write from its requests there.
  std::int64_t compact_journal(const std::vector<std::string>& keep_all_of_actions);
  std::optional<std::string> last_journal_compaction();  // RFC 3339, or none yet

  void append_audit(const AuditRecord& record);  // seq and (if empty) at are assigned
  std::vector<AuditRecord> audit_log();

  // Writes only when something but the timestamp changed, so last_transition_at stays meaningful.
  void put_status(const ResourceStatus& status);
  // put_status for many, in one transaction, comparing with the stored rows read in one query.
  void put_statuses(const std::vector<ResourceStatus>& statuses);
  std::vector<ResourceStatus> statuses();

  // Records the cycle with the resource states at its end (state_counts()).
  void record_cycle(const CycleRecord& cycle);
  StateCounts state_counts();
  std::vector<CycleRecord> cycles();  // oldest first
  std::optional<CycleRecord> last_cycle();
  std::vector<CycleRecord> recent_cycles(int limit);  // newest first
  std::optional<CycleRecord> last_converged_cycle();

  // History, for `bai2aml history` and the report.
  std::vector<StatusChange> status_history(const std::string& id);          // oldest first
  std::vector<FindingEvent> finding_events(const std::string& source_id);   // oldest first
  std::vector<AuditRecord> audit_for(const std::string& resource_id);       // oldest first
  std::vector<LastWrite> last_writes();                                     // one per resource

  // Runs fn in one transaction (BEGIN IMMEDIATE); nested calls join the outer transaction.
  template <class F>
  void transaction(F&& fn);

 private:
  Store(std::string path, std::unique_ptr<detail::Database> db, std::unique_ptr<StoreLock> lock);
  std::string now() const;

  std::string path_;
  std::unique_ptr<detail::Database> db_;
  std::unique_ptr<StoreLock> lock_;
  int tx_depth_ = 0;
};

template <class F>
void Store::transaction(F&& fn) {
  if (tx_depth_ > 0) {
    fn();
    return;
  }
  detail::Transaction tx(*db_);
  ++tx_depth_;
  try {
    fn();
  } catch (...) {
    --tx_depth_;
    throw;
  }
  --tx_depth_;
  tx.commit();
}

}  // namespace bai2aml::state
