// Retiring the Batch AI source once its AML counterparts stand (policy.retire_source; issue 6).
// Pure: the live Batch AI read, the desired and observed AML state and the policy in, the Batch AI
// writes this pass may send and the reasons others wait out. Level-triggered like the diff: each
// pass decides from what it reads, so a termination this pass lets the cluster go the next.
//
// Only a proven migration counts (issue 12): every AML counterpart is this instance's (owned, its
// bai2aml-source within this config's source) and, for workspaces, computes and jobs, tagged with
// this very Batch AI id; a job's submission is journalled and its AML job neither Failed nor Canceled.
// The rules, in the order they unlock each other:
//   - a migrated job (its AML job proven) still queued or running on Batch AI is terminated there,
//     so that it does not run twice;
//   - a cluster is deleted once its AmlCompute is proven and Succeeded and no Batch AI job is
//     queued, running or terminating on it;
//   - a workspace is deleted once every AML resource derived from it is ready and nothing but
//     experiments and finished jobs is left in it. A file server is never deleted: its disks may
//     hold the only copy of the data, so it holds its workspace until the operator removes it.
// `at_cutoff` applies the same rules once the cutoff has passed; `never` sends nothing.
//
// Deleting a Batch AI resource makes it vanish from the next read, and terminating a job moves it to
// `failed`; retain_retired() keeps what was migrated in the snapshot, so the desired AML state (and
// the report) do not change because the source was retired.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "reconcile/action.hpp"
#include "reconcile/identity.hpp"
#include "reconcile/observed.hpp"
#include "translate/model.hpp"

namespace bai2aml::reconcile {

// Journal phases ("action" column) of the two source writes.
inline constexpr const char* kRetireSourcePhase = "retire-source";
inline constexpr const char* kTerminateSourcePhase = "terminate-source";

struct SourceRetirementInputs {
  config::RetireSource mode = config::RetireSource::Never;
  bool cutoff_passed = false;
  // Source writes are decided only on a fresh read of the live API: a snapshot (file, or the stored
  // one when the API is unreadable) may say a job is queued long after it ended.
  bool source_live = false;
  std::vector<nlohmann::json> live;  // the Batch AI resources as read this pass
  const std::vector<translate::DesiredResource>* desired = nullptr;
  const std::vector<ObservedResource>* observed = nullptr;
  std::set<std::string> terminated;  // id keys of the jobs bai2aml terminated (the journal)
  SourceScope scope;                 // this config's source (ownership)
  std::set<std::string> submitted_jobs;     // AML job id keys the journal records as submitted
  std::set<std::string> submitted_sources;  // Batch AI job id keys the journal records as submitted
};

struct SourceRetirementPlan {
  bool acting = false;  // the policy applies to this pass (mode, cutoff, a live read)
  std::vector<Action> actions;               // TerminateSource (POST) and RetireSource (DELETE)
  std::vector<translate::Finding> findings;  // source-retire-held: why a migrated resource stays
};

SourceRetirementPlan plan_source_retirement(const SourceRetirementInputs& in);

// Whether policy.retire_source writes anything now: only then does a pass keep its live read for
// plan_source_retirement (otherwise the plan is empty whatever the read).
bool retirement_acts(config::RetireSource mode, bool cutoff_passed);

// The snapshot to store after a read: the read, plus what bai2aml retired itself (the ids, any case,
// of its journalled deletes and terminations, whatever their outcome). A deleted resource and
// everything under it is kept as stored when the read no longer has it; a terminated job keeps its
// stored (pre-termination) body.
std::vector<nlohmann::json> retain_retired(std::vector<nlohmann::json> read, const std::vector<nlohmann::json>& stored,
                                           const std::vector<std::string>& deleted,
                                           const std::vector<std::string>& terminated);

}  // namespace bai2aml::reconcile
