// What the journal tells the planners: the spec each resource was last written with, the jobs
// already submitted, and the Batch AI jobs bai2aml terminated. Read-only: `plan` uses it as the
// reconcile pass does, so both decide alike.
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "reconcile/diff.hpp"
#include "reconcile/identity.hpp"
#include "reconcile/identity.hpp"

namespace bai2aml::state {
class Store;
}

namespace bai2aml::daemon {

// Fills inputs.last_applied_hash and inputs.submitted_jobs of the desired resources from the
// journal's succeeded writes, read in one query (not one per resource), inputs.submitted_sources
// (the Batch AI ids of submitted jobs) and inputs.recoveries from its recover-delete rows.
void add_journal_inputs(state::Store& store, const std::vector<translate::DesiredResource>& desired,
                        reconcile::DiffInputs& inputs);

// The wait before recovery number n+1 of a compute whose provisioning ended Failed, after n began:
// 2 s, 4 s, 8 s, 16 s (the first recovery starts at once; DiffInputs::max_recovery_attempts
// bounds them).
std::chrono::seconds recovery_backoff(int recoveries_begun);

// The names AML held at the last observation (reconcile::name_hints of the stored observed state):
// what a pass translates with before it observes again.
translate::NameHints stored_name_hints(state::Store& store, const reconcile::SourceScope& scope);

// Id keys of the Batch AI jobs bai2aml sent a terminate to (policy.retire_source).
std::set<std::string> jobs_terminated_by_bai2aml(state::Store& store);

}  // namespace bai2aml::daemon
