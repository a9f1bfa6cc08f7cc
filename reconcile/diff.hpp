// The pure diff: desired x observed x policy -> one action per resource, plus findings. No I/O,
// no clock; the same inputs always give the same plan. Rules (DESIGN.md §3, issue 6):
//   - not observed                         -> Create (a job journalled as submitted, by its AML id or by
//                                             its Batch AI id: Blocked, never a second submission)
//   - observed, unowned workspace          -> Noop: used as the parent, never modified
//   - observed, unowned, policy.adopt      -> Adopt (never a job; immutable mismatch: Blocked)
//   - observed, unowned, no adopt          -> Blocked + unowned-conflict
//   - owned by another instance (bai2aml-source outside this config's source, identity.hpp)
//                                          -> as unowned, but never adopted
//   - owned, bai2aml-source of another Batch AI resource (workspace, compute, job)
//                                          -> Blocked + source-mismatch: never "in sync", never a write
//   - owned, normalized equal              -> Noop
//   - owned job                            -> Noop (jobs are immutable; a changed spec is a finding)
//   - owned compute, provisioning Failed   -> Recover (DELETE + PUT) without active jobs, with
//                                             backoff, at most max_recovery_attempts times; then
//                                             Blocked + failed + provisioning-failed (ARM's error)
//   - owned, out-of-band edit, drift=report -> Noop + drift-detected
//   - owned, mutable difference            -> Update (compute scaleSettings: PATCH; workspace: PATCH)
//   - owned, immutable difference          -> Replace with policy.replace and no active jobs on the
//                                             compute; else Blocked + replacement-required.
//                                             Workspaces and environment versions are never replaced.
//   - owned, not desired, policy.prune     -> Retire (never a job, never a workspace, never over
//                                             unowned children or active jobs, never a datastore or
//                                             environment a non-terminal AML job uses)
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "reconcile/action.hpp"
#include "reconcile/identity.hpp"
#include "reconcile/observed.hpp"
#include "translate/model.hpp"

namespace bai2aml::reconcile {

// Journal phases of a Recover action (executor.cpp): the DELETE, then the PUT.
inline constexpr const char* kRecoverDeletePhase = "recover-delete";
inline constexpr const char* kRecoverPutPhase = "recover-put";

// What the journal says of the recoveries of one compute (daemon/journal_inputs.cpp).
struct RecoveryHistory {
  std::map<std::string, int> attempts;  // desired body_hash -> recoveries begun with it
  bool backing_off = false;             // the last one began less than its backoff ago
};

struct DiffInputs {
  config::Policy policy;
  // Compute ids with active jobs, from any source; jobs observed in a non-terminal state add to it.
  std::set<std::string> computes_with_active_jobs;
  // id -> body_hash of the desired body last written successfully (from the journal). Tells a
  // desired-spec change (hash differs: update) from an out-of-band edit (hash equal: drift).
  // A resource missing here with a difference counts as drift.
  std::map<std::string, std::string> last_applied_hash;
  // Job ids the journal records as submitted: never created again, even when no longer observed.
  std::set<std::string> submitted_jobs;
  // Workspace ids with a failed LIST under them this cycle (Observation::incomplete): nothing at
  // or under them is created, updated or retired, since "not observed" there does not mean "absent".
  std::set<std::string> unobserved_scopes;
  // Owned computes whose provisioning ended Failed are deleted and created again (Recover), at
  // most this many times per desired spec; then they are failed, with ARM's error in a finding.
  std::map<std::string, RecoveryHistory> recoveries{};  // id_key ->
  int max_recovery_attempts = 5;
  // Batch AI job ids (id keys) whose AML job the journal records as submitted, under whatever name.
  std::set<std::string> submitted_sources{};
  // This config's source: only resources whose bai2aml-source falls within it are this instance's.
  SourceScope scope{};
};


struct Plan {
  std::vector<Action> actions;               // dependency order (order.hpp), then id
  std::vector<translate::Finding> findings;  // sorted by (source_id, code)
};

Plan diff(const std::vector<translate::DesiredResource>& desired, const std::vector<ObservedResource>& observed,
          const DiffInputs& inputs);

// Turns the Create/Replace/Recover of computes, and the Create of jobs, that check_quota() or
// check_job_quota() held into Blocked actions, adding its findings to the plan. (quota.hpp computes
// which; this applies it.)
struct QuotaCheck;
void hold_for_quota(Plan& plan, const QuotaCheck& check);

}  // namespace bai2aml::reconcile
